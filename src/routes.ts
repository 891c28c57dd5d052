import type { RequestHandler } from 'express';
import * as changeRequestDecisions from './controllers/change-request-decisions.js';
import * as changeRequests from './controllers/change-requests.js';
import * as company from './controllers/company.js';
import * as mailbox from './controllers/mailbox.js';
import * as profiles from './controllers/profiles.js';
import * as settings from './controllers/settings.js';
import * as adminCustomers from './controllers/admin-customers.js';
import * as customerActivations from './controllers/customer-activations.js';
import * as customers from './controllers/customers.js';
import * as accountInvitations from './controllers/account-invitations.js';
import * as customerAccounts from './controllers/customer-accounts.js';
import * as invitations from './controllers/invitations.js';
import * as passwordResets from './controllers/password-resets.js';
import * as accountDeactivations from './controllers/account-deactivations.js';
import * as accountLocks from './controllers/account-locks.js';
import * as accountPasswordResets from './controllers/account-password-resets.js';
import * as accountRoles from './controllers/account-roles.js';
import * as adminAccountInvitations from './controllers/admin-account-invitations.js';
import * as adminAccounts from './controllers/admin-accounts.js';
import * as groupDeletions from './controllers/group-deletions.js';
import * as groupMoves from './controllers/group-moves.js';
import * as groups from './controllers/groups.js';
import * as accountPasswords from './controllers/account-passwords.js';
import * as accounts from './controllers/accounts.js';
import * as auditLog from './controllers/audit-log.js';
import * as dashboards from './controllers/dashboards.js';
import * as failedJobs from './controllers/failed-jobs.js';
import * as jobRetries from './controllers/job-retries.js';
import * as health from './controllers/health.js';
import * as home from './controllers/home.js';
import * as passwordSetups from './controllers/password-setups.js';
import * as preferences from './controllers/preferences.js';
import * as sessions from './controllers/sessions.js';
import { createPassport } from './middleware/auth.js';
import { guards, type Guard } from './middleware/guards.js';

/**
 * Who a route is for. Each audience has one guard, put first on each of its routes:
 * operations and public are open, account needs any signed-in user, portal a client,
 * staff a caretaker or above, admin an admin or above, superadmin a superadmin.
 */
export const audienceGuards = {
  operations: guards.operations,
  public: guards.anyone,
  account: guards.signedIn,
  portal: guards.client,
  staff: guards.staff,
  admin: guards.admin,
  superadmin: guards.superadmin,
} as const satisfies Record<string, Guard>;

export type Audience = keyof typeof audienceGuards;

export type RouteDefinition = {
  method: 'GET' | 'POST';
  path: string;
  audience: Audience;
  guard: Guard;
  handlers: RequestHandler[];
  /** Open to a user who must first change their password (the password page, sign-out). */
  isOpenDuringPasswordChange: boolean;
};

type Options = { isOpenDuringPasswordChange?: boolean };

function route(method: RouteDefinition['method'], path: string, audience: Audience, handler: RequestHandler | RequestHandler[], options: Options = {}): RouteDefinition {
  return {
    method,
    path,
    audience,
    guard: audienceGuards[audience],
    handlers: Array.isArray(handler) ? handler : [handler],
    isOpenDuringPasswordChange: options.isOpenDuringPasswordChange ?? false,
  };
}

const duringPasswordChange: Options = { isOpenDuringPasswordChange: true };

/** THE route table: every URL of the application, one per line. Builds no connections. */
export function routeTable(): RouteDefinition[] {
  const authenticator = createPassport();
  return [
    route('GET', '/healthz', 'operations', health.live),
    route('GET', '/readyz', 'operations', health.ready),

    route('GET', '/:tenant', 'public', home.show),
    route('GET', '/:tenant/login', 'public', sessions.newSession),
    route('POST', '/:tenant/login', 'public', sessions.createSession(authenticator)),
    route('POST', '/:tenant/language', 'public', preferences.updateLanguage),
    route('POST', '/:tenant/text-size', 'public', preferences.updateTextSize),
    route('GET', '/:tenant/password-setup/:token', 'public', passwordSetups.show),
    route('POST', '/:tenant/password-setup/:token', 'public', passwordSetups.update),
    // public: invitations and password resets (A7, A11)
    route('GET', '/:tenant/invitations/:token', 'public', invitations.show),
    route('POST', '/:tenant/invitations/:token', 'public', invitations.update),
    route('GET', '/:tenant/password-resets/new', 'public', passwordResets.newReset),
    route('POST', '/:tenant/password-resets', 'public', passwordResets.create),
    route('GET', '/:tenant/password-resets/sent', 'public', passwordResets.confirmation),
    route('GET', '/:tenant/password-resets/:token', 'public', passwordResets.edit),
    route('POST', '/:tenant/password-resets/:token', 'public', passwordResets.update),

    route('POST', '/:tenant/logout', 'account', sessions.destroySession, duringPasswordChange),
    route('GET', '/:tenant/account', 'account', accounts.show),
    // account: profile and preferences (A9, A10)
    route('GET', '/:tenant/account/profile/edit', 'account', profiles.edit),
    route('POST', '/:tenant/account/profile', 'account', profiles.update),
    route('GET', '/:tenant/account/password', 'account', accountPasswords.edit, duringPasswordChange),
    route('POST', '/:tenant/account/password', 'account', accountPasswords.update, duringPasswordChange),

    route('GET', '/:tenant/portal', 'portal', dashboards.portal),
    // portal: company data and change requests (A13)
    route('GET', '/:tenant/portal/company', 'portal', company.show),
    route('GET', '/:tenant/portal/company/change-requests/new', 'portal', changeRequests.newRequest),
    route('POST', '/:tenant/portal/company/change-requests', 'portal', changeRequests.create),

    route('GET', '/:tenant/staff', 'staff', dashboards.staff),
    // staff: customers (D1, A2)
    route('GET', '/:tenant/staff/customers', 'staff', customers.index),
    route('GET', '/:tenant/staff/customers/:customerId', 'staff', customers.show),
    // staff: a customer's client accounts and invitations (A3, A7)
    route('GET', '/:tenant/staff/customers/:customerId/accounts', 'staff', customerAccounts.index),
    route('POST', '/:tenant/staff/customers/:customerId/accounts', 'staff', customerAccounts.create),
    route('POST', '/:tenant/staff/customers/:customerId/accounts/:userId/invitation', 'staff', accountInvitations.create),
    // staff: customer change requests (A13)
    route('GET', '/:tenant/staff/change-requests', 'staff', changeRequestDecisions.index),
    route('GET', '/:tenant/staff/change-requests/:requestId', 'staff', changeRequestDecisions.show),
    route('POST', '/:tenant/staff/change-requests/:requestId/approval', 'staff', changeRequestDecisions.approve),
    route('POST', '/:tenant/staff/change-requests/:requestId/rejection', 'staff', changeRequestDecisions.reject),

    route('GET', '/:tenant/admin', 'admin', dashboards.admin),
    // admin: customers (D1)
    route('GET', '/:tenant/admin/customers/new', 'admin', adminCustomers.newCustomer),
    route('POST', '/:tenant/admin/customers', 'admin', adminCustomers.create),
    route('GET', '/:tenant/admin/customers/:customerId/edit', 'admin', adminCustomers.edit),
    route('POST', '/:tenant/admin/customers/:customerId', 'admin', adminCustomers.update),
    route('POST', '/:tenant/admin/customers/:customerId/deactivation', 'admin', customerActivations.createDeactivation),
    route('POST', '/:tenant/admin/customers/:customerId/activation', 'admin', customerActivations.createActivation),
    // admin: accounts panel (A4)
    route('GET', '/:tenant/admin/accounts', 'admin', adminAccounts.index),
    route('GET', '/:tenant/admin/accounts/new', 'admin', adminAccounts.newAccount),
    route('POST', '/:tenant/admin/accounts', 'admin', adminAccounts.create),
    route('POST', '/:tenant/admin/accounts/group-moves', 'admin', groupMoves.create),
    route('GET', '/:tenant/admin/accounts/:userId', 'admin', adminAccounts.show),
    route('POST', '/:tenant/admin/accounts/:userId/role', 'admin', accountRoles.update),
    route('POST', '/:tenant/admin/accounts/:userId/lock', 'admin', accountLocks.create),
    route('POST', '/:tenant/admin/accounts/:userId/unlock', 'admin', accountLocks.destroy),
    route('POST', '/:tenant/admin/accounts/:userId/deactivation', 'admin', accountDeactivations.create),
    route('POST', '/:tenant/admin/accounts/:userId/password-reset', 'admin', accountPasswordResets.create),
    route('POST', '/:tenant/admin/accounts/:userId/invitation', 'admin', adminAccountInvitations.create),
    // admin: groups (A5)
    route('GET', '/:tenant/admin/groups', 'admin', groups.index),
    route('POST', '/:tenant/admin/groups', 'admin', groups.create),
    route('GET', '/:tenant/admin/groups/:groupId/edit', 'admin', groups.edit),
    route('POST', '/:tenant/admin/groups/:groupId', 'admin', groups.update),
    route('POST', '/:tenant/admin/groups/:groupId/deletion', 'admin', groupDeletions.create),
    // admin: settings (A6, D5) and the development mailbox
    route('GET', '/:tenant/admin/settings', 'admin', settings.edit),
    route('POST', '/:tenant/admin/settings', 'admin', settings.update),
    route('GET', '/:tenant/admin/mailbox', 'admin', mailbox.index),

    route('GET', '/:tenant/admin/audit-log', 'superadmin', auditLog.index),
    // superadmin: failed background jobs (issue 13)
    route('GET', '/:tenant/admin/jobs', 'superadmin', failedJobs.index),
    route('POST', '/:tenant/admin/jobs/:jobId/retry', 'superadmin', jobRetries.create),
  ];
}

/** One JSON-ready line per route, as `npm run routes` prints it. */
export function describeRoutes(table: RouteDefinition[]): Array<{ method: string; path: string; audience: Audience; guard: string }> {
  return table.map((entry) => ({ method: entry.method, path: entry.path, audience: entry.audience, guard: entry.guard.guardName }));
}
