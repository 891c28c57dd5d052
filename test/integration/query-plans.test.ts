import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDatabaseTime } from '../../src/lib/time.js';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../support/environment.js';
import { makeCustomer, makeUser } from '../support/factories.js';
import type { Agent } from '../support/http.js';
import { insertCustomers, insertInBatches, mainPages, makePageWorld, signInPageWorld, type PageAgents, type PageWorld } from '../support/page-data.js';
import { categoryId } from '../support/tickets.js';

/**
 * The plans of the main pages' statements (issue 20, item 6): every SELECT a page runs, caught with
 * its bindings while the page renders, goes through MySQL's EXPLAIN on a tenant big enough for the
 * optimizer's choice to mean something (thousands of customers, tickets and entries, ANALYZE TABLE
 * after), and no step may read a whole tenant table (`type: ALL`). SQLite's planner is not MySQL's:
 * this runs on MySQL only (mandatory in CI, where TEST_MYSQL_URL is set).
 */
const hasMysql = databaseKinds().includes('mysql');
/** Tables whose full read is a scan of every tenant's rows. Derived tables (`<derived2>`) are the statement's own rows. */
const bigTables = new Set(['customers', 'users', 'tickets', 'ticket_messages', 'ticket_events', 'ledger_entries', 'ledger_allocations', 'customer_change_requests', 'settings', 'announcements', 'announcement_readings', 'stored_files', 'documents', 'ticket_cost_lines', 'mail_intake', 'imports']);

type Statement = { sql: string; bindings: unknown[] };
type PlanStep = { table: string | null; type: string | null; key: string | null; rows: number | null };

// Without TEST_MYSQL_URL the global set-up says loudly that MySQL is not covered; this suite is then skipped by name.
describe.skipIf(!hasMysql)('query plans of the main pages [mysql] (needs TEST_MYSQL_URL)', () => {
  let env: TestEnvironment;
  let world: PageWorld;
  let agents: PageAgents;

  beforeAll(async () => {
    env = await createTestEnvironment('mysql');
    world = await makePageWorld(env.db);
    await fillTenant(env, world);
    agents = await signInPageWorld(env.app, world);
  }, 60_000);
  afterAll(async () => {
    await env?.close();
  });

  /** The statements of one GET after a warm-up request, with their bindings. */
  async function statementsOf(agent: Agent, url: string): Promise<Statement[]> {
    expect((await agent.get(url)).status).toBe(200);
    const statements: Statement[] = [];
    const record = (query: { sql: string; bindings?: unknown[] }) => statements.push({ sql: query.sql, bindings: query.bindings ?? [] });
    env.db.on('query', record);
    try {
      expect((await agent.get(url)).status).toBe(200);
    } finally {
      env.db.off('query', record);
    }
    return statements.filter((statement) => /^\s*select\b/i.test(statement.sql) && !/from [`"]sessions[`"]/.test(statement.sql));
  }

  async function planOf(statement: Statement): Promise<PlanStep[]> {
    const [rows] = (await env.db.raw(`EXPLAIN ${statement.sql}`, statement.bindings as never[])) as unknown as [Array<Record<string, unknown>>];
    return rows.map((row) => ({ table: (row.table as string | null) ?? null, type: (row.type as string | null) ?? null, key: (row.key as string | null) ?? null, rows: row.rows === null ? null : Number(row.rows) }));
  }

  const pages = (): ReadonlyArray<readonly [string, Agent, string]> => [
    ...mainPages(world, agents, { name: 'K2 Firma 00012', taxId: '1000000072', customerNumber: 'K2-0001' }),
    ['customer list, admin, sorted by town', agents.admin, `/${world.tenant.slug}/staff/customers?sort=city-desc`],
    // The customer picker past its list (models/customer-choices.ts): a search and a chosen customer.
    ['payments list, customer search', agents.admin, `/${world.tenant.slug}/admin/payments?customerSearch=${encodeURIComponent('K2 Firma 0001')}`],
    ['payments list, customer chosen', agents.admin, `/${world.tenant.slug}/admin/payments?customer=${world.customer.id}`],
    ['payment form, customer search', agents.admin, `/${world.tenant.slug}/admin/payments/new?customerSearch=K1-00012`],
    ['invoice form, customer chosen', agents.admin, `/${world.tenant.slug}/admin/invoices/new?customer=${world.customer.id}`],
    ['my tasks, customer search', agents.caretaker, `/${world.tenant.slug}/staff/tasks?customerSearch=${encodeURIComponent('K1 Firma 00001')}`],
  ];

  it('reads no tenant table whole on any main page', async () => {
    const scans: string[] = [];
    for (const [name, agent, url] of pages()) {
      for (const statement of await statementsOf(agent, url)) {
        for (const step of await planOf(statement)) {
          if (step.type === 'ALL' && step.table && bigTables.has(step.table.replace(/^.* /, ''))) scans.push(`${name}: ${step.table} (${step.rows} rows) in ${statement.sql.slice(0, 160)}`);
        }
      }
    }
    expect(scans).toEqual([]);
  }, 60_000);
});

/**
 * Thousands of rows in the tenant, spread as a real provider's are: 3,000 customers among three
 * caretakers, 6,000 tickets and 9,000 ledger entries over them, the client's customer with its share.
 */
async function fillTenant(env: TestEnvironment, world: PageWorld): Promise<void> {
  const db = env.db;
  const caretakers = [world.caretaker, await makeUser(db, world.tenant, 'caretaker'), await makeUser(db, world.tenant, 'caretaker')];
  for (const [index, caretaker] of caretakers.entries()) await insertCustomers(db, { tenant: world.tenant, caretaker }, 1000, `K${index + 1}`);
  await makeCustomer(db, world.tenant, { name: 'Ostatni Klient' });
  const customerIds = (await db('customers').where('tenant_id', world.tenant.id).select('id')).map((row: { id: number }) => Number(row.id));
  const category = await categoryId(db, world.tenant);
  const now = Date.now();
  const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
  const statuses = ['new', 'in_progress', 'waiting_for_customer', 'resolved', 'closed', 'closed'];
  await insertInBatches(
    db,
    'tickets',
    Array.from({ length: 6000 }, (_, index) => ({
      tenant_id: world.tenant.id,
      year: 2025,
      sequence: index + 1,
      customer_id: index % 200 === 0 ? world.customer.id : customerIds[index % customerIds.length],
      filed_by: index % 200 === 0 ? world.client.id : null,
      source: 'staff',
      category_id: category,
      title: `Zgłoszenie ${index}`,
      description: 'Opis',
      status: statuses[index % statuses.length],
      priority: 'normal',
      assignee_id: caretakers[index % 3]!.id,
      due_date: day((index % 20) - 10),
      created_at: toDatabaseTime(new Date(now - index * 60_000)),
      updated_at: toDatabaseTime(new Date(now - index * 60_000)),
    })),
  );
  await insertInBatches(
    db,
    'ledger_entries',
    Array.from({ length: 9000 }, (_, index) => {
      const isPayment = index % 3 === 2;
      return {
        tenant_id: world.tenant.id,
        customer_id: index % 150 === 0 ? world.customer.id : customerIds[index % customerIds.length],
        kind: isPayment ? 'payment' : 'invoice',
        status: 'approved',
        amount: 10_000 + index,
        currency: 'PLN',
        document_number: isPayment ? null : `FV/${index}`,
        entry_date: day(-(index % 400)),
        due_date: isPayment ? null : day(14 - (index % 400)),
        method: isPayment ? 'transfer' : null,
        source: 'manual',
        entered_at: toDatabaseTime(new Date(now)),
        open_amount: isPayment ? null : 10_000 + index,
      };
    }),
  );
  const tickets = (await db('tickets').where('tenant_id', world.tenant.id).orderBy('id').limit(1500).select('id')).map((row: { id: number }) => Number(row.id));
  await insertInBatches(
    db,
    'ticket_messages',
    tickets.flatMap((ticket, index) => [0, 1].map((reply) => ({ tenant_id: world.tenant.id, ticket_id: ticket, author_id: world.caretaker.id, body: `Odpowiedź ${index}/${reply}`, is_internal: false, created_at: toDatabaseTime(new Date(now - reply * 60_000)) }))),
  );
  // Client accounts, as a provider has tens of thousands beside its staff.
  await insertInBatches(
    db,
    'users',
    customerIds.slice(0, 2000).map((customerId, index) => ({ tenant_id: world.tenant.id, login: `klient-${index}`, first_name: 'Jan', last_name: `Klient ${index}`, role: 'client', customer_id: customerId, created_at: toDatabaseTime(new Date(now)), updated_at: toDatabaseTime(new Date(now)) })),
  );
  await db.raw('ANALYZE TABLE customers, users, tickets, ticket_messages, ledger_entries, ledger_allocations, settings, customer_change_requests');
}
