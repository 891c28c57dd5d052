import type { Knex } from 'knex';
import * as createTenants from '../../migrations/20261123_1000_create_tenants.js';
import * as createGroups from '../../migrations/20261123_1010_create_groups.js';
import * as createCustomers from '../../migrations/20261123_1020_create_customers.js';
import * as createUsers from '../../migrations/20261123_1030_create_users.js';
import * as addCustomersCaretakerForeignKey from '../../migrations/20261123_1040_add_customers_caretaker_foreign_key.js';
import * as createSessions from '../../migrations/20261123_1050_create_sessions.js';
import * as createAuditLog from '../../migrations/20261123_1060_create_audit_log.js';
import * as createLoginThrottles from '../../migrations/20261123_1070_create_login_throttles.js';
import * as createPasswordTokens from '../../migrations/20261123_1080_create_password_tokens.js';
import * as addCustomerDetails from '../../migrations/20261124_1000_add_customer_details.js';
import * as addUserContactAndPreferences from '../../migrations/20261124_1010_add_user_contact_and_preferences.js';
import * as createSettings from '../../migrations/20261124_1020_create_settings.js';
import * as createOutbox from '../../migrations/20261124_1030_create_outbox.js';
import * as createCustomerChangeRequests from '../../migrations/20261124_1040_create_customer_change_requests.js';
import * as addCustomersSubmissionKey from '../../migrations/20261124_1050_add_customers_submission_key.js';
import * as addAuditChain from '../../migrations/20261125_1000_add_audit_chain.js';
import * as addLoginThrottlesInFlight from '../../migrations/20261201_1000_add_login_throttles_in_flight.js';
import * as createJobs from '../../migrations/20261201_1010_create_jobs.js';
import * as moveLandingPageToSettings from '../../migrations/20261201_1020_move_landing_page_to_settings.js';
import * as addTenantsOfficeContact from '../../migrations/20261201_1100_add_tenants_office_contact.js';
import * as addUsersVersion from '../../migrations/20261201_1200_add_users_version.js';
import * as addOutboxRecipientUserId from '../../migrations/20261201_1210_add_outbox_recipient_user_id.js';
import * as addCustomersCustomerNumber from '../../migrations/20261201_1300_add_customers_customer_number.js';
import * as createTicketCategories from '../../migrations/20261201_2000_create_ticket_categories.js';
import * as createTickets from '../../migrations/20261201_2010_create_tickets.js';
import * as createDocuments from '../../migrations/20261201_2100_create_documents.js';
import * as createStoredFiles from '../../migrations/20261201_2110_create_stored_files.js';
import * as createFileBlobs from '../../migrations/20261201_2120_create_file_blobs.js';
import * as addStoredFilesTicketOwners from '../../migrations/20261201_2300_add_stored_files_ticket_owners.js';
import * as addTicketMessagesSubmissionKey from '../../migrations/20261201_2310_add_ticket_messages_submission_key.js';
import * as addTicketSearch from '../../migrations/20261201_2400_add_ticket_search.js';
import * as addTicketCategoryEditing from '../../migrations/20261201_2800_add_ticket_category_editing.js';
import * as createLedger from '../../migrations/20261202_1000_create_ledger.js';
import * as addTenantsBillingDetails from '../../migrations/20261202_1100_add_tenants_billing_details.js';
import * as createPaymentReminders from '../../migrations/20261202_1100_create_payment_reminders.js';
import * as createMailIntake from '../../migrations/20261201_2600_create_mail_intake.js';
import * as createTicketCostLines from '../../migrations/20261201_2700_create_ticket_cost_lines.js';
import * as createImports from '../../migrations/20261202_1300_create_imports.js';
import * as widenSettingsValue from '../../migrations/20261202_1400_widen_settings_value.js';
import * as announcements from '../../migrations/20261203_1000_announcements.js';
import * as officeMessages from '../../migrations/20261203_1100_office_messages.js';
import * as createAuditVerifications from '../../migrations/20261203_1105_create_audit_verifications.js';
import * as createPurgeRequests from '../../migrations/20261203_1200_purge_requests.js';
import * as addOutboxCustomer from '../../migrations/20261203_1300_outbox_customer.js';
import * as addPageIndexes from '../../migrations/20261204_1200_page_indexes.js';
import * as addCustomersActiveNameIndex from '../../migrations/20261204_1300_customers_active_name_index.js';
import * as addLedgerOpenAmounts from '../../migrations/20261205_0900_ledger_open_amounts.js';
import * as addCustomerLedgerBalances from '../../migrations/20261205_0910_customer_ledger_balances.js';
import * as addTenantConfigurationVersions from '../../migrations/20261206_0900_tenant_configuration_versions.js';
import * as moveTenantConfigurationVersions from '../../migrations/20261206_0910_tenant_configuration_version_table.js';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };

/** Every migration, in the order it runs. A new migration is added here (folders are not scanned). */
const migrations: ReadonlyArray<readonly [string, Migration]> = [
  ['20261123_1000_create_tenants', createTenants],
  ['20261123_1010_create_groups', createGroups],
  ['20261123_1020_create_customers', createCustomers],
  ['20261123_1030_create_users', createUsers],
  ['20261123_1040_add_customers_caretaker_foreign_key', addCustomersCaretakerForeignKey],
  ['20261123_1050_create_sessions', createSessions],
  ['20261123_1060_create_audit_log', createAuditLog],
  ['20261123_1070_create_login_throttles', createLoginThrottles],
  ['20261123_1080_create_password_tokens', createPasswordTokens],
  ['20261124_1000_add_customer_details', addCustomerDetails],
  ['20261124_1010_add_user_contact_and_preferences', addUserContactAndPreferences],
  ['20261124_1020_create_settings', createSettings],
  ['20261124_1030_create_outbox', createOutbox],
  ['20261124_1040_create_customer_change_requests', createCustomerChangeRequests],
  ['20261124_1050_add_customers_submission_key', addCustomersSubmissionKey],
  ['20261125_1000_add_audit_chain', addAuditChain],
  ['20261201_1000_add_login_throttles_in_flight', addLoginThrottlesInFlight],
  ['20261201_1010_create_jobs', createJobs],
  ['20261201_1020_move_landing_page_to_settings', moveLandingPageToSettings],
  ['20261201_1100_add_tenants_office_contact', addTenantsOfficeContact],
  ['20261201_1200_add_users_version', addUsersVersion],
  ['20261201_1210_add_outbox_recipient_user_id', addOutboxRecipientUserId],
  ['20261201_1300_add_customers_customer_number', addCustomersCustomerNumber],
  ['20261201_2000_create_ticket_categories', createTicketCategories],
  ['20261201_2010_create_tickets', createTickets],
  ['20261201_2100_create_documents', createDocuments],
  ['20261201_2110_create_stored_files', createStoredFiles],
  ['20261201_2120_create_file_blobs', createFileBlobs],
  ['20261201_2300_add_stored_files_ticket_owners', addStoredFilesTicketOwners],
  ['20261201_2310_add_ticket_messages_submission_key', addTicketMessagesSubmissionKey],
  ['20261201_2400_add_ticket_search', addTicketSearch],
  ['20261201_2600_create_mail_intake', createMailIntake],
  ['20261201_2700_create_ticket_cost_lines', createTicketCostLines],
  ['20261201_2800_add_ticket_category_editing', addTicketCategoryEditing],
  ['20261202_1000_create_ledger', createLedger],
  ['20261202_1100_add_tenants_billing_details', addTenantsBillingDetails],
  ['20261202_1100_create_payment_reminders', createPaymentReminders],
  ['20261202_1300_create_imports', createImports],
  ['20261202_1400_widen_settings_value', widenSettingsValue],
  ['20261203_1000_announcements', announcements],
  ['20261203_1100_office_messages', officeMessages],
  ['20261203_1105_create_audit_verifications', createAuditVerifications],
  ['20261203_1200_purge_requests', createPurgeRequests],
  ['20261203_1300_outbox_customer', addOutboxCustomer],
  ['20261204_1200_page_indexes', addPageIndexes],
  ['20261204_1300_customers_active_name_index', addCustomersActiveNameIndex],
  ['20261205_0900_ledger_open_amounts', addLedgerOpenAmounts],
  ['20261205_0910_customer_ledger_balances', addCustomerLedgerBalances],
  ['20261206_0900_tenant_configuration_versions', addTenantConfigurationVersions],
  ['20261206_0910_tenant_configuration_version_table', moveTenantConfigurationVersions],
];

const migrationSource: Knex.MigrationSource<readonly [string, Migration]> = {
  getMigrations: async () => [...migrations],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};

const migratorConfig = { migrationSource, tableName: 'knex_migrations' };

/** Brings the schema up to date; returns the names of the migrations it ran. */
export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migratorConfig)) as [number, string[]];
  return applied;
}

/** Applies the pending migrations that come before `name`, one by one: a test of a migration's data step starts there. */
export async function migrateUpTo(db: Knex, name: string): Promise<void> {
  const pending = await pendingMigrations(db);
  if (!pending.includes(name)) throw new Error(`migration ${name} is not pending`);
  for (const earlier of pending.slice(0, pending.indexOf(name))) await db.migrate.up({ ...migratorConfig, name: earlier });
}

/** The migrations not yet applied (empty when the schema is current). */
export async function pendingMigrations(db: Knex): Promise<string[]> {
  // knex lists pending migrations as our source gives them (name and module pairs), not as names.
  const [, pending] = (await db.migrate.list(migratorConfig)) as [unknown, Array<readonly [string, Migration]>];
  return pending.map((entry) => migrationSource.getMigrationName(entry));
}
