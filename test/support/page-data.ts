import type { Knex } from 'knex';
import { toDatabaseTime } from '../../src/lib/time.js';
import type { Customer } from '../../src/models/customer.js';
import type { User } from '../../src/models/user.js';
import { makeCustomer, makeTenant, makeUser, uniqueName, type TestTenant } from './factories.js';
import { categoryId } from './tickets.js';
import { signedInAgent, type Agent } from './http.js';
import type { Express } from 'express';

/**
 * A tenant whose main pages have something on them: a caretaker with a client's customer (a primary
 * contact), an admin, and a ticket with 20 messages. `grow` adds rows in batched inserts (not through
 * the verbs, which would take minutes for thousands of rows), so a test can ask a page with 5 rows
 * and again with 50, or give the optimizer enough rows to choose an index over a scan.
 */
export type PageWorld = { tenant: TestTenant; caretaker: User; admin: User; customer: Customer; client: User; ticketWithMessages: number };

export async function makePageWorld(db: Knex): Promise<PageWorld> {
  const tenant = await makeTenant(db);
  const caretaker = await makeUser(db, tenant, 'caretaker', { firstName: 'Karolina', lastName: 'Zielińska' });
  const admin = await makeUser(db, tenant, 'admin');
  const customer = await makeCustomer(db, tenant, { caretaker, name: 'Alfa Serwis' });
  const client = await makeUser(db, tenant, 'client', { customer });
  await db('users').where('id', client.id).update({ is_primary_contact: true });
  const [ticketWithMessages] = await insertTickets(db, { tenant, customer, filer: client, assignee: caretaker }, 1, 1000);
  const now = Date.now();
  await insertInBatches(
    db,
    'ticket_messages',
    Array.from({ length: 20 }, (_, index) => ({ tenant_id: tenant.id, ticket_id: ticketWithMessages, author_id: index % 2 ? caretaker.id : client.id, body: `Wiadomość ${index + 1}`, is_internal: false, created_at: toDatabaseTime(new Date(now - (20 - index) * 60_000)) })),
  );
  return { tenant, caretaker, admin, customer, client, ticketWithMessages: ticketWithMessages! };
}

/** Rows written in multi-row inserts of 200 (SQLite binds at most 32,766 values a statement). */
export async function insertInBatches(db: Knex, table: string, rows: Array<Record<string, unknown>>): Promise<void> {
  for (let start = 0; start < rows.length; start += 200) await db(table).insert(rows.slice(start, start + 200));
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Tickets of the customer filed by the client and assigned to the caretaker, half of them overdue; their ids. */
export async function insertTickets(db: Knex, world: Pick<PageWorld, 'tenant' | 'customer'> & { filer: User; assignee: User }, count: number, firstSequence: number): Promise<number[]> {
  const category = await categoryId(db, world.tenant);
  const statuses = ['new', 'in_progress', 'waiting_for_customer', 'scheduled'];
  const now = Date.now();
  const rows = Array.from({ length: count }, (_, index) => ({
    tenant_id: world.tenant.id,
    year: 2026,
    sequence: firstSequence + index,
    customer_id: world.customer.id,
    filed_by: world.filer.id,
    source: 'portal',
    category_id: category,
    title: `Zgłoszenie ${firstSequence + index}`,
    description: 'Nie działa ogrzewanie w lokalu.',
    status: statuses[index % statuses.length],
    priority: 'normal',
    assignee_id: world.assignee.id,
    due_date: day(index % 2 ? -3 : 5),
    created_at: toDatabaseTime(new Date(now - index * 60_000)),
    updated_at: toDatabaseTime(new Date(now - index * 60_000)),
  }));
  await insertInBatches(db, 'tickets', rows);
  const inserted: Array<{ id: number }> = await db('tickets').where({ tenant_id: world.tenant.id }).whereBetween('sequence', [firstSequence, firstSequence + count - 1]).orderBy('sequence').select('id');
  return inserted.map((row) => Number(row.id));
}

/** Approved invoices of the customer (half of them overdue) and a payment for every fourth. */
export async function insertLedgerEntries(db: Knex, world: Pick<PageWorld, 'tenant' | 'customer'>, count: number): Promise<void> {
  const now = toDatabaseTime(new Date());
  const rows = Array.from({ length: count }, (_, index) => {
    const isPayment = index % 4 === 3;
    return {
      tenant_id: world.tenant.id,
      customer_id: world.customer.id,
      kind: isPayment ? 'payment' : 'invoice',
      status: 'approved',
      amount: 12_300 + index,
      currency: 'PLN',
      document_number: isPayment ? null : uniqueName('FV'),
      entry_date: day(-40 + (index % 30)),
      due_date: isPayment ? null : day(index % 2 ? -10 : 10),
      method: isPayment ? 'transfer' : null,
      source: 'manual',
      entered_at: now,
      // Nothing allocated: an invoice is open for its whole amount (allocateCustomer keeps this column).
      open_amount: isPayment ? null : 12_300 + index,
    };
  });
  await insertInBatches(db, 'ledger_entries', rows);
  // The customer's balance, as allocateCustomer keeps it.
  const balance = rows.reduce((sum, row) => sum + (row.kind === 'payment' ? -row.amount : row.amount), 0);
  await db('customers').where({ tenant_id: world.tenant.id, id: world.customer.id }).increment('ledger_balance', balance);
}

/** More customers of the caretaker, with a NIP and a customer number each (`prefix` keeps them apart between calls). */
export async function insertCustomers(db: Knex, world: Pick<PageWorld, 'tenant' | 'caretaker'>, count: number, prefix: string): Promise<void> {
  const now = toDatabaseTime(new Date());
  const rows = Array.from({ length: count }, (_, index) => ({
    tenant_id: world.tenant.id,
    name: `${prefix} Firma ${String(index).padStart(6, '0')}`,
    caretaker_id: world.caretaker.id,
    is_active: true,
    tax_country: 'PL',
    tax_id: String(1_000_000_000 + index * 7 + prefix.length),
    customer_number: `${prefix}-${String(index).padStart(6, '0')}`,
    city: 'Kraków',
    created_at: now,
    updated_at: now,
  }));
  await insertInBatches(db, 'customers', rows);
}

/** The world's three people signed in through the form: a client, the caretaker and an admin. */
export type PageAgents = Record<'client' | 'caretaker' | 'admin', Agent>;

export async function signInPageWorld(app: Express, world: PageWorld): Promise<PageAgents> {
  return {
    client: await signedInAgent(app, world.tenant, world.client.login),
    caretaker: await signedInAgent(app, world.tenant, world.caretaker.login),
    admin: await signedInAgent(app, world.tenant, world.admin.login),
  };
}

/** The main pages of issue 20 (item 3), each with who asks it; the searches' terms are the test's own rows. */
export function mainPages(world: PageWorld, agents: PageAgents, searches: { name: string; taxId: string; customerNumber: string }) {
  const slug = world.tenant.slug;
  const search = (term: string) => `/${slug}/staff/customers?q=${encodeURIComponent(term)}`;
  return [
    ['client dashboard', agents.client, `/${slug}/portal`],
    ['client ticket list', agents.client, `/${slug}/portal/tickets`],
    ['client settlements', agents.client, `/${slug}/portal/settlements`],
    ['client payments', agents.client, `/${slug}/portal/payments`],
    ['client ticket with 20 messages', agents.client, `/${slug}/portal/tickets/${world.ticketWithMessages}`],
    ['my tasks', agents.caretaker, `/${slug}/staff/tasks`],
    ['my overdue tasks', agents.caretaker, `/${slug}/staff/tasks?due=overdue`],
    ['staff ticket with 20 messages', agents.caretaker, `/${slug}/staff/tickets/${world.ticketWithMessages}`],
    ['customer list, admin', agents.admin, `/${slug}/staff/customers`],
    ['customer search by name', agents.admin, search(searches.name)],
    ['customer search by NIP', agents.admin, search(searches.taxId)],
    ['customer search by customer number', agents.admin, search(searches.customerNumber)],
    ['customer list, caretaker', agents.caretaker, `/${slug}/staff/customers`],
  ] as const satisfies ReadonlyArray<readonly [string, Agent, string]>;
}
