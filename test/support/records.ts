import type { Knex } from 'knex';
import { customerDataOf, requestCustomerChange } from '../../src/models/change-request.js';
import type { Customer } from '../../src/models/customer.js';
import { createGroup } from '../../src/models/group.js';
import { enqueueTenantJob } from '../../src/models/job.js';
import { addDocument } from '../../src/models/document.js';
import { fileStoresFor } from '../../src/lib/storage/index.js';
import { toDatabaseTime } from '../../src/lib/time.js';
import type { User } from '../../src/models/user.js';
import { categoryId, makeTicket } from './tickets.js';
import { ingest, mailFixture } from './mail-intake.js';
import { addCostLine } from '../../src/models/ticket-cost-lines.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';
import { moneyOf } from '../../src/lib/money.js';
import { recordCommandLineImport } from '../../src/models/data-import.js';
import { createAnnouncement } from '../../src/models/announcement.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, uniqueName, userScope, type TestTenant } from './factories.js';

/** The records of one customer that a route can name, by the URL parameter that names each. */
export type CustomerRecords = { tenant: TestTenant; customer: Customer; caretaker: User; client: User; ids: Record<string, number> };

/**
 * A customer with a caretaker, an invited client account (no password yet, so an invitation or a
 * reset would be sent), a pending change request, a group and a failed job of its tenant: everything a route
 * of the table can name, with the ids under their parameters' names.
 */
export async function makeCustomerRecords(db: Knex): Promise<CustomerRecords> {
  const tenant = await makeTenant(db);
  const caretaker = await makeUser(db, tenant, 'caretaker');
  const customer = await makeCustomer(db, tenant, { name: uniqueName('Victim'), caretaker });
  const client = await makeUser(db, tenant, 'client', { customer, password: null });
  const requestId = await requestCustomerChange(userScope(db, client), customer.id, { ...customerDataOf(customer), city: 'Kraków' });
  const group = await createGroup(scopeFor(db, tenant), uniqueName('Group'));
  // A failed background job of the tenant, which a superadmin could retry.
  const jobId = await enqueueTenantJob(scopeFor(db, tenant), { kind: 'mail.send', payload: { outboxId: 1 }, runAt: new Date(0) });
  // Failed just now: housekeeping (run by another test file's jobs, on MySQL) forgets failures a month old.
  await db('jobs').where('id', jobId).update({ status: 'failed', attempts: 8, last_error: 'refused', finished_at: toDatabaseTime(new Date()) });
  // A document of the customer with one file, added by its client (in the database store).
  const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
  const documentId = await addDocument(userScope(db, client), fileStoresFor({ filesDirectory: undefined }), { customerId: customer.id, title: 'Umowa', description: null, submissionKey: null }, [{ originalName: 'umowa.pdf', type: 'pdf', size: pdf.length, sha256: '0'.repeat(64), content: async () => pdf }]);
  const fileId = Number((await db('stored_files').where('tenant_id', tenant.id).first('id')).id);
  // A ticket of the customer, filed by its client: a task of its caretaker, not in the queue (issue 15).
  const ticket = await makeTicket(db, tenant, client);
  // An e-mail message that could not be filed, waiting for an admin (T9). Not one from an unknown
  // sender: that one is no customer's and waits in the queue for every caretaker
  // (test/integration/mail-intake-queue.test.ts tests who may do what with it).
  const intakeId = (await ingest(db, tenant, mailFixture('broken.eml'))).intakeId;
  // One of the tenant's ticket categories (an admin's page edits, moves and deletes them).
  const ticketCategoryId = await categoryId(db, tenant, 'question');
  // A cost line of that ticket (T10).
  const costLineId = await addCostLine(scopeFor(db, tenant), ticket.id, { kind: 'labour', description: 'Naprawa', quantityThousandths: 1000, unitPriceMinor: 10000, vatRate: '23', submissionKey: null });
  // A pending payment of the customer, entered by the system (M1): admins approve or reject it.
  // Approved, so that every route of an entry has a page to open (a correction is offered on approved entries only).
  const entryId = (await enterLedgerEntry(scopeFor(db, tenant), { kind: 'payment', customerId: customer.id, amount: moneyOf(12_345, tenant.currency ?? 'PLN'), paidOn: '2026-11-20', method: 'transfer', reference: 'Przelew' }, { isApproved: true, source: 'import' })).id;
  // An import of the tenant's (M7), recorded as the command line records one: admins read its page.
  const importId = await recordCommandLineImport(scopeFor(db, tenant), { kind: 'invoices', isDryRun: true, fileName: 'faktury.csv', fileSize: 10 });
  // An announcement to the customer (C2): only its clients read it, only admins of the tenant edit it.
  const announcementId = await createAnnouncement(scopeFor(db, tenant), { title: 'Przerwa serwisowa', body: 'Tekst', audience: 'customer', groupId: null, customerId: customer.id, login: null, isUrgent: false, sendsEmail: false, publishAt: new Date(Date.now() - 60_000), endsAt: null });
  // A purge request of the customer, waiting for a second person (D2): admins approve it, superadmins cancel it.
  const purgeRequestId = Number((await db('purge_requests').insert({ tenant_id: tenant.id, kind: 'customer', target_id: customer.id, status: 'requested', counts: '{}', open_key: `customer:${customer.id}`, requested_by: tenant.superadmin.id, requested_at: toDatabaseTime(new Date()), version: 1 }))[0]);
  return { tenant, customer, caretaker, client, ids: { announcementId, purgeRequestId, importId, entryId, customerId: customer.id, requestId, userId: client.id, groupId: group.id, jobId, fileId, documentId, ticketId: ticket.id, intakeId, categoryId: ticketCategoryId, costLineId } };
}

/**
 * What the forms of the record routes that take fields carry, by route name, so that a request
 * let through would write rather than stop at validation.
 */
export function writingFormsOf(records: CustomerRecords): Record<string, Record<string, string>> {
  return {
    'admin.customers.update': { name: 'Taken over', taxCountry: 'PL', country: 'PL', isActive: 'on', version: String(records.customer.version) },
    'staff.customerAccounts.create': { login: uniqueName('intruder'), firstName: 'In', lastName: 'Truder', email: 'intruder@example.test', access: 'invitation' },
    'staff.changeRequestRejections.create': { reason: 'Rejected by an outsider' },
    'admin.accountRoles.update': { role: 'caretaker' },
    'admin.groups.update': { name: 'Renamed by an outsider', portalAccess: 'off' },
    'admin.groupDeletions.create': { confirmation: 'yes' },
    'admin.groupPortlets.update': { mode: 'own', shown_balance: 'on', position_balance: '1' },
    'admin.accountDetails.update': { firstName: 'Taken', lastName: 'Over', email: 'intruder@example.test', version: '1' },
    'staff.customerAccountDetails.update': { firstName: 'Taken', lastName: 'Over', email: 'intruder@example.test', version: '1' },
    'admin.customerDeactivations.create': { confirmation: 'yes' },
    'staff.tickets.create': { categoryId: '1', title: 'Filed by an outsider', description: 'Outsider' },
    'portal.ticketReplies.create': { body: 'Reply of an outsider' },
    'staff.ticketStatuses.update': { status: 'in_progress', version: '1' },
    'staff.ticketPlans.update': { dueDate: '2031-01-01', priority: 'urgent', version: '1' },
    'staff.ticketMessages.create': { body: 'Note of an outsider', isInternal: 'on' },
    'staff.ticketAssignments.create': { assigneeId: String(records.caretaker.id), note: 'Taken over' },
    'admin.mailIntakeFilings.create': { customerId: String(records.customer.id) },
    'admin.ticketCategories.update': { namePl: 'Przejęta', nameEn: 'Taken over', version: '1' },
    'admin.ticketCategoryPositions.update': { direction: 'up' },
    'staff.ticketCostLines.create': { kind: 'fee', description: 'Fee of an outsider', quantity: '1', unitPrice: '999', vatRate: '23' },
    'staff.ticketCostLines.update': { kind: 'fee', description: 'Changed by an outsider', quantity: '1', unitPrice: '999', vatRate: '23', version: '1' },
    'staff.ticketCostLines.destroy': { version: '1' },
    'admin.ledgerEntryApprovals.create': { version: '1' },
    'admin.ledgerEntryRejections.create': { version: '1', reason: 'Rejected by an outsider' },
    'admin.announcements.update': { title: 'Taken over', body: 'Outsider', audience: 'all', publishAt: '2026-01-01T10:00', version: '1' },
    'admin.ledgerEntryCorrections.create': { direction: 'lower', amount: '10,00', date: '2026-11-21', description: 'Corrected by an outsider' },
    'admin.purgeRequestApprovals.create': { version: '1' },
    'superadmin.purgeRequestCancellations.create': { version: '1' },
    'superadmin.customerPurgeRequests.create': { confirmation: records.customer.name },
    'superadmin.ticketPurgeRequests.create': { confirmation: String(records.ids.ticketId) },
    'superadmin.ledgerEntryPurgeRequests.create': { confirmation: String(records.ids.entryId) },
  };
}

/** The tables a refused request must leave as they were. */
const watchedTables = ['customers', 'users', 'groups', 'settings', 'customer_change_requests', 'outbox', 'password_tokens', 'audit_log', 'jobs', 'documents', 'stored_files', 'file_blobs', 'tickets', 'ticket_messages', 'ticket_events', 'ticket_counters', 'mail_intake', 'ticket_categories', 'ticket_cost_lines', 'ledger_entries', 'ledger_allocations', 'imports', 'announcements', 'announcement_readings', 'purge_requests'] as const;

/**
 * Every row of the tenants in the watched tables, to compare before and after. On MySQL another
 * test file's outbox sender may claim a pending message of any tenant: fixtures here queue none.
 */
export async function rowsOfTenants(db: Knex, tenantIds: readonly number[]): Promise<Record<string, unknown[]>> {
  const rows = await Promise.all(watchedTables.map((table) => db(table).whereIn('tenant_id', tenantIds).orderBy('id')));
  return Object.fromEntries(watchedTables.map((table, index) => [table, rows[index]!]));
}
