import { beforeAll, expect, it } from 'vitest';
import { isValidNip } from '../../src/lib/nip.js';
import { formatMoney } from '../../src/lib/money.js';
import { openSystemWork } from '../../src/db/installation.js';
import { calendarDateIn, systemClock } from '../../src/lib/time.js';
import { duesOf } from '../../src/models/customer-balance.js';
import { changedOpenAmounts, planAllocations, type EntryRow } from '../../src/models/ledger-allocation.js';
import { findAnyTenantBySlug, type Tenant } from '../../src/models/tenant.js';
import { SeedRefusedError, seedLarge, type LargeSeedSummary } from '../../seeds/large.js';
import { describeOnEachDatabase, type TestEnvironment } from '../support/environment.js';
import { makeTenant, scopeFor, testPassword } from '../support/factories.js';
import { createAppOnDatabase } from '../support/apps.js';
import { signedInAgent } from '../support/http.js';

/** The text of every element with the test id (enough for a money value or a paragraph). */
function textOfTestid(html: string, testid: string): string[] {
  return [...html.matchAll(new RegExp(`data-testid="${testid}"[^>]*>([\\s\\S]*?)</`, 'g'))].map((match) => match[1]!.replace(/<[^>]+>/g, '').trim());
}

describeOnEachDatabase('npm run seed:large', (env: TestEnvironment) => {
  // The MySQL database is shared by every test file of a run: this file's tenants have slugs of their own.
  const prefix = `sl${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}-`;
  const scale = 0.001;
  let summary: LargeSeedSummary;
  let large: Tenant;

  const seed = (options: { isReset?: boolean } = {}) => seedLarge(env.db, { scale, password: testPassword, bcryptCost: 4, slugPrefix: prefix, clock: env.clock.now, ...options });
  const tenantBySlug = async (slug: string) => (await findAnyTenantBySlug(openSystemWork(env.db, systemClock, 'test'), slug))!;
  const countOf = async (table: string, tenant: Pick<Tenant, 'id'>, where: Record<string, unknown> = {}) => Number((await env.db(table).where({ tenant_id: tenant.id, ...where }).count({ count: '*' }).first())?.count);

  beforeAll(async () => {
    summary = await seed();
    large = await tenantBySlug(summary.slug);
  }, 120_000);

  it('makes the large tenant in proportion to the scale: customers, ledger, tickets with messages, accounts', async () => {
    expect(summary.slug).toBe(`${prefix}large`);
    expect(await countOf('customers', large)).toBe(100);
    expect(await countOf('tickets', large)).toBe(500);
    // About 20 entries a customer (invoices and the payments of them) and about one allocation a payment.
    const entries = await countOf('ledger_entries', large);
    expect(entries).toBeGreaterThan(1_700);
    expect(entries).toBeLessThan(2_400);
    expect(await countOf('ledger_allocations', large)).toBeGreaterThan(700);
    expect(await countOf('users', large, { role: 'caretaker' })).toBe(1);
    expect(await countOf('users', large, { role: 'admin' })).toBe(1);
    const clients = await countOf('users', large, { role: 'client' });
    expect(clients).toBe(summary.logins.clients);
    expect(clients).toBeGreaterThanOrEqual(60);
    expect(clients).toBeLessThanOrEqual(75);
    expect(summary.counts.customers).toBe(100 + 36 + 24);
  });

  // MySQL only (SQLite has no such session settings): registered on that database alone, not skipped on the other.
  if (env.kind === 'mysql') {
    it('gives the pool its connections back with foreign key and unique checks on (the seed turns them off for its own)', async () => {
      const pool = env.db.client.pool as { numUsed(): number; numFree(): number };
      // As many at once as the pool holds, so that every connection the seed used answers.
      const checks = await Promise.all(Array.from({ length: Math.max(pool.numFree() + pool.numUsed(), 2) }, () => env.db.raw('select @@foreign_key_checks as fk, @@unique_checks as uc, sleep(0.05) as waited')));
      expect(checks.map((result: [Array<{ fk: number; uc: number }>]) => [Number(result[0][0]!.fk), Number(result[0][0]!.uc)])).toEqual(checks.map(() => [1, 1]));
    });
  }

  it('gives every 50th ticket exactly 20 messages and the others one to four', async () => {
    const perTicket: Array<{ count: number }> = await env.db('ticket_messages').where('tenant_id', large.id).groupBy('ticket_id').select(env.db.raw('count(*) as count'));
    const counts = perTicket.map((row) => Number(row.count));
    expect(counts).toHaveLength(500);
    expect(counts.filter((count) => count === 20)).toHaveLength(10);
    expect(counts.filter((count) => count !== 20).every((count) => count >= 1 && count <= 4)).toBe(true);
  });

  it('numbers the tickets per year as the ticket model does, the counters holding each year’s last number', async () => {
    const years: Array<{ year: number; last: number; count: number }> = await env.db('tickets').where('tenant_id', large.id).groupBy('year').select('year', env.db.raw('max(sequence) as last'), env.db.raw('count(*) as count'));
    const counters: Array<{ year: number; last_sequence: number }> = await env.db('ticket_counters').where('tenant_id', large.id).select('year', 'last_sequence');
    expect(years.length).toBeGreaterThanOrEqual(2);
    for (const year of years) {
      expect(Number(year.last)).toBe(Number(year.count));
      expect(counters.find((counter) => Number(counter.year) === Number(year.year))?.last_sequence).toBe(Number(year.last));
    }
  });

  it('gives valid NIPs, unique customer numbers and an active customer to every numbered client', async () => {
    const customers: Array<{ tax_id: string | null; customer_number: string }> = await env.db('customers').where('tenant_id', large.id).select('tax_id', 'customer_number');
    const nips = customers.map((customer) => customer.tax_id).filter((nip): nip is string => nip !== null);
    expect(nips.length).toBeGreaterThan(40);
    expect(nips.every(isValidNip)).toBe(true);
    expect(new Set(customers.map((customer) => customer.customer_number)).size).toBe(100);
    const clients = await env.db('users').join('customers', { 'customers.tenant_id': 'users.tenant_id', 'customers.id': 'users.customer_id' }).where({ 'users.tenant_id': large.id, 'users.role': 'client' }).select('users.login', 'customers.is_active');
    expect(clients.every((client: { is_active: unknown }) => Boolean(client.is_active))).toBe(true);
    expect(clients.map((client: { login: string }) => client.login)).toContain(`client${summary.logins.clients}`);
  });

  it('allocates the payments as the ledger model would: allocating any customer again adds nothing and changes no open amount', async () => {
    const entries: Array<EntryRow & { customer_id: number }> = await env.db('ledger_entries').where({ tenant_id: large.id, status: 'approved' }).select('id', 'customer_id', 'kind', 'amount', 'entry_date', 'due_date', 'corrects_entry_id', 'pays_entry_id', 'open_amount');
    const allocations: Array<{ id: number; customer_id: number; credit_entry_id: number; debit_entry_id: number; amount: unknown }> = await env.db('ledger_allocations').where('tenant_id', large.id).select('id', 'customer_id', 'credit_entry_id', 'debit_entry_id', 'amount');
    const customerIds = [...new Set(entries.map((entry) => Number(entry.customer_id)))];
    expect(customerIds).toHaveLength(100);
    for (const customerId of customerIds) {
      const own = <T extends { customer_id: number }>(rows: T[]) => rows.filter((row) => Number(row.customer_id) === customerId);
      expect(planAllocations(own(entries), own(allocations))).toEqual([]);
      expect(changedOpenAmounts(own(entries), own(allocations), [])).toEqual([]);
    }
    // Some invoices are open, some paid in full, as the seed's habits have it.
    const open = entries.filter((entry) => entry.kind === 'invoice').map((entry) => Number(entry.open_amount));
    expect(open.filter((amount) => amount > 0).length).toBeGreaterThan(50);
    expect(open.filter((amount) => amount === 0).length).toBeGreaterThan(500);
  });

  it('signs a client in through the form; the start page shows the balance the ledger model computes, the settlements what is due and overdue', async () => {
    const today = calendarDateIn(env.clock.now(), large.timeZone);
    const clients: Array<{ login: string; customer_id: number }> = await env.db('users').where({ tenant_id: large.id, role: 'client' }).orderBy('id').select('login', 'customer_id');
    const scope = scopeFor(env.db, large);
    const withDues = await Promise.all(clients.map(async (client) => ({ ...client, dues: await duesOf(scope, Number(client.customer_id), today) })));
    // A customer that pays late: something is overdue and something is due.
    const late = withDues.find((client) => client.dues.overdueTotal.minor > 0n)!;
    expect(late).toBeDefined();
    // Every invoice is paid by the payments in full or in part, so what is open is the balance.
    expect(late.dues.dueTotal.minor).toBe(late.dues.balance.minor);
    const agent = await signedInAgent(env.app, large, late.login);
    const start = await agent.get(`/${large.slug}/portal`);
    expect(start.status).toBe(200);
    expect(textOfTestid(start.text, 'portlet-balance-amount')).toEqual([formatMoney(late.dues.balance.minor, 'PLN', 'pl')]);
    const settlements = await agent.get(`/${large.slug}/portal/settlements`);
    expect(textOfTestid(settlements.text, 'due-total')).toEqual([formatMoney(late.dues.dueTotal.minor, 'PLN', 'pl')]);
    expect(textOfTestid(settlements.text, 'overdue-total')).toEqual([formatMoney(late.dues.overdueTotal.minor, 'PLN', 'pl')]);
  });

  it('signs the caretaker in, whose task list holds their open tasks, the overdue ones marked', async () => {
    const caretaker = await env.db('users').where({ tenant_id: large.id, login: 'caretaker1' }).first('id');
    const open = await env.db('tickets').where({ tenant_id: large.id, assignee_id: caretaker.id }).whereIn('status', ['new', 'open', 'in_progress', 'waiting_for_customer']).count({ count: '*' }).first();
    expect(Number(open?.count)).toBeGreaterThan(0);
    const agent = await signedInAgent(env.app, large, 'caretaker1');
    const tasks = await agent.get(`/${large.slug}/staff/tasks`);
    expect(tasks.status).toBe(200);
    expect(textOfTestid(tasks.text, 'task-count')[0]).toContain(String(open?.count));
    const overdue = await agent.get(`/${large.slug}/staff/tasks?due=overdue`);
    expect(textOfTestid(overdue.text, 'overdue').length).toBeGreaterThan(0);
  });

  it('keeps the two small tenants apart, each with its own customers and the same logins', async () => {
    expect(summary.smallSlugs).toEqual([`${prefix}small-a`, `${prefix}small-b`]);
    const [smallA, smallB] = await Promise.all(summary.smallSlugs.map(tenantBySlug));
    expect(await countOf('customers', smallA!)).toBe(36);
    expect(await countOf('customers', smallB!)).toBe(24);
    const agent = await signedInAgent(env.app, smallA!, 'client1');
    const customer = await env.db('users').join('customers', { 'customers.tenant_id': 'users.tenant_id', 'customers.id': 'users.customer_id' }).where({ 'users.tenant_id': smallA!.id, 'users.login': 'client1' }).first('customers.name');
    const start = await agent.get(`/${smallA!.slug}/portal`);
    expect(start.text).toContain(customer.name);
    // The small tenant's client reaches no page of the large one.
    expect((await agent.get(`/${large.slug}/portal`)).status).not.toBe(200);
  });

  it('refuses a second run and changes nothing; with reset it makes the same tenants again and leaves others alone', async () => {
    const other = await makeTenant(env.db);
    const before = await countOf('ledger_entries', large);
    await expect(seed()).rejects.toThrow(SeedRefusedError);
    expect(await countOf('ledger_entries', large)).toBe(before);
    const again = await seed({ isReset: true });
    const remade = await tenantBySlug(again.slug);
    expect(remade.id).not.toBe(large.id);
    expect(await countOf('ledger_entries', large)).toBe(0);
    expect(await countOf('ledger_entries', remade)).toBe(before);
    expect(again.counts).toEqual(summary.counts);
    expect(await countOf('users', other)).toBe(1);
    // A running app keeps a tenant found by its slug for a while (the removed one, here); a new one finds the new tenant.
    const fresh = createAppOnDatabase(env.db);
    try {
      await signedInAgent(fresh.app, remade, 'client1');
    } finally {
      fresh.close();
    }
  }, 120_000);
});
