import { afterEach, expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser } from '../support/factories.js';
import { isWrite, statementsDuring } from '../support/apps.js';
import request from 'supertest';
import { appBehindProxy, csrfTokenFrom, signedInAgent, uniqueClientAddress, type Agent } from '../support/http.js';
import { testPassword } from '../support/factories.js';

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

  it('a first sign-in from a new address makes both throttle rows in one statement, reads neither back, and writes its new session once', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = request.agent(appBehindProxy(env.deps));
    const address = uniqueClientAddress();
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    let status = 0;
    const statements = await statementsDuring(env.db, async () => {
      const answer = await agent.post(`/${tenant.slug}/login`).set('X-Forwarded-For', address).type('form').send({ _csrf: token, login: client.login, password: testPassword });
      status = answer.status;
    });
    expect(status).toBe(303);
    const throttles = statements.filter((sql) => /[`"\s]login_throttles[`"\s]/i.test(sql));
    // Made (one insert for the address and the login), taken (an update each), settled (the login's row
    // deleted, the address's attempt given back): no read, no second insert.
    expect(throttles.filter((sql) => /^insert/i.test(sql))).toHaveLength(1);
    expect(throttles.filter((sql) => /^select/i.test(sql))).toEqual([]);
    expect(throttles).toHaveLength(5);
    const sessionWrites = statements.filter((sql) => /[`"\s]sessions[`"\s]/i.test(sql) && /^(insert|update)/i.test(sql));
    expect(sessionWrites).toHaveLength(1);
    // The one write holds the signed-in session: the next page is the user's.
    expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(200);
  });
});
