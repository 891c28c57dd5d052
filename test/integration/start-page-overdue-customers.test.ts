import { afterEach, expect, it } from 'vitest';
import { moneyOf } from '../../src/lib/money.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';
import { overdueCustomersLifetimeMilliseconds } from '../../src/models/overdue-customers.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, type TestTenant } from '../support/factories.js';
import { signedInAgent, type Agent } from '../support/http.js';

function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`data-testid="section-${id}"`);
  if (start < 0) throw new Error(`no section ${id} on the page`);
  return html.slice(start, html.indexOf('</section>', start));
}

describeOnEachDatabase('the staff start page’s customers with overdue money at scale (issue 20)', (env) => {
  afterEach(() => env.clock.reset());

  async function overdueCustomers(tenant: TestTenant, count: number, from = 0): Promise<void> {
    const system = scopeFor(env.db, tenant);
    for (let index = from; index < from + count; index += 1) {
      const customer = await makeCustomer(env.db, tenant, { name: `Dłużnik ${String(index).padStart(3, '0')}` });
      await enterLedgerEntry(system, { kind: 'invoice', customerId: customer.id, amount: moneyOf(10_000 + index * 100, 'PLN'), documentNumber: `FV/${index}`, issueDate: '2026-01-01', dueDate: '2026-01-15' }, { isApproved: true, source: 'import' });
    }
  }

  /** The statements of a view whose figures are summed afresh (the kept ones have outlived their minutes). */
  async function statementsOfFreshView(agent: Agent, url: string): Promise<number> {
    env.clock.advance(overdueCustomersLifetimeMilliseconds + 1000);
    await agent.get(url);
    env.clock.advance(overdueCustomersLifetimeMilliseconds + 1000);
    let count = 0;
    const listener = () => (count += 1);
    env.db.on('query', listener);
    const response = await agent.get(url);
    env.db.off('query', listener);
    expect(response.status).toBe(200);
    return count;
  }

  it('keeps the figures for some minutes, says when they were summed, and sums them again after', async () => {
    const tenant = await makeTenant(env.db);
    await overdueCustomers(tenant, 1);
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(env.app, tenant, admin.login);
    const first = sectionOf((await agent.get(`/${tenant.slug}/staff`)).text, 'overdue-customers');
    expect(first).toContain('Dłużnik 000');
    expect(first).toContain('data-testid="overdue-customers-total">1<');
    expect(first).toMatch(/data-testid="overdue-customers-as-of">stan na \d{1,2}\.\d{1,2}\.\d{4}, \d{2}:\d{2}; liczone co kilka minut</);

    await overdueCustomers(tenant, 1, 1);
    env.clock.advance(overdueCustomersLifetimeMilliseconds - 60_000);
    const kept = sectionOf((await agent.get(`/${tenant.slug}/staff`)).text, 'overdue-customers');
    expect(kept).toContain('data-testid="overdue-customers-total">1<');
    expect(kept).not.toContain('Dłużnik 001');

    env.clock.advance(2 * 60_000);
    const fresh = sectionOf((await agent.get(`/${tenant.slug}/staff`)).text, 'overdue-customers');
    expect(fresh).toContain('data-testid="overdue-customers-total">2<');
    expect(fresh).toContain('Dłużnik 001');
  });

  it('keeps a caretaker’s figures apart from an admin’s', async () => {
    const tenant = await makeTenant(env.db);
    await overdueCustomers(tenant, 2);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const admin = await makeUser(env.db, tenant, 'admin');
    expect(sectionOf((await (await signedInAgent(env.app, tenant, admin.login)).get(`/${tenant.slug}/staff`)).text, 'overdue-customers')).toContain('data-testid="overdue-customers-total">2<');
    const own = sectionOf((await (await signedInAgent(env.app, tenant, caretaker.login)).get(`/${tenant.slug}/staff`)).text, 'overdue-customers');
    expect(own).toContain('data-testid="overdue-customers-total">0<');
    expect(own).not.toContain('Dłużnik');
  });

  it('sums the admin’s start page in the same statements with 5 and with 50 customers owing money', async () => {
    const tenant = await makeTenant(env.db);
    await overdueCustomers(tenant, 5);
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(env.app, tenant, admin.login);
    const withFive = await statementsOfFreshView(agent, `/${tenant.slug}/staff`);
    await overdueCustomers(tenant, 45, 5);
    const withFifty = await statementsOfFreshView(agent, `/${tenant.slug}/staff`);
    expect(withFifty).toBe(withFive);
    const page = sectionOf((await agent.get(`/${tenant.slug}/staff`)).text, 'overdue-customers');
    expect(page).toContain('data-testid="overdue-customers-total">50<');
  });
});
