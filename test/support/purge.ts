import { createAnnouncement } from '../../src/models/announcement.js';
import { markAnnouncementRead } from '../../src/models/announcement-readings.js';
import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { logEvent } from '../../src/models/audit.js';
import { customerDataOf, requestCustomerChange } from '../../src/models/change-request.js';
import { setCustomerActive, type Customer } from '../../src/models/customer.js';
import { addDocument } from '../../src/models/document.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';
import { throttleKeys } from '../../src/models/login-throttle.js';
import { enqueueMail } from '../../src/models/outbox.js';
import { issuePasswordToken } from '../../src/models/password-token.js';
import { saveSettings } from '../../src/models/settings.js';
import { addCostLine } from '../../src/models/ticket-cost-lines.js';
import { notifyOfNewTicket } from '../../src/models/ticket-notifications.js';
import { addStaffMessage, replyAsClient } from '../../src/models/ticket-workflow.js';
import type { IncomingFile } from '../../src/models/stored-file.js';
import type { User } from '../../src/models/user.js';
import { fileStoresFor, type FileStores } from '../../src/lib/storage/index.js';
import { moneyOf } from '../../src/lib/money.js';
import { createLinks, createPathTo } from '../../src/lib/urls.js';
import { routeTable } from '../../src/routes.js';
import { toDatabaseTime } from '../../src/lib/time.js';
import { makeCustomer, makeUser, scopeFor, uniqueName, userScope, type TestTenant } from './factories.js';
import { clientAddress, ingest, mailFixture } from './mail-intake.js';
import { makeTicket } from './tickets.js';

/** A PDF's bytes, with a mark of its own so that an export's copy can be told apart. */
export function pdfFile(mark: string): IncomingFile & { bytes: Buffer } {
  const bytes = Buffer.from(`%PDF-1.4\n% ${mark}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
  return { originalName: `${mark}.pdf`, type: 'pdf', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), content: async () => bytes, bytes };
}

export type RichCustomer = {
  customer: Customer;
  caretaker: User;
  clients: User[];
  closedTicketId: number;
  openTicketId: number;
  invoiceId: number;
  paymentId: number;
  correctionId: number;
  documentBytes: Buffer;
};

/**
 * A customer with something in every table a customer has rows in (D2): two client accounts with a
 * session, a one-time link, settings, an e-mail and audit entries with an address each; a change
 * request; a document with a file; a closed ticket with a reply, a note, files and a cost line; a
 * ticket that came by e-mail; an approved invoice, payment (allocated) and correction, one entered
 * with a form's key; a payment reminder and sign-in counters. The outbox holds, besides the accounts'
 * messages, a reminder to the customer's own address (no account's) and the caretaker's notice of
 * its open ticket, which name the customer only by customer_id. Deactivated at the end, as a purge
 * asks, unless `isActive`.
 */
export async function makeRichCustomer(db: Knex, tenant: TestTenant, options: { stores?: FileStores; isActive?: boolean } = {}): Promise<RichCustomer> {
  const stores = options.stores ?? fileStoresFor({ filesDirectory: undefined });
  const system = scopeFor(db, tenant);
  const caretaker = await makeUser(db, tenant, 'caretaker');
  const customer = await makeCustomer(db, tenant, { name: uniqueName('Purged'), caretaker });
  const first = await makeUser(db, tenant, 'client', { customer });
  const second = await makeUser(db, tenant, 'client', { customer });
  await db('users').where({ tenant_id: tenant.id, id: second.id }).update({ email: clientAddress, is_primary_contact: true });
  const clients = [first, second];

  await saveSettings(system, 'customer', customer.id, { 'portal.access': 'on' });
  await saveSettings(userScope(db, first), 'account', first.id, { 'account.landing_page': 'tickets' });
  await requestCustomerChange(userScope(db, first), customer.id, { ...customerDataOf(customer), city: 'Kraków' });
  const document = pdfFile(uniqueName('umowa'));
  await addDocument(userScope(db, first), stores, { customerId: customer.id, title: 'Umowa', description: null, submissionKey: null }, [document]);
  await issuePasswordToken(system, second.id, 'invitation');

  const closed = await makeTicket(db, tenant, first);
  await replyAsClient(userScope(db, first), closed.id, 'Dalej nie działa.', { attachments: { store: stores.forNewFiles, files: [pdfFile(uniqueName('zdjecie'))] } });
  await addStaffMessage(userScope(db, caretaker), closed.id, { body: 'Notatka wewnętrzna', isInternal: true }, { attachments: { store: stores.forNewFiles, files: [pdfFile(uniqueName('notatka'))] } });
  await addCostLine(system, closed.id, { kind: 'labour', description: 'Naprawa', quantityThousandths: 1000, unitPriceMinor: 10000, vatRate: '23', submissionKey: null });
  await db('tickets').where({ tenant_id: tenant.id, id: closed.id }).update({ status: 'closed' });
  const open = await makeTicket(db, tenant, second, { title: 'Drugie zgłoszenie' });
  // The caretaker is told of the new task (a staff account's message: only its customer_id ties it to the customer).
  const told = await notifyOfNewTicket(system, open, createLinks(createPathTo(routeTable()), 'https://ebok.example'));
  if (told !== 'assignee') throw new Error(`the rich customer's ticket was told to ${told}, not its caretaker`);
  await ingest(db, tenant, mailFixture('plain.eml'));

  const currency = tenant.currency ?? 'PLN';
  const invoice = await enterLedgerEntry(system, { kind: 'invoice', customerId: customer.id, amount: moneyOf(50_000, currency), documentNumber: uniqueName('FV'), issueDate: '2026-11-01', dueDate: '2026-11-15' }, { isApproved: true, source: 'import' });
  const payment = await enterLedgerEntry(system, { kind: 'payment', customerId: customer.id, amount: moneyOf(20_000, currency), paidOn: '2026-11-10', method: 'transfer', reference: 'Przelew' }, { isApproved: true, source: 'import', idempotencyKey: randomUUID() });
  const correction = await enterLedgerEntry(system, { kind: 'correction', correctsEntryId: invoice.id, amount: moneyOf(-5_000, currency), date: '2026-11-12', description: 'Rabat' }, { isApproved: true, source: 'import' });
  await db('payment_reminders').insert({ tenant_id: tenant.id, customer_id: customer.id, last_sent_at: toDatabaseTime(new Date()), sent_count: 1 });
  // A reminder sent when the customer had no primary contact yet: to its own address, no account's.
  const ownAddress = `${uniqueName('biuro')}@example.test`;
  await db('customers').where({ tenant_id: tenant.id, id: customer.id }).update({ email: ownAddress });
  await enqueueMail(system, { to: ownAddress, customerId: customer.id, locale: 'pl', template: 'payment-reminder', data: { tenant: tenant.name, customer: customer.name, invoices: 'FV · 15.11.2026 · 500,00 zł', total: '500,00 zł', link: '', greetingName: '' } });

  // An announcement to the customer (it goes with it) and one to every client (it stays; the purged accounts' receipts go).
  const announcement = { body: 'Tekst', groupId: null, login: null, isUrgent: false, sendsEmail: false, publishAt: new Date(Date.now() - 60_000), endsAt: null };
  const toCustomer = await createAnnouncement(system, { ...announcement, title: 'Do klienta', audience: 'customer', customerId: customer.id });
  const toAll = await createAnnouncement(system, { ...announcement, title: 'Do wszystkich', audience: 'all', customerId: null });
  for (const id of [toCustomer, toAll]) await markAnnouncementRead(userScope(db, first), id);

  const now = toDatabaseTime(new Date());
  for (const client of clients) {
    await db('sessions').insert({ sid: randomUUID(), sess: JSON.stringify({ userId: client.id, tenantId: tenant.id }), expires_at: toDatabaseTime(new Date(Date.now() + 3_600_000)), tenant_id: tenant.id, user_id: client.id });
    await db('outbox').insert({ tenant_id: tenant.id, recipient: `${client.login}@example.test`, locale: 'pl', template: 'password_reset', data: '{}', status: 'sent', attempts: 1, next_attempt_at: now, created_at: now, sent_at: now, recipient_user_id: client.id });
    await logEvent(userScope(db, client), { action: 'user.signed_in', subjectType: 'user', subjectId: client.id, ip: '203.0.113.7' });
    await db('login_throttles').insert({ throttle_key: throttleKeys(tenant.id, client.login, '').login, failures: 1, last_failure_at: now, in_flight: 0 });
  }
  if (!options.isActive) await setCustomerActive(system, customer.id, false);
  return { customer, caretaker, clients, closedTicketId: closed.id, openTicketId: open.id, invoiceId: invoice.id, paymentId: payment.id, correctionId: correction.id, documentBytes: document.bytes };
}

/** The tables and columns of the schema, read from the database itself (SQLite's pragmas, MySQL's information_schema). */
export async function schemaColumns(db: Knex): Promise<Array<{ table: string; column: string; references: string | null }>> {
  const columns: Array<{ table: string; column: string; references: string | null }> = [];
  if (db.client.config.client === 'better-sqlite3') {
    const tables: Array<{ name: string }> = await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'knex_%'");
    for (const { name } of tables) {
      const keys: Array<{ from: string; table: string; to: string }> = (await db.raw(`PRAGMA foreign_key_list(\`${name}\`)`)).filter((key: { to: string }) => key.to === 'id');
      const info: Array<{ name: string }> = await db.raw(`PRAGMA table_info(\`${name}\`)`);
      for (const column of info) columns.push({ table: name, column: column.name, references: keys.find((key) => key.from === column.name)?.table ?? null });
    }
    return columns;
  }
  const [rows] = await db.raw(
    `SELECT c.table_name AS t, c.column_name AS c, k.referenced_table_name AS r FROM information_schema.columns c
     LEFT JOIN information_schema.key_column_usage k ON k.table_schema = c.table_schema AND k.table_name = c.table_name AND k.column_name = c.column_name AND k.referenced_table_name IS NOT NULL AND k.referenced_column_name = 'id'
     WHERE c.table_schema = DATABASE() AND c.table_name NOT LIKE 'knex_%'`,
  );
  for (const row of rows as Array<{ t: string; c: string; r: string | null }>) columns.push({ table: row.t, column: row.c, references: row.r });
  return columns;
}

/** The number of rows of every table of the tenants (tables without tenant_id skipped), to compare before and after. */
export async function rowCounts(db: Knex, tenantId: number): Promise<Record<string, number>> {
  const columns = await schemaColumns(db);
  const tables = [...new Set(columns.filter((column) => column.column === 'tenant_id').map((column) => column.table))].sort();
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = Number((await db(table).where('tenant_id', tenantId).count({ count: '*' }).first())?.count ?? 0);
  return counts;
}
