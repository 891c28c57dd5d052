import { beforeAll, expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { signedInAgent, type Agent } from '../support/http.js';
import { statementsDuring } from '../support/apps.js';
import { insertCustomers, insertLedgerEntries, insertTickets, makePageWorld, type PageWorld } from '../support/page-data.js';

describeOnEachDatabase('statements per page (issue 20)', (env) => {
  let world: PageWorld;
  let client: Agent;
  let caretaker: Agent;
  let admin: Agent;
  beforeAll(async () => {
    world = await makePageWorld(env.db);
    client = await signedInAgent(env.app, world.tenant, world.client.login);
    caretaker = await signedInAgent(env.app, world.tenant, world.caretaker.login);
    admin = await signedInAgent(env.app, world.tenant, world.admin.login);
  });

  async function statementsOf(agent: Agent, url: string): Promise<string[]> {
    expect((await agent.get(url)).status).toBe(200);
    let status = 0;
    const statements = await statementsDuring(env.db, async () => {
      status = (await agent.get(url)).status;
    });
    expect(status).toBe(200);
    return statements;
  }

  it('prints', async () => {
    const slug = world.tenant.slug;
    const pages: Array<[string, Agent, string]> = [
      ['dashboard', client, `/${slug}/portal`],
      ['portal tickets', client, `/${slug}/portal/tickets`],
      ['settlements', client, `/${slug}/portal/settlements`],
      ['payments', client, `/${slug}/portal/payments`],
      ['portal ticket', client, `/${slug}/portal/tickets/${world.ticketWithMessages}`],
      ['tasks', caretaker, `/${slug}/staff/tasks`],
      ['tasks overdue', caretaker, `/${slug}/staff/tasks?due=overdue`],
      ['staff ticket', caretaker, `/${slug}/staff/tickets/${world.ticketWithMessages}`],
      ['customers', admin, `/${slug}/staff/customers`],
      ['customers name', admin, `/${slug}/staff/customers?q=Alfa`],
      ['customers caretaker', caretaker, `/${slug}/staff/customers`],
    ];
    for (const size of [5, 50]) {
      await insertTickets(env.db, { ...world, filer: world.client, assignee: world.caretaker }, size, size * 10);
      await insertLedgerEntries(env.db, world, size);
      await insertCustomers(env.db, world, size, `P${size}`);
      for (const [name, agent, url] of pages) {
        const s = await statementsOf(agent, url);
        console.log(`${env.kind} ${size} ${name}: ${s.length}`);
        if (process.env.SHOW_SQL) for (const q of s) console.log('   ', q.slice(0, 300));
      }
    }
  });
});
