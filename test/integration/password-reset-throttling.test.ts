import type { Express } from 'express';
import request from 'supertest';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, uniqueName } from '../support/factories.js';
import { appBehindProxy, csrfTokenFrom, formErrorOf, uniqueClientAddress, type Agent } from '../support/http.js';

const minutes = 60 * 1000;

describeOnEachDatabase('limits on password-reset requests', (env) => {
  let app: Express;
  beforeAll(() => {
    app = appBehindProxy(env.deps);
  });
  afterEach(() => env.clock.reset());

  async function askTimes(agent: Agent, tenant: Tenant, loginOrEmail: string, times: number) {
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/password-resets/new`);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < times; attempt += 1) {
      statuses.push((await agent.post(`/${tenant.slug}/password-resets`).type('form').send({ _csrf: csrf, loginOrEmail })).status);
    }
    return statuses;
  }

  const mailsTo = async (address: string) => Number((await env.db('outbox').where('recipient', address).count({ count: '*' }).first())?.count);

  it('takes ten requests from one address in an hour, then answers 429 with the wait, and floods no inbox', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const agent = request.agent(app).set('X-Forwarded-For', uniqueClientAddress());
    expect(await askTimes(agent, tenant, user.login, 10)).toEqual(Array(10).fill(303));
    // One e-mail: a link sent minutes ago is left alone (and working) however often it is asked for again.
    expect(await mailsTo(user.email!)).toBe(1);

    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/password-resets/new`);
    const blocked = await agent.post(`/${tenant.slug}/password-resets`).type('form').send({ _csrf: csrf, loginOrEmail: user.login });
    expect(blocked.status).toBe(429);
    expect(formErrorOf(blocked.text)).toBe('Z Twojego adresu IP wysłano zbyt wiele próśb. Spróbuj ponownie za 60 minut.');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(59 * 60);
    const inEnglish = await agent.post(`/${tenant.slug}/password-resets`).set('Accept-Language', 'en').type('form').send({ _csrf: csrf, loginOrEmail: user.login });
    expect(formErrorOf(inEnglish.text)).toBe('Too many requests have come from your IP address. Try again in 60 minutes.');
    expect(await mailsTo(user.email!)).toBe(1);

    env.clock.advance(61 * minutes);
    expect(await askTimes(agent, tenant, user.login, 1)).toEqual([303]);
    expect(await mailsTo(user.email!)).toBe(2);
  });

  it('counts unknown logins like known ones, so the limit tells nothing about accounts', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const known = await askTimes(request.agent(app).set('X-Forwarded-For', uniqueClientAddress()), tenant, user.login, 11);
    const unknown = await askTimes(request.agent(app).set('X-Forwarded-For', uniqueClientAddress()), tenant, uniqueName('nobody'), 11);
    expect(unknown).toEqual(known);
    expect(known.at(-1)).toBe(429);
  });

  it('does not hold back another address, nor the same address on another tenant', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const address = uniqueClientAddress();
    await askTimes(request.agent(app).set('X-Forwarded-For', address), tenant, uniqueName('nobody'), 10);
    expect(await askTimes(request.agent(app).set('X-Forwarded-For', address), tenant, user.login, 1)).toEqual([429]);
    expect(await askTimes(request.agent(app).set('X-Forwarded-For', uniqueClientAddress()), tenant, user.login, 1)).toEqual([303]);
    const otherTenant = await makeTenant(env.db);
    expect(await askTimes(request.agent(app).set('X-Forwarded-For', address), otherTenant, uniqueName('nobody'), 1)).toEqual([303]);
  });

  it('does not count a form sent empty', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const agent = request.agent(app).set('X-Forwarded-For', uniqueClientAddress());
    expect(await askTimes(agent, tenant, '', 12)).toEqual(Array(12).fill(422));
    expect(await askTimes(agent, tenant, user.login, 1)).toEqual([303]);
  });
});
