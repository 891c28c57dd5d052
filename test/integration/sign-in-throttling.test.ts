import type { Express } from 'express';
import request from 'supertest';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { Tenant } from '../../src/models/tenant.js';
import { fromDatabaseTime } from '../../src/lib/time.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, testPassword, uniqueName } from '../support/factories.js';
import { appBehindProxy, formErrorOf, submitSignIn, uniqueClientAddress, type Agent } from '../support/http.js';

const seconds = 1000;
const english = { 'Accept-Language': 'en' };
const polish = { 'Accept-Language': 'pl' };

describeOnEachDatabase('sign-in throttling', (env) => {
  // Every test signs in from addresses of its own, so the per-address counter of one never blocks another.
  let app: Express;
  beforeAll(() => {
    app = appBehindProxy(env.deps);
  });
  afterEach(() => env.clock.reset());
  const visitor = (address = uniqueClientAddress(), on: Express = app) => request.agent(on).set('X-Forwarded-For', address);

  async function failTimes(agent: Agent, tenant: Tenant, login: string, times: number): Promise<void> {
    for (let attempt = 1; attempt <= times; attempt += 1) {
      const response = await submitSignIn(agent, tenant, login, 'wrong password');
      expect(response.status, `failure ${attempt}`).toBe(401);
    }
  }

  /** The login's stored counter, and how many seconds its block has still to run by the test clock. */
  async function throttleOf(tenant: Tenant, login: string) {
    const row = await env.db('login_throttles').where('throttle_key', `login:${tenant.id}:${login}`).first();
    if (!row) return undefined;
    const blockedUntil = fromDatabaseTime(row.blocked_until);
    return { failures: Number(row.failures), waitSeconds: blockedUntil ? (blockedUntil.getTime() - env.clock.now().getTime()) / seconds : 0 };
  }

  it('refuses the sixth attempt after five failures with 429 and the wait in minutes, even with the right password', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const agent = visitor();
    await failTimes(agent, tenant, user.login, 5);
    const blocked = await submitSignIn(agent, tenant, user.login, testPassword, english);
    expect(blocked.status).toBe(429);
    expect(formErrorOf(blocked.text)).toBe('Too many failed sign-in attempts. Try again in 1 minute.');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(25);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(30);
    const inPolish = await submitSignIn(agent, tenant, user.login, testPassword, polish);
    expect(inPolish.status).toBe(429);
    expect(formErrorOf(inPolish.text)).toBe('Zbyt wiele nieudanych prób logowania. Spróbuj ponownie za 1 minutę.');
    expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(303);
    expect(Number((await env.db('users').where('id', user.id).first()).failed_login_count)).toBe(5);
  });

  it('makes the wait longer with every further failure', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'caretaker');
    const agent = visitor();
    await failTimes(agent, tenant, user.login, 5);
    const first = await throttleOf(tenant, user.login);
    expect(first?.failures).toBe(5);
    expect(first?.waitSeconds).toBeGreaterThan(27);
    expect(first?.waitSeconds).toBeLessThanOrEqual(30);

    env.clock.advance(31 * seconds);
    await failTimes(agent, tenant, user.login, 1);
    const second = await throttleOf(tenant, user.login);
    expect(second?.failures).toBe(6);
    expect(second?.waitSeconds).toBeGreaterThan(57);
    expect(second?.waitSeconds).toBeLessThanOrEqual(60);

    env.clock.advance(61 * seconds);
    await failTimes(agent, tenant, user.login, 1);
    const third = await throttleOf(tenant, user.login);
    expect(third?.failures).toBe(7);
    expect(third?.waitSeconds).toBeGreaterThan(117);
    expect(third?.waitSeconds).toBeLessThanOrEqual(120);

    const inEnglish = await submitSignIn(agent, tenant, user.login, testPassword, english);
    expect(inEnglish.status).toBe(429);
    expect(formErrorOf(inEnglish.text)).toBe('Too many failed sign-in attempts. Try again in 2 minutes.');
    const inPolish = await submitSignIn(agent, tenant, user.login, testPassword, polish);
    expect(formErrorOf(inPolish.text)).toBe('Zbyt wiele nieudanych prób logowania. Spróbuj ponownie za 2 minuty.');
  });

  it('keeps the counters in the database, so another app process refuses the login too, from another address', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    await failTimes(visitor(), tenant, user.login, 5);
    const secondProcess = appBehindProxy(env.deps);
    const response = await submitSignIn(visitor(uniqueClientAddress(), secondProcess), tenant, user.login, testPassword, english);
    expect(response.status).toBe(429);
    expect(formErrorOf(response.text)).toBe('Too many failed sign-in attempts. Try again in 1 minute.');
  });

  it('throttles an unknown login exactly like a known one', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const answersFor = async (login: string) => {
      const agent = visitor();
      const answers: Array<[number, string | undefined]> = [];
      for (let attempt = 1; attempt <= 7; attempt += 1) {
        const response = await submitSignIn(agent, tenant, login, 'wrong password', english);
        answers.push([response.status, formErrorOf(response.text)]);
      }
      return answers;
    };
    const known = await answersFor(user.login);
    const unknown = await answersFor(uniqueName('nobody'));
    expect(unknown).toEqual(known);
    expect(known.map(([status]) => status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('lets the login in again once the wait has passed', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const agent = visitor();
    await failTimes(agent, tenant, user.login, 5);
    expect((await submitSignIn(agent, tenant, user.login)).status).toBe(429);
    env.clock.advance(20 * seconds);
    expect((await submitSignIn(agent, tenant, user.login)).status).toBe(429);
    env.clock.advance(11 * seconds);
    const response = await submitSignIn(agent, tenant, user.login);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/portal`);
  });

  it('stops counting failures that are more than a day old', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const agent = visitor();
    await failTimes(agent, tenant, user.login, 5);
    env.clock.advance(25 * 60 * 60 * seconds);
    await failTimes(agent, tenant, user.login, 1);
    expect((await throttleOf(tenant, user.login))?.failures).toBe(1);
    expect((await submitSignIn(agent, tenant, user.login)).status).toBe(303);
  });

  it('forgets the login’s failures after a successful sign-in', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'caretaker');
    const agent = visitor();
    await failTimes(agent, tenant, user.login, 4);
    expect((await throttleOf(tenant, user.login))?.failures).toBe(4);
    expect((await submitSignIn(agent, tenant, user.login)).status).toBe(303);
    expect(await throttleOf(tenant, user.login)).toBeUndefined();
    const again = visitor();
    await failTimes(again, tenant, user.login, 4);
    expect((await submitSignIn(again, tenant, user.login)).status).toBe(303);
  });

  it('blocks an address after twenty failures on any logins, even for a login that never failed', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const address = uniqueClientAddress();
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      await failTimes(visitor(address), tenant, uniqueName('guess'), 1);
    }
    const fromThatAddress = await submitSignIn(visitor(address), tenant, user.login, testPassword, english);
    expect(fromThatAddress.status).toBe(429);
    expect(formErrorOf(fromThatAddress.text)).toBe('Too many failed sign-in attempts. Try again in 1 minute.');
    expect((await submitSignIn(visitor(), tenant, user.login)).status).toBe(303);
  });
});
