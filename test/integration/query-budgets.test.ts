import { beforeAll, expect, it } from 'vitest';
import { statementsDuring } from '../support/apps.js';
import { describeOnEachDatabase } from '../support/environment.js';
import type { Agent } from '../support/http.js';
import { insertCustomers, insertLedgerEntries, insertTickets, mainPages, makePageWorld, signInPageWorld, type PageAgents, type PageWorld } from '../support/page-data.js';

/**
 * The statement budgets of the main pages (issue 20, item 6): how many SQL statements each page runs
 * after a warm-up request, session read and write included, and that a list runs the same number
 * with 5 rows as with 50 (no statement per row). docs/benchmarks.md has the counts before and after.
 */
type PageName = keyof typeof budgets;
const budgets = {
  'client dashboard': 7,
  'client ticket list': 4,
  'client settlements': 3,
  'client payments': 6,
  'client ticket with 20 messages': 6,
  'my tasks': 7,
  'my overdue tasks': 7,
  'staff ticket with 20 messages': 9,
  'customer list, admin': 8,
  'customer search by name': 8,
  'customer search by NIP': 8,
  'customer search by customer number': 8,
  'customer list, caretaker': 6,
} as const;

describeOnEachDatabase('statements per page (issue 20)', (env) => {
  let world: PageWorld;
  let agents: PageAgents;
  beforeAll(async () => {
    world = await makePageWorld(env.db);
    agents = await signInPageWorld(env.app, world);
  });

  const pages = (): ReadonlyArray<readonly [PageName, Agent, string]> => mainPages(world, agents, { name: 'P50 Firma', taxId: '1000000003', customerNumber: 'P50-0000' });

  /** The statements of one GET after a warm-up request (caches filled, the session's expiry already moved). */
  async function statementsOf(agent: Agent, url: string): Promise<string[]> {
    expect((await agent.get(url)).status).toBe(200);
    let status = 0;
    const statements = await statementsDuring(env.db, async () => {
      status = (await agent.get(url)).status;
    });
    expect(status).toBe(200);
    return statements;
  }

  async function countsWith(rows: number, prefix: string): Promise<Record<string, number>> {
    await insertTickets(env.db, { ...world, filer: world.client, assignee: world.caretaker }, rows, rows * 100);
    await insertLedgerEntries(env.db, world, rows);
    await insertCustomers(env.db, world, rows, prefix);
    const counts: Record<string, number> = {};
    for (const [name, agent, url] of pages()) counts[name] = (await statementsOf(agent, url)).length;
    return counts;
  }

  it('keeps every main page within its budget, and runs as many statements with 50 rows in its lists as with 5', async () => {
    const withFive = await countsWith(5, 'P5');
    const withFifty = await countsWith(45, 'P50');
    expect(withFifty).toEqual(withFive);
    for (const [name, count] of Object.entries(withFifty)) expect({ name, count }).toEqual({ name, count: Math.min(count, budgets[name as PageName]) });
  });

  it('reads the client’s customer with its user on the client dashboard, its dues and tickets in one statement each, and the tenant’s row, settings and categories not at all once kept', async () => {
    const statements = await statementsOf(agents.client, `/${world.tenant.slug}/portal`);
    const reading = (pattern: RegExp) => statements.filter((sql) => pattern.test(sql)).length;
    expect(reading(/^select [^(]* from [`"](tenants|settings|ticket_categories)[`"]/)).toBe(0);
    expect(reading(/^select [`"]users[`"]\.\*, .*configuration_version.* left join [`"]customers[`"]/)).toBe(1);
    expect(reading(/^select [^(]* from [`"]customers[`"] where/)).toBe(0);
    expect(reading(/[`"]ledger_entries[`"]/)).toBe(1);
    expect(reading(/^(\(|select \* from \()select [`"]tickets[`"]\.[`"]id[`"]/)).toBe(1);
  });

  it('reads the client’s customer with its user on the client settlements page, and the tenant row not at all once kept', async () => {
    const statements = await statementsOf(agents.client, `/${world.tenant.slug}/portal/settlements`);
    expect(statements.filter((sql) => /^select [^(]* from [`"]tenants[`"]/.test(sql))).toHaveLength(0);
    expect(statements.filter((sql) => /^select [^(]* from [`"]customers[`"] where/.test(sql))).toHaveLength(0);
  });
});
