import { afterEach, expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser } from '../support/factories.js';
import { isWrite, statementsDuring } from '../support/apps.js';
import { signedInAgent, type Agent } from '../support/http.js';

const minutes = 60 * 1000;

describeOnEachDatabase('session reads and writes of a signed-in user', (env) => {
  afterEach(() => env.clock.reset());

  const sessionStatementsOf = async (agent: Agent, path: string) => {
    let status = 0;
    const statements = await statementsDuring(env.db, async () => {
      status = (await agent.get(path)).status;
    });
    expect(status).toBe(200);
    return statements.filter((sql) => /[`"\s]sessions[`"\s]/i.test(sql));
  };

  it('reads the session once per page and writes it only when it changed, not on every page view', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    const portal = `/${tenant.slug}/portal`;
    await agent.get(portal);
    const again = await sessionStatementsOf(agent, portal);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatch(/^select/i);
    expect((await sessionStatementsOf(agent, portal)).filter(isWrite)).toEqual([]);
  });

  it('writes the session once when the user comes back after the resolution, then not again', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    const portal = `/${tenant.slug}/portal`;
    await agent.get(portal);
    env.clock.advance(4 * minutes);
    expect((await sessionStatementsOf(agent, portal)).filter(isWrite)).toHaveLength(1);
    expect((await sessionStatementsOf(agent, portal)).filter(isWrite)).toEqual([]);
  });
});
