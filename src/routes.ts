import * as accounts from './controllers/account/accounts.js';
import * as accountPasswords from './controllers/account/passwords.js';
import * as profiles from './controllers/account/profiles.js';
import * as signOuts from './controllers/account/sessions.js';
import * as accountDeactivations from './controllers/admin/account-deactivations.js';
import * as accountInvitations from './controllers/admin/account-invitations.js';
import * as accountLocks from './controllers/admin/account-locks.js';
import * as accountPasswordResets from './controllers/admin/account-password-resets.js';
import * as accountRoles from './controllers/admin/account-roles.js';
import * as adminAccounts from './controllers/admin/accounts.js';
import * as customerActivations from './controllers/admin/customer-activations.js';
import * as customerDeactivations from './controllers/admin/customer-deactivations.js';
import * as adminCustomers from './controllers/admin/customers.js';
import * as adminDashboards from './controllers/admin/dashboards.js';
import * as groupPortlets from './controllers/admin/group-portlets.js';
import * as portletDefaults from './controllers/admin/portlet-defaults.js';
import * as groupDeletions from './controllers/admin/group-deletions.js';
import * as groupMoves from './controllers/admin/group-moves.js';
import * as groups from './controllers/admin/groups.js';
import * as mailbox from './controllers/admin/mailbox.js';
import * as mailIntake from './controllers/admin/mail-intake.js';
import * as mailIntakeMessages from './controllers/admin/mail-intake-messages.js';
import * as mailIntakeFilings from './controllers/admin/mail-intake-filings.js';
import * as mailIntakeDiscards from './controllers/admin/mail-intake-discards.js';
import * as settings from './controllers/admin/settings.js';
import * as entrances from './controllers/auth/entrances.js';
import * as homes from './controllers/auth/homes.js';
import * as invitations from './controllers/auth/invitations.js';
import * as languages from './controllers/auth/languages.js';
import * as passwordResetConfirmations from './controllers/auth/password-reset-confirmations.js';
import * as passwordResets from './controllers/auth/password-resets.js';
import * as passwordSetups from './controllers/auth/password-setups.js';
import * as sessions from './controllers/auth/sessions.js';
import * as textSizes from './controllers/auth/text-sizes.js';
import * as liveness from './controllers/operations/liveness.js';
import * as readiness from './controllers/operations/readiness.js';
import * as changeRequests from './controllers/portal/change-requests.js';
import * as companies from './controllers/portal/companies.js';
import * as portalDashboards from './controllers/portal/dashboards.js';
import * as changeRequestApprovals from './controllers/staff/change-request-approvals.js';
import * as changeRequestRejections from './controllers/staff/change-request-rejections.js';
import * as staffChangeRequests from './controllers/staff/change-requests.js';
import * as customerAccountInvitations from './controllers/staff/customer-account-invitations.js';
import * as customerAccounts from './controllers/staff/customer-accounts.js';
import * as customers from './controllers/staff/customers.js';
import * as staffDashboards from './controllers/staff/dashboards.js';
import * as auditEntries from './controllers/superadmin/audit-entries.js';
import * as auditEntryExports from './controllers/superadmin/audit-entry-exports.js';
import * as failedJobs from './controllers/superadmin/failed-jobs.js';
import * as jobRetries from './controllers/superadmin/job-retries.js';
import * as accountDetails from './controllers/admin/account-details.js';
import * as customerAccountDetails from './controllers/staff/customer-account-details.js';
import * as providerDetails from './controllers/admin/provider-details.js';
import * as notificationSettings from './controllers/account/notification-settings.js';
import * as files from './controllers/account/files.js';
import * as documents from './controllers/portal/documents.js';
import * as customerDocuments from './controllers/staff/customer-documents.js';
import * as staffDocuments from './controllers/staff/documents.js';
import * as portalTickets from './controllers/portal/tickets.js';
import * as officeMessages from './controllers/portal/office-messages.js';
import * as ticketReplies from './controllers/portal/ticket-replies.js';
import * as ticketReopenings from './controllers/portal/ticket-reopenings.js';
import * as staffTickets from './controllers/staff/tickets.js';
import * as tasks from './controllers/staff/tasks.js';
import * as queue from './controllers/staff/queue.js';
import * as queueMailMessages from './controllers/staff/queue-mail-messages.js';
import * as queueMailFilings from './controllers/staff/queue-mail-filings.js';
import * as queueMailDiscards from './controllers/staff/queue-mail-discards.js';
import * as allTasks from './controllers/admin/tasks.js';
import * as ticketStatuses from './controllers/staff/ticket-statuses.js';
import * as ticketPlans from './controllers/staff/ticket-plans.js';
import * as ticketMessages from './controllers/staff/ticket-messages.js';
import * as ticketTakeovers from './controllers/staff/ticket-takeovers.js';
import * as ticketAssignments from './controllers/staff/ticket-assignments.js';
import * as ticketApprovals from './controllers/portal/ticket-approvals.js';
import * as ticketRejections from './controllers/portal/ticket-rejections.js';
import * as staffTicketApprovals from './controllers/staff/ticket-approvals.js';
import * as staffTicketRejections from './controllers/staff/ticket-rejections.js';
import * as ticketCategories from './controllers/admin/ticket-categories.js';
import * as ticketCategoryPositions from './controllers/admin/ticket-category-positions.js';
import * as ticketCategoryDeletions from './controllers/admin/ticket-category-deletions.js';
import * as ticketCostLines from './controllers/staff/ticket-cost-lines.js';
import * as staffTicketServiceReports from './controllers/staff/ticket-service-reports.js';
import * as portalTicketServiceReports from './controllers/portal/ticket-service-reports.js';
import * as settlementsReports from './controllers/portal/settlements-reports.js';
import * as settlementsReportCsvs from './controllers/portal/settlements-report-csvs.js';
import * as settlementsReportPdfs from './controllers/portal/settlements-report-pdfs.js';
import * as clientAgingReports from './controllers/portal/aging-reports.js';
import * as clientAgingReportCsvs from './controllers/portal/aging-report-csvs.js';
import * as clientAgingReportPdfs from './controllers/portal/aging-report-pdfs.js';
import * as paymentsReports from './controllers/portal/payments-reports.js';
import * as paymentsReportCsvs from './controllers/portal/payments-report-csvs.js';
import * as paymentsReportPdfs from './controllers/portal/payments-report-pdfs.js';
import * as pricingReports from './controllers/portal/pricing-reports.js';
import * as pricingReportCsvs from './controllers/portal/pricing-report-csvs.js';
import * as pricingReportPdfs from './controllers/portal/pricing-report-pdfs.js';
import * as settlements from './controllers/portal/settlements.js';
import * as portalPayments from './controllers/portal/payments.js';
import * as payments from './controllers/admin/payments.js';
import * as customerLedgers from './controllers/staff/customer-ledgers.js';
import * as ledgerEntries from './controllers/admin/ledger-entries.js';
import * as ledgerEntryApprovals from './controllers/admin/ledger-entry-approvals.js';
import * as ledgerEntryRejections from './controllers/admin/ledger-entry-rejections.js';
import * as portalPaymentOrders from './controllers/portal/payment-orders.js';
import * as portalArrearsStatements from './controllers/portal/arrears-statements.js';
import * as customerPaymentOrders from './controllers/staff/customer-payment-orders.js';
import * as customerArrearsStatements from './controllers/staff/customer-arrears-statements.js';
import * as balanceReports from './controllers/staff/balance-reports.js';
import * as balanceReportExports from './controllers/staff/balance-report-exports.js';
import * as balanceReportPdfs from './controllers/staff/balance-report-pdfs.js';
import * as agingReports from './controllers/staff/aging-reports.js';
import * as agingReportExports from './controllers/staff/aging-report-exports.js';
import * as agingReportPdfs from './controllers/staff/aging-report-pdfs.js';
import * as customerReports from './controllers/staff/customer-reports.js';
import * as customerReportExports from './controllers/staff/customer-report-exports.js';
import * as customerReportPdfs from './controllers/staff/customer-report-pdfs.js';
import * as dataImports from './controllers/admin/imports.js';
import * as customerExports from './controllers/admin/customer-exports.js';
import * as invoiceExports from './controllers/admin/invoice-exports.js';
import * as paymentExports from './controllers/admin/payment-exports.js';
import * as announcements from './controllers/admin/announcements.js';
import * as announcementWithdrawals from './controllers/admin/announcement-withdrawals.js';
import * as announcementReaderExports from './controllers/admin/announcement-reader-exports.js';
import * as portalAnnouncements from './controllers/portal/announcements.js';
import * as announcementReadings from './controllers/portal/announcement-readings.js';
import { createPassport } from './middleware/auth.js';
import { allow, load } from './middleware/loaders.js';
import { link } from './middleware/one-time-links.js';
import { route, type RouteDefinition } from './middleware/routing.js';
import * as billingDetails from './controllers/admin/billing-details.js';
import * as invoices from './controllers/admin/invoices.js';
import * as ledgerEntryCorrections from './controllers/admin/ledger-entry-corrections.js';
import { importUploadLimits, uploadLimits } from './middleware/uploads.js';
import * as purgeRequests from './controllers/admin/purge-requests.js';
import * as purgeRequestApprovals from './controllers/admin/purge-request-approvals.js';
import * as customerPurgeRequests from './controllers/superadmin/customer-purge-requests.js';
import * as ticketPurgeRequests from './controllers/superadmin/ticket-purge-requests.js';
import * as ledgerEntryPurgeRequests from './controllers/superadmin/ledger-entry-purge-requests.js';
import * as purgeRequestCancellations from './controllers/superadmin/purge-request-cancellations.js';
import * as customerDataExports from './controllers/superadmin/customer-data-exports.js';

export { audienceGuards, describeRoutes, type Audience, type RouteDefinition } from './middleware/routing.js';

const duringPasswordChange = { isOpenDuringPasswordChange: true };
const menu = (label: string, order: number) => ({ menu: { label, order } });

/**
 * THE route table: every URL of the application, one per line, with its name (pathTo), audience,
 * what it loads through the actor and which policy it asks (the steps), and the controller action.
 * Controllers live in src/controllers/<audience folder>/<resource>.ts and their actions are named
 * index, show, new, create, edit, update and destroy. Builds no connections.
 */
export function routeTable(): RouteDefinition[] {
  return [
    route('operations.liveness.show', 'GET', '/healthz', 'operations', liveness.show),
    route('operations.readiness.show', 'GET', '/readyz', 'operations', readiness.show),
    // the bare address, outside any provider
    route('auth.entrances.show', 'GET', '/', 'public', entrances.show),

    // public: sign-in, preferences, one-time links (A1, A7, A11, A14)
    route('auth.homes.show', 'GET', '/:tenant', 'public', homes.show),
    route('auth.sessions.new', 'GET', '/:tenant/login', 'public', sessions.new),
    route('auth.sessions.create', 'POST', '/:tenant/login', 'public', sessions.create(createPassport())),
    route('auth.languages.update', 'POST', '/:tenant/language', 'public', languages.update),
    route('auth.textSizes.update', 'POST', '/:tenant/text-size', 'public', textSizes.update),
    route('auth.passwordSetups.edit', 'GET', '/:tenant/password-setup/:token', 'public', [link('setup')], passwordSetups.edit),
    route('auth.passwordSetups.update', 'POST', '/:tenant/password-setup/:token', 'public', [link('setup')], passwordSetups.update),
    route('auth.invitations.edit', 'GET', '/:tenant/invitations/:token', 'public', [link('invitation')], invitations.edit),
    route('auth.invitations.update', 'POST', '/:tenant/invitations/:token', 'public', [link('invitation')], invitations.update),
    route('auth.passwordResets.new', 'GET', '/:tenant/password-resets/new', 'public', passwordResets.new),
    route('auth.passwordResets.create', 'POST', '/:tenant/password-resets', 'public', passwordResets.create),
    route('auth.passwordResetConfirmations.show', 'GET', '/:tenant/password-resets/sent', 'public', passwordResetConfirmations.show),
    route('auth.passwordResets.edit', 'GET', '/:tenant/password-resets/:token', 'public', [link('reset')], passwordResets.edit),
    route('auth.passwordResets.update', 'POST', '/:tenant/password-resets/:token', 'public', [link('reset')], passwordResets.update),

    // account: any signed-in user (A9, A10)
    route('account.sessions.destroy', 'POST', '/:tenant/logout', 'account', signOuts.destroy, duringPasswordChange),
    route('account.accounts.show', 'GET', '/:tenant/account', 'account', accounts.show, menu('common:nav.account', 90)),
    route('account.profiles.edit', 'GET', '/:tenant/account/profile/edit', 'account', profiles.edit),
    route('account.profiles.update', 'POST', '/:tenant/account/profile', 'account', profiles.update),
    route('account.passwords.edit', 'GET', '/:tenant/account/password', 'account', accountPasswords.edit, duringPasswordChange),
    route('account.passwords.update', 'POST', '/:tenant/account/password', 'account', accountPasswords.update, duringPasswordChange),
    // one's own e-mail notifications (issues 14 and 15, T9): each person's switches are those of the e-mails they could get
    route('account.notificationSettings.edit', 'GET', '/:tenant/account/notifications', 'account', notificationSettings.edit),
    route('account.notificationSettings.update', 'POST', '/:tenant/account/notifications', 'account', notificationSettings.update),

    // portal: clients (A13)
    route('portal.dashboards.show', 'GET', '/:tenant/portal', 'portal', portalDashboards.show, menu('common:nav.dashboard', 10)),
    route('portal.companies.show', 'GET', '/:tenant/portal/company', 'portal', companies.show, menu('common:nav.company', 20)),
    route('portal.changeRequests.new', 'GET', '/:tenant/portal/company/change-requests/new', 'portal', changeRequests.new),
    route('portal.changeRequests.create', 'POST', '/:tenant/portal/company/change-requests', 'portal', changeRequests.create),

    // staff: customers, their accounts and change requests (D1, A2, A3, A7, A13)
    route('staff.dashboards.show', 'GET', '/:tenant/staff', 'staff', staffDashboards.show, menu('common:nav.dashboard', 10)),
    route('staff.customers.index', 'GET', '/:tenant/staff/customers', 'staff', customers.index, menu('common:nav.customers', 20)),
    route('staff.customers.show', 'GET', '/:tenant/staff/customers/:customerId', 'staff', [load.customer], customers.show),
    route('staff.customerAccounts.index', 'GET', '/:tenant/staff/customers/:customerId/accounts', 'staff', [load.customer, allow('manageAccounts')], customerAccounts.index),
    route('staff.customerAccounts.create', 'POST', '/:tenant/staff/customers/:customerId/accounts', 'staff', [load.customer, allow('manageAccounts')], customerAccounts.create),
    route('staff.customerAccountInvitations.create', 'POST', '/:tenant/staff/customers/:customerId/accounts/:userId/invitation', 'staff', [load.customer, allow('manageAccounts')], customerAccountInvitations.create),
    route('staff.changeRequests.index', 'GET', '/:tenant/staff/change-requests', 'staff', staffChangeRequests.index, menu('common:nav.changeRequests', 30)),
    route('staff.changeRequests.show', 'GET', '/:tenant/staff/change-requests/:requestId', 'staff', [load.changeRequest, allow('decide')], staffChangeRequests.show),
    route('staff.changeRequestApprovals.create', 'POST', '/:tenant/staff/change-requests/:requestId/approval', 'staff', [load.changeRequest, allow('decide')], changeRequestApprovals.create),
    route('staff.changeRequestRejections.create', 'POST', '/:tenant/staff/change-requests/:requestId/rejection', 'staff', [load.changeRequest, allow('decide')], changeRequestRejections.create),

    // admin: customers (D1)
    route('admin.dashboards.show', 'GET', '/:tenant/admin', 'admin', adminDashboards.show, menu('common:nav.admin', 40)),
    route('admin.customers.new', 'GET', '/:tenant/admin/customers/new', 'admin', adminCustomers.new),
    route('admin.customers.create', 'POST', '/:tenant/admin/customers', 'admin', adminCustomers.create),
    route('admin.customers.edit', 'GET', '/:tenant/admin/customers/:customerId/edit', 'admin', [load.customer, allow('edit')], adminCustomers.edit),
    route('admin.customers.update', 'POST', '/:tenant/admin/customers/:customerId', 'admin', [load.customer, allow('edit')], adminCustomers.update),
    route('admin.customerDeactivations.create', 'POST', '/:tenant/admin/customers/:customerId/deactivation', 'admin', [load.customer, allow('deactivate')], customerDeactivations.create),
    route('admin.customerActivations.create', 'POST', '/:tenant/admin/customers/:customerId/activation', 'admin', [load.customer, allow('deactivate')], customerActivations.create),
    route('admin.customerDeactivations.new', 'GET', '/:tenant/admin/customers/:customerId/deactivation/new', 'admin', [load.customer, allow('deactivate')], customerDeactivations.new, { section: 'staff.customers.index' }),
    // admin: the accounts panel (A4, A5)
    route('admin.accounts.index', 'GET', '/:tenant/admin/accounts', 'admin', adminAccounts.index, menu('common:nav.accounts', 50)),
    route('admin.accounts.new', 'GET', '/:tenant/admin/accounts/new', 'admin', adminAccounts.new),
    route('admin.accounts.create', 'POST', '/:tenant/admin/accounts', 'admin', adminAccounts.create),
    route('admin.groupMoves.create', 'POST', '/:tenant/admin/accounts/group-moves', 'admin', groupMoves.create),
    route('admin.accounts.show', 'GET', '/:tenant/admin/accounts/:userId', 'admin', [load.account], adminAccounts.show),
    route('admin.accountRoles.update', 'POST', '/:tenant/admin/accounts/:userId/role', 'admin', [load.account], accountRoles.update),
    route('admin.accountLocks.create', 'POST', '/:tenant/admin/accounts/:userId/lock', 'admin', [load.account, allow('administer')], accountLocks.create),
    route('admin.accountLocks.destroy', 'POST', '/:tenant/admin/accounts/:userId/unlock', 'admin', [load.account, allow('administer')], accountLocks.destroy),
    route('admin.accountDeactivations.create', 'POST', '/:tenant/admin/accounts/:userId/deactivation', 'admin', [load.account, allow('administer')], accountDeactivations.create),
    route('admin.accountPasswordResets.create', 'POST', '/:tenant/admin/accounts/:userId/password-reset', 'admin', [load.account, allow('administer')], accountPasswordResets.create),
    route('admin.accountInvitations.create', 'POST', '/:tenant/admin/accounts/:userId/invitation', 'admin', [load.account, allow('administer')], accountInvitations.create),
    // Groups are of client accounts: reached from the accounts panel (and Administration), so the menu fits one line at 1280 px.
    route('admin.groups.index', 'GET', '/:tenant/admin/groups', 'admin', groups.index, { section: 'admin.accounts.index' }),
    route('admin.groups.create', 'POST', '/:tenant/admin/groups', 'admin', groups.create),
    route('admin.groups.edit', 'GET', '/:tenant/admin/groups/:groupId/edit', 'admin', [load.group], groups.edit, { section: 'admin.accounts.index' }),
    route('admin.groups.update', 'POST', '/:tenant/admin/groups/:groupId', 'admin', [load.group], groups.update),
    route('admin.groupPortlets.edit', 'GET', '/:tenant/admin/groups/:groupId/portlets', 'admin', [load.group], groupPortlets.edit, { section: 'admin.accounts.index' }),
    route('admin.groupPortlets.update', 'POST', '/:tenant/admin/groups/:groupId/portlets', 'admin', [load.group], groupPortlets.update, { form: 'admin.groupPortlets.edit' }),
    route('admin.portletDefaults.edit', 'GET', '/:tenant/admin/portlets', 'admin', portletDefaults.edit, { section: 'admin.dashboards.show' }),
    route('admin.portletDefaults.update', 'POST', '/:tenant/admin/portlets', 'admin', portletDefaults.update, { form: 'admin.portletDefaults.edit' }),
    route('admin.groupDeletions.create', 'POST', '/:tenant/admin/groups/:groupId/deletion', 'admin', [load.group], groupDeletions.create),
    // admin: settings (A6, D5) and the development mailbox
    // Set up once and seldom changed: reached from Administration, so the staff menu fits one line at 1280 px with Payments in it.
    route('admin.settings.edit', 'GET', '/:tenant/admin/settings', 'admin', settings.edit, { section: 'admin.dashboards.show' }),
    route('admin.settings.update', 'POST', '/:tenant/admin/settings', 'admin', settings.update),
    // A tool of development only, listed on the Administration page while it exists.
    route('admin.mailbox.index', 'GET', '/:tenant/admin/mailbox', 'admin', mailbox.index),
    // admin: the provider's details, which clients see on their start page (issue 14)
    route('admin.providerDetails.edit', 'GET', '/:tenant/admin/provider-details', 'admin', providerDetails.edit),
    route('admin.providerDetails.update', 'POST', '/:tenant/admin/provider-details', 'admin', providerDetails.update),
    // who the customers pay (D7): the legal data and account on payment orders; set up once, so reached from Administration
    route('admin.billingDetails.edit', 'GET', '/:tenant/admin/billing-details', 'admin', billingDetails.edit, { section: 'admin.dashboards.show' }),
    route('admin.billingDetails.update', 'POST', '/:tenant/admin/billing-details', 'admin', billingDetails.update),

    // superadmin: the audit log (D3)
    // The superadmin's pages are reached from Administration (its page lists them), so the menu fits one line at 1280 px.
    route('superadmin.auditEntries.index', 'GET', '/:tenant/admin/audit-log', 'superadmin', auditEntries.index),
    route('superadmin.auditEntryExports.index', 'GET', '/:tenant/admin/audit-log.csv', 'superadmin', auditEntryExports.index),
    // superadmin: failed background jobs, to see and retry (issue 13, the job runner)
    route('superadmin.failedJobs.index', 'GET', '/:tenant/admin/jobs', 'superadmin', failedJobs.index),
    route('superadmin.jobRetries.create', 'POST', '/:tenant/admin/jobs/:jobId/retry', 'superadmin', [load.job], jobRetries.create),
    // editing an account: name, e-mail, phone and a client's flags, under a version check (issue 14; A4, A12)
    route('admin.accountDetails.edit', 'GET', '/:tenant/admin/accounts/:userId/details/edit', 'admin', [load.account, allow('administer')], accountDetails.edit),
    route('admin.accountDetails.update', 'POST', '/:tenant/admin/accounts/:userId/details', 'admin', [load.account, allow('administer')], accountDetails.update),
    route('staff.customerAccountDetails.edit', 'GET', '/:tenant/staff/customers/:customerId/accounts/:userId/details/edit', 'staff', [load.customer, allow('manageAccounts'), load.account], customerAccountDetails.edit),
    route('staff.customerAccountDetails.update', 'POST', '/:tenant/staff/customers/:customerId/accounts/:userId/details', 'staff', [load.customer, allow('manageAccounts'), load.account], customerAccountDetails.update),
    // portal: the client's money (issue 16, M2, M6): where the company stands, and what it paid
    route('portal.settlements.index', 'GET', '/:tenant/portal/settlements', 'portal', settlements.index, menu('settlements:nav.settlements', 30)),
    // the report portlets' pages, CSV and PDF (P2–P4): refused (403) to a client whose group lacks the report
    route('portal.settlementsReports.show', 'GET', '/:tenant/portal/reports/settlements', 'portal', settlementsReports.show, { section: 'portal.dashboards.show' }),
    route('portal.settlementsReportCsvs.show', 'GET', '/:tenant/portal/reports/settlements/csv', 'portal', settlementsReportCsvs.show),
    route('portal.settlementsReportPdfs.show', 'GET', '/:tenant/portal/reports/settlements/pdf', 'portal', settlementsReportPdfs.show),
    route('portal.agingReports.show', 'GET', '/:tenant/portal/reports/aging', 'portal', clientAgingReports.show, { section: 'portal.dashboards.show' }),
    route('portal.agingReportCsvs.show', 'GET', '/:tenant/portal/reports/aging/csv', 'portal', clientAgingReportCsvs.show),
    route('portal.agingReportPdfs.show', 'GET', '/:tenant/portal/reports/aging/pdf', 'portal', clientAgingReportPdfs.show),
    route('portal.paymentsReports.show', 'GET', '/:tenant/portal/reports/payments', 'portal', paymentsReports.show, { section: 'portal.dashboards.show' }),
    route('portal.paymentsReportCsvs.show', 'GET', '/:tenant/portal/reports/payments/csv', 'portal', paymentsReportCsvs.show),
    route('portal.paymentsReportPdfs.show', 'GET', '/:tenant/portal/reports/payments/pdf', 'portal', paymentsReportPdfs.show),
    route('portal.pricingReports.show', 'GET', '/:tenant/portal/reports/service-tickets', 'portal', pricingReports.show, { section: 'portal.dashboards.show' }),
    route('portal.pricingReportCsvs.show', 'GET', '/:tenant/portal/reports/service-tickets/csv', 'portal', pricingReportCsvs.show),
    route('portal.pricingReportPdfs.show', 'GET', '/:tenant/portal/reports/service-tickets/pdf', 'portal', pricingReportPdfs.show),
    route('portal.payments.index', 'GET', '/:tenant/portal/payments', 'portal', portalPayments.index, { section: 'portal.settlements.index' }),
    // documents of a customer and the download of any file (T6): a file goes only to whoever sees what it belongs to
    route('portal.documents.index', 'GET', '/:tenant/portal/documents', 'portal', documents.index, menu('common:nav.documents', 40)),
    route('portal.documents.create', 'POST', '/:tenant/portal/documents', 'portal', documents.create, { uploads: uploadLimits, form: 'portal.documents.index' }),
    route('staff.customerDocuments.index', 'GET', '/:tenant/staff/customers/:customerId/documents', 'staff', [load.customer, allow('view')], customerDocuments.index),
    route('portal.documents.show', 'GET', '/:tenant/portal/documents/:documentId', 'portal', [load.document], documents.show),
    route('staff.documents.show', 'GET', '/:tenant/staff/documents/:documentId', 'staff', [load.document], staffDocuments.show, { section: 'staff.customers.index' }),
    // A download is no page: a refusal of it is shown under the account's section, which every role has.
    route('account.files.show', 'GET', '/:tenant/files/:fileId', 'account', [load.file], files.show, { section: 'account.accounts.show' }),

    // tickets (issue 15): the client's tickets and replies (T1, T3, T4, A12)
    route('portal.tickets.index', 'GET', '/:tenant/portal/tickets', 'portal', portalTickets.index, menu('common:nav.tickets', 15)),
    route('portal.tickets.new', 'GET', '/:tenant/portal/tickets/new', 'portal', portalTickets.new),
    route('portal.tickets.create', 'POST', '/:tenant/portal/tickets', 'portal', portalTickets.create, { uploads: uploadLimits }),
    route('portal.tickets.show', 'GET', '/:tenant/portal/tickets/:ticketId', 'portal', [load.ticket, allow('view')], portalTickets.show),
    route('portal.ticketReplies.create', 'POST', '/:tenant/portal/tickets/:ticketId/replies', 'portal', [load.ticket, allow('reply')], ticketReplies.create, { uploads: uploadLimits }),
    route('portal.ticketReopenings.create', 'POST', '/:tenant/portal/tickets/:ticketId/reopening', 'portal', [load.ticket, allow('reply')], ticketReopenings.create),
    // messages to the office (C1): filed as tickets of the office message category, into the unassigned queue
    route('portal.officeMessages.new', 'GET', '/:tenant/portal/messages/new', 'portal', officeMessages.new, { section: 'portal.tickets.index' }),
    route('portal.officeMessages.create', 'POST', '/:tenant/portal/messages', 'portal', officeMessages.create, { uploads: uploadLimits, section: 'portal.tickets.index' }),
    // tickets as tasks for staff: the lists, filing on a customer's behalf, working a task (T1–T5)
    route('staff.tasks.index', 'GET', '/:tenant/staff/tasks', 'staff', tasks.index, menu('common:nav.tasks', 12)),
    route('staff.queue.index', 'GET', '/:tenant/staff/queue', 'staff', queue.index, menu('common:nav.queue', 14)),
    route('staff.queueMailMessages.show', 'GET', '/:tenant/staff/queue/mail/:intakeId/message', 'staff', [load.mailIntake], queueMailMessages.show),
    route('staff.queueMailFilings.create', 'POST', '/:tenant/staff/queue/mail/:intakeId/filing', 'staff', [load.mailIntake], queueMailFilings.create, { form: 'staff.queue.index' }),
    route('staff.queueMailDiscards.create', 'POST', '/:tenant/staff/queue/mail/:intakeId/discard', 'staff', [load.mailIntake], queueMailDiscards.create),
    route('admin.tasks.index', 'GET', '/:tenant/admin/tasks', 'admin', allTasks.index, menu('common:nav.allTasks', 16)),
    route('staff.tickets.new', 'GET', '/:tenant/staff/customers/:customerId/tickets/new', 'staff', [load.customer, allow('view')], staffTickets.new, { section: 'staff.customers.index' }),
    route('staff.tickets.create', 'POST', '/:tenant/staff/customers/:customerId/tickets', 'staff', [load.customer, allow('view')], staffTickets.create, { uploads: uploadLimits }),
    route('staff.tickets.show', 'GET', '/:tenant/staff/tickets/:ticketId', 'staff', [load.ticket, allow('view')], staffTickets.show, { section: 'staff.tasks.index' }),
    route('staff.ticketStatuses.update', 'POST', '/:tenant/staff/tickets/:ticketId/status', 'staff', [load.ticket, allow('work')], ticketStatuses.update),
    route('staff.ticketPlans.update', 'POST', '/:tenant/staff/tickets/:ticketId/plan', 'staff', [load.ticket, allow('work')], ticketPlans.update),
    route('staff.ticketMessages.create', 'POST', '/:tenant/staff/tickets/:ticketId/messages', 'staff', [load.ticket, allow('work')], ticketMessages.create, { uploads: uploadLimits }),
    route('staff.ticketTakeovers.create', 'POST', '/:tenant/staff/tickets/:ticketId/takeover', 'staff', [load.ticket, allow('view')], ticketTakeovers.create),
    route('staff.ticketAssignments.create', 'POST', '/:tenant/staff/tickets/:ticketId/assignment', 'staff', [load.ticket, allow('assign')], ticketAssignments.create),
    // approval of tickets by an approver of the customer, or an admin on its behalf (T7); the menu entry only for those who approve
    route('portal.ticketApprovals.index', 'GET', '/:tenant/portal/approvals', 'portal', ticketApprovals.index, { menu: { label: 'common:nav.approvals', order: 16, isCountedOnly: true } }),
    route('portal.ticketApprovals.create', 'POST', '/:tenant/portal/tickets/:ticketId/approval', 'portal', [load.ticket, allow('approve')], ticketApprovals.create),
    route('portal.ticketRejections.create', 'POST', '/:tenant/portal/tickets/:ticketId/rejection', 'portal', [load.ticket, allow('approve')], ticketRejections.create),
    route('staff.ticketApprovals.create', 'POST', '/:tenant/staff/tickets/:ticketId/approval', 'staff', [load.ticket, allow('approve')], staffTicketApprovals.create),
    route('staff.ticketRejections.create', 'POST', '/:tenant/staff/tickets/:ticketId/rejection', 'staff', [load.ticket, allow('approve')], staffTicketRejections.create),
    // tickets by e-mail (T9): the messages that wait for an admin (unknown senders, failures), each kept whole
    route('admin.mailIntake.index', 'GET', '/:tenant/admin/mail-intake', 'admin', mailIntake.index),
    route('admin.mailIntakeMessages.show', 'GET', '/:tenant/admin/mail-intake/:intakeId/message', 'admin', [load.mailIntake], mailIntakeMessages.show),
    route('admin.mailIntakeFilings.create', 'POST', '/:tenant/admin/mail-intake/:intakeId/filing', 'admin', [load.mailIntake], mailIntakeFilings.create, { form: 'admin.mailIntake.index' }),
    route('admin.mailIntakeDiscards.create', 'POST', '/:tenant/admin/mail-intake/:intakeId/discard', 'admin', [load.mailIntake], mailIntakeDiscards.create),
    // the tenant's ticket categories (T1): reached from Administration, as the menu has no room for them
    route('admin.ticketCategories.index', 'GET', '/:tenant/admin/ticket-categories', 'admin', ticketCategories.index, { section: 'admin.dashboards.show' }),
    route('admin.ticketCategories.create', 'POST', '/:tenant/admin/ticket-categories', 'admin', ticketCategories.create),
    route('admin.ticketCategories.edit', 'GET', '/:tenant/admin/ticket-categories/:categoryId/edit', 'admin', [load.ticketCategory], ticketCategories.edit, { section: 'admin.dashboards.show' }),
    route('admin.ticketCategories.update', 'POST', '/:tenant/admin/ticket-categories/:categoryId', 'admin', [load.ticketCategory], ticketCategories.update),
    route('admin.ticketCategoryPositions.update', 'POST', '/:tenant/admin/ticket-categories/:categoryId/position', 'admin', [load.ticketCategory], ticketCategoryPositions.update, { form: 'admin.ticketCategories.index' }),
    route('admin.ticketCategoryDeletions.create', 'POST', '/:tenant/admin/ticket-categories/:categoryId/deletion', 'admin', [load.ticketCategory], ticketCategoryDeletions.create, { form: 'admin.ticketCategories.edit' }),
    // service pricing (T10): cost lines by staff who work the ticket, the service report PDF for staff and, once resolved, the client
    route('staff.ticketCostLines.new', 'GET', '/:tenant/staff/tickets/:ticketId/cost-lines/new', 'staff', [load.ticket, allow('work')], ticketCostLines.new, { section: 'staff.tasks.index' }),
    route('staff.ticketCostLines.create', 'POST', '/:tenant/staff/tickets/:ticketId/cost-lines', 'staff', [load.ticket, allow('work')], ticketCostLines.create),
    route('staff.ticketCostLines.edit', 'GET', '/:tenant/staff/tickets/:ticketId/cost-lines/:costLineId/edit', 'staff', [load.ticket, allow('work'), load.costLine], ticketCostLines.edit, { section: 'staff.tasks.index' }),
    route('staff.ticketCostLines.update', 'POST', '/:tenant/staff/tickets/:ticketId/cost-lines/:costLineId', 'staff', [load.ticket, allow('work'), load.costLine], ticketCostLines.update),
    route('staff.ticketCostLines.destroy', 'POST', '/:tenant/staff/tickets/:ticketId/cost-lines/:costLineId/removal', 'staff', [load.ticket, allow('work'), load.costLine], ticketCostLines.destroy),
    route('staff.ticketServiceReports.show', 'GET', '/:tenant/staff/tickets/:ticketId/service-report', 'staff', [load.ticket, allow('view')], staffTicketServiceReports.show),
    // payments and the ledger (M1, seed 003 "entry and control"): admins enter entries, another admin approves or rejects them.
    // No route updates or deletes an entry: under ledger-entries there are only decisions (and corrections).
    route('admin.payments.index', 'GET', '/:tenant/admin/payments', 'admin', payments.index, menu('common:nav.payments', 45)),
    route('admin.payments.new', 'GET', '/:tenant/admin/payments/new', 'admin', payments.new),
    route('admin.payments.create', 'POST', '/:tenant/admin/payments', 'admin', payments.create),
    route('admin.ledgerEntries.show', 'GET', '/:tenant/admin/ledger-entries/:entryId', 'admin', [load.ledgerEntry], ledgerEntries.show, { section: 'admin.payments.index' }),
    route('admin.ledgerEntryApprovals.create', 'POST', '/:tenant/admin/ledger-entries/:entryId/approval', 'admin', [load.ledgerEntry], ledgerEntryApprovals.create),
    route('admin.ledgerEntryRejections.create', 'POST', '/:tenant/admin/ledger-entries/:entryId/rejection', 'admin', [load.ledgerEntry], ledgerEntryRejections.create),
    // invoices and corrections entered by hand wait for the same approval as payments; a correction points at an approved entry
    route('admin.invoices.new', 'GET', '/:tenant/admin/invoices/new', 'admin', invoices.new, { section: 'admin.payments.index' }),
    route('admin.invoices.create', 'POST', '/:tenant/admin/invoices', 'admin', invoices.create),
    route('admin.ledgerEntryCorrections.new', 'GET', '/:tenant/admin/ledger-entries/:entryId/corrections/new', 'admin', [load.ledgerEntry], ledgerEntryCorrections.new, { section: 'admin.payments.index' }),
    route('admin.ledgerEntryCorrections.create', 'POST', '/:tenant/admin/ledger-entries/:entryId/corrections', 'admin', [load.ledgerEntry], ledgerEntryCorrections.create),
    // imports and exports of the accounting system's CSV files (M7), reached from Administration
    route('admin.imports.index', 'GET', '/:tenant/admin/imports', 'admin', dataImports.index, { section: 'admin.dashboards.show' }),
    route('admin.imports.create', 'POST', '/:tenant/admin/imports', 'admin', dataImports.create, { uploads: importUploadLimits, form: 'admin.imports.index' }),
    route('admin.imports.show', 'GET', '/:tenant/admin/imports/:importId', 'admin', [load.dataImport], dataImports.show, { section: 'admin.dashboards.show' }),
    route('admin.customerExports.show', 'GET', '/:tenant/admin/exports/customers.csv', 'admin', customerExports.show),
    route('admin.invoiceExports.show', 'GET', '/:tenant/admin/exports/invoices.csv', 'admin', invoiceExports.show),
    route('admin.paymentExports.show', 'GET', '/:tenant/admin/exports/payments.csv', 'admin', paymentExports.show),
    // a customer's settlements for staff (M1, M2): admins and the customer's caretaker, read-only
    route('staff.customerLedgers.index', 'GET', '/:tenant/staff/customers/:customerId/ledger', 'staff', [load.customer, allow('view')], customerLedgers.index),
    route('portal.ticketServiceReports.show', 'GET', '/:tenant/portal/tickets/:ticketId/service-report', 'portal', [load.ticket, allow('viewPricing')], portalTicketServiceReports.show),
    // payment orders and arrears statements (M3, M4, M8): PDFs made on request, so GETs; the form's amount comes as a query
    route('portal.paymentOrders.new', 'GET', '/:tenant/portal/payment-order/new', 'portal', portalPaymentOrders.new, menu('paymentDocuments:nav', 50)),
    route('portal.paymentOrders.show', 'GET', '/:tenant/portal/payment-order', 'portal', portalPaymentOrders.show, { section: 'portal.paymentOrders.new' }),
    route('portal.arrearsStatements.show', 'GET', '/:tenant/portal/arrears-statement', 'portal', portalArrearsStatements.show, { section: 'portal.paymentOrders.new' }),
    route('staff.customerPaymentOrders.new', 'GET', '/:tenant/staff/customers/:customerId/payment-order/new', 'staff', [load.customer, allow('view')], customerPaymentOrders.new),
    route('staff.customerPaymentOrders.show', 'GET', '/:tenant/staff/customers/:customerId/payment-order', 'staff', [load.customer, allow('view')], customerPaymentOrders.show),
    route('staff.customerArrearsStatements.show', 'GET', '/:tenant/staff/customers/:customerId/arrears-statement', 'staff', [load.customer, allow('view')], customerArrearsStatements.show),
    // reports for staff (M5, M9): arrears and payments per customer over a period, the aging of receivables, one
    // customer's report; each as a page, CSV and PDF. Admins see every customer, a caretaker their own (as the customer list).
    // The menu has no room left at 1280 px: the reports are reached from the start page and the customer list, under Customers.
    route('staff.balanceReports.index', 'GET', '/:tenant/staff/reports/balances', 'staff', balanceReports.index, { section: 'staff.customers.index' }),
    route('staff.balanceReportExports.index', 'GET', '/:tenant/staff/reports/balances.csv', 'staff', balanceReportExports.index, { section: 'staff.customers.index' }),
    route('staff.balanceReportPdfs.index', 'GET', '/:tenant/staff/reports/balances.pdf', 'staff', balanceReportPdfs.index, { section: 'staff.customers.index' }),
    route('staff.agingReports.index', 'GET', '/:tenant/staff/reports/aging', 'staff', agingReports.index, { section: 'staff.customers.index' }),
    route('staff.agingReportExports.index', 'GET', '/:tenant/staff/reports/aging.csv', 'staff', agingReportExports.index, { section: 'staff.customers.index' }),
    route('staff.agingReportPdfs.index', 'GET', '/:tenant/staff/reports/aging.pdf', 'staff', agingReportPdfs.index, { section: 'staff.customers.index' }),
    route('staff.customerReports.index', 'GET', '/:tenant/staff/customers/:customerId/report', 'staff', [load.customer, allow('view')], customerReports.index),
    route('staff.customerReportExports.index', 'GET', '/:tenant/staff/customers/:customerId/report.csv', 'staff', [load.customer, allow('view')], customerReportExports.index),
    route('staff.customerReportPdfs.index', 'GET', '/:tenant/staff/customers/:customerId/report.pdf', 'staff', [load.customer, allow('view')], customerReportPdfs.index),
    // announcements (C2, C3): admins write them and see who has read each; reached from Administration, as the menu has no room.
    // A withdrawal (ending one now) is its own noun. Clients read theirs, mark them read, and confirm an urgent one.
    route('admin.announcements.index', 'GET', '/:tenant/admin/announcements', 'admin', announcements.index, { section: 'admin.dashboards.show' }),
    route('admin.announcements.new', 'GET', '/:tenant/admin/announcements/new', 'admin', announcements.new, { section: 'admin.dashboards.show' }),
    route('admin.announcements.create', 'POST', '/:tenant/admin/announcements', 'admin', announcements.create),
    route('admin.announcements.show', 'GET', '/:tenant/admin/announcements/:announcementId', 'admin', [load.announcement], announcements.show, { section: 'admin.dashboards.show' }),
    route('admin.announcements.edit', 'GET', '/:tenant/admin/announcements/:announcementId/edit', 'admin', [load.announcement], announcements.edit, { section: 'admin.dashboards.show' }),
    route('admin.announcements.update', 'POST', '/:tenant/admin/announcements/:announcementId', 'admin', [load.announcement], announcements.update),
    route('admin.announcementWithdrawals.create', 'POST', '/:tenant/admin/announcements/:announcementId/withdrawal', 'admin', [load.announcement], announcementWithdrawals.create, { form: 'admin.announcements.show' }),
    route('admin.announcementReaderExports.index', 'GET', '/:tenant/admin/announcements/:announcementId/readers.csv', 'admin', [load.announcement], announcementReaderExports.index),
    route('portal.announcements.index', 'GET', '/:tenant/portal/announcements', 'portal', portalAnnouncements.index, { section: 'portal.dashboards.show' }),
    route('portal.announcements.show', 'GET', '/:tenant/portal/announcements/:announcementId', 'portal', [load.announcement], portalAnnouncements.show, { section: 'portal.dashboards.show' }),
    route('portal.announcementReadings.create', 'POST', '/:tenant/portal/announcements/:announcementId/reading', 'portal', [load.announcement], announcementReadings.create, { form: 'portal.announcements.show' }),
    // purges of approved data and one customer's export (D2, issue 18): superadmins ask (the preview, the name or number
    // typed out) and cancel; the list, a request's page and its approval are the admins' too, as a second person approves.
    route('admin.purgeRequests.index', 'GET', '/:tenant/admin/purge-requests', 'admin', purgeRequests.index, { section: 'admin.dashboards.show' }),
    route('admin.purgeRequests.show', 'GET', '/:tenant/admin/purge-requests/:purgeRequestId', 'admin', [load.purgeRequest], purgeRequests.show, { section: 'admin.dashboards.show' }),
    route('admin.purgeRequestApprovals.create', 'POST', '/:tenant/admin/purge-requests/:purgeRequestId/approval', 'admin', [load.purgeRequest], purgeRequestApprovals.create),
    route('superadmin.purgeRequestCancellations.create', 'POST', '/:tenant/admin/purge-requests/:purgeRequestId/cancellation', 'superadmin', [load.purgeRequest], purgeRequestCancellations.create),
    route('superadmin.customerPurgeRequests.new', 'GET', '/:tenant/admin/purge-requests/customers/:customerId/new', 'superadmin', [load.customer], customerPurgeRequests.new, { section: 'staff.customers.index' }),
    route('superadmin.customerPurgeRequests.create', 'POST', '/:tenant/admin/purge-requests/customers/:customerId', 'superadmin', [load.customer], customerPurgeRequests.create),
    route('superadmin.ticketPurgeRequests.new', 'GET', '/:tenant/admin/purge-requests/tickets/:ticketId/new', 'superadmin', [load.ticket], ticketPurgeRequests.new, { section: 'staff.tasks.index' }),
    route('superadmin.ticketPurgeRequests.create', 'POST', '/:tenant/admin/purge-requests/tickets/:ticketId', 'superadmin', [load.ticket], ticketPurgeRequests.create),
    route('superadmin.ledgerEntryPurgeRequests.new', 'GET', '/:tenant/admin/purge-requests/entries/:entryId/new', 'superadmin', [load.ledgerEntry], ledgerEntryPurgeRequests.new, { section: 'admin.payments.index' }),
    route('superadmin.ledgerEntryPurgeRequests.create', 'POST', '/:tenant/admin/purge-requests/entries/:entryId', 'superadmin', [load.ledgerEntry], ledgerEntryPurgeRequests.create),
    route('superadmin.customerDataExports.show', 'GET', '/:tenant/admin/customers/:customerId/export.zip', 'superadmin', [load.customer], customerDataExports.show),
  ];
}
