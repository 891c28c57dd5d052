import request from 'supertest';
import { expect, it } from 'vitest';
import { throttleKeys } from '../../src/models/login-throttle.js';
import { checkUnderThrottle } from '../../src/models/sign-in-attempts.js';
import { toDatabaseTime } from '../../src/lib/time.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor, testPassword } from '../support/factories.js';
import { appBehindProxy, csrfTokenFrom, uniqueClientAddress } from '../support/http.js';

describeOnEachDatabase('sign-in attempts sent at the same moment', (env) => {
  const counterOf = async (key: string) => {
    const row = await env.db('login_throttles').where('throttle_key', key).first();
    return row ? { failures: Number(row.failures), inFlight: Number(row.in_flight), isBlocked: Boolean(row.blocked_until) } : undefined;
  };

  /** Sign-in forms sent at once, each from a browser of its own (its own session), all from one address. */
  async function signInAtOnce(slug: string, address: string, attempts: Array<{ login: string; password: string }>) {
    const app = appBehindProxy(env.deps);
    const browsers = await Promise.all(
      attempts.map(async () => {
        const agent = request.agent(app);
        return { agent, token: await csrfTokenFrom(agent, `/${slug}/login`) };
      }),
    );
    return Promise.all(
      attempts.map(({ login, password }, index) =>
        browsers[index]!.agent.post(`/${slug}/login`).set('X-Forwarded-For', address).type('form').send({ _csrf: browsers[index]!.token, login, password }),
      ),
    );
  }

  it('lets no more than the free attempts reach the password check, so a parallel burst cannot guess past the limit', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'caretaker');
    const app = appBehindProxy(env.deps);
    const address = uniqueClientAddress();
    const agent = request.agent(app);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    const attempt = (password: string) =>
      agent.post(`/${tenant.slug}/login`).set('X-Forwarded-For', address).type('form').send({ _csrf: token, login: user.login, password });
    // Twenty-one wrong passwords, all at once. (The right one among them made this test depend on the
    // order of arrival: checked among the first five, it signs in and forgets the login's failures, as
    // a success should, and the guesses still queued were then checked too; CI saw 8 checks so.)
    const passwords = Array.from({ length: 21 }, (_, index) => `wrong guess ${index}`);
    const responses = await Promise.all(passwords.map(attempt));
    const statuses = `statuses: ${responses.map((response) => response.status).join(',')}`;
    expect(responses.filter((response) => response.status === 401).length, statuses).toBeLessThanOrEqual(5);
    expect(responses.filter((response) => response.status === 429).length, statuses).toBeGreaterThanOrEqual(16);
    expect(responses.every((response) => response.status === 401 || response.status === 429), statuses).toBe(true);
    const row = await env.db('users').where('id', user.id).first();
    expect(Number(row.failed_login_count)).toBeLessThanOrEqual(5);
    // The right password, right after the burst, waits like a guess: the burst earned the login its wait.
    expect((await attempt(testPassword)).status).toBe(429);
  });

  it('lets eight correct sign-ins of one login at once all in, none refused or failed', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const address = uniqueClientAddress();
    const responses = await signInAtOnce(tenant.slug, address, Array.from({ length: 8 }, () => ({ login: user.login, password: testPassword })));
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(303));
    for (const response of responses) expect(response.headers.location).toBe(`/${tenant.slug}/portal`);
    expect(await counterOf(`login:${tenant.id}:${user.login}`)).toBeUndefined();
    expect(await counterOf(`ip:${address}`)).toMatchObject({ failures: 0, inFlight: 0, isBlocked: false });
  });

  it('gives every attempt back to the address, so rounds of parallel sign-ins never add up to a block', async () => {
    const tenant = await makeTenant(env.db);
    const users = [await makeUser(env.db, tenant, 'client'), await makeUser(env.db, tenant, 'caretaker')];
    const address = uniqueClientAddress();
    for (let round = 0; round < 4; round += 1) {
      const responses = await signInAtOnce(tenant.slug, address, Array.from({ length: 8 }, (_, index) => ({ login: users[index % 2]!.login, password: testPassword })));
      expect(responses.map((response) => response.status), `round ${round}`).toEqual(Array(8).fill(303));
    }
    expect(await counterOf(`ip:${address}`)).toMatchObject({ failures: 0, inFlight: 0 });
    const wrong = await signInAtOnce(tenant.slug, address, [{ login: users[0]!.login, password: 'wrong password' }]);
    expect(wrong[0]!.status).toBe(401);
    expect(await counterOf(`ip:${address}`)).toMatchObject({ failures: 1, inFlight: 0, isBlocked: false });
  });

  it('counts each wrong password of a parallel mix once, and lets the right ones in', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const other = await makeUser(env.db, tenant, 'client');
    const address = uniqueClientAddress();
    const attempts = [
      ...Array.from({ length: 3 }, () => ({ login: other.login, password: 'wrong password' })),
      ...Array.from({ length: 6 }, () => ({ login: user.login, password: testPassword })),
    ];
    const responses = await signInAtOnce(tenant.slug, address, attempts);
    expect(responses.map((response) => response.status)).toEqual([401, 401, 401, 303, 303, 303, 303, 303, 303]);
    expect(await counterOf(`ip:${address}`)).toMatchObject({ failures: 3, inFlight: 0 });
    expect(await counterOf(`login:${tenant.id}:${other.login}`)).toMatchObject({ failures: 3, inFlight: 0 });
  });

  it('gives the attempt back when the check itself breaks, and counts nothing', async () => {
    const keys = throttleKeys(1, `broken-${Date.now()}`, uniqueClientAddress());
    const broken = checkUnderThrottle(scopeFor(env.db, { id: 1 }), keys, env.clock.now(), async () => {
      throw new Error('the database went away in the middle');
    });
    await expect(broken).rejects.toThrow('went away');
    expect(await counterOf(keys.login)).toMatchObject({ failures: 0, inFlight: 0 });
    expect(await counterOf(keys.ip)).toMatchObject({ failures: 0, inFlight: 0 });
  });

  it('keeps a check that finds the address’s free attempts all in flight waiting quietly, and lets it on as soon as one settles here', async () => {
    const address = uniqueClientAddress();
    const scope = scopeFor(env.db, { id: 1 });
    const releases = new Map<number, () => void>();
    /** A password check that runs until the test releases it (bcrypt taking its time). */
    const held = (index: number) =>
      checkUnderThrottle(scope, throttleKeys(1, `held-${index}-${Date.now()}`, address), env.clock.now(), () =>
        new Promise<{ verdict: 'neither'; result: number }>((resolve) => releases.set(index, () => resolve({ verdict: 'neither', result: index }))),
      );
    const holding = Array.from({ length: 20 }, (_, index) => held(index));
    await expect.poll(() => releases.size).toBe(20);
    const looks: string[] = [];
    const record = (query: { sql: string }) => {
      if (/login_throttles/.test(query.sql)) looks.push(query.sql);
    };
    env.db.on('query', record);
    let waiting: Promise<unknown> = Promise.resolve();
    try {
      const startedAt = performance.now();
      waiting = held(20);
      // Four looks (an update and a read each) take it at least 262 ms: it waits about 50, 100 and 200 ms
      // between them. A look every 20–60 ms, as before, made them in some 160 ms.
      await expect.poll(() => looks.length, { interval: 2, timeout: 5000 }).toBeGreaterThanOrEqual(8);
      expect(performance.now() - startedAt).toBeGreaterThan(250);
      expect(releases.has(20)).toBe(false);
      // One of the twenty settles in this process: the waiting check goes on at once, not at its next
      // look, which is 600 ms away at the least.
      const settledAt = performance.now();
      releases.get(0)!();
      await expect.poll(() => releases.has(20), { interval: 2, timeout: 2000 }).toBe(true);
      expect(performance.now() - settledAt).toBeLessThan(300);
    } finally {
      env.db.off('query', record);
    }
    for (const [index, release] of releases) if (index !== 0) release();
    const outcomes = await Promise.all([...holding, waiting]);
    expect(outcomes.every((outcome) => !(outcome as { isThrottled: boolean }).isThrottled)).toBe(true);
    expect(await counterOf(`ip:${address}`)).toMatchObject({ failures: 0, inFlight: 0 });
  });

  it('forgets attempts left in flight by a process that died, after a minute', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const address = uniqueClientAddress();
    const twoMinutesAgo = toDatabaseTime(new Date(env.clock.now().getTime() - 120_000));
    await env.db('login_throttles').insert({ throttle_key: `login:${tenant.id}:${user.login}`, failures: 0, last_failure_at: twoMinutesAgo, in_flight: 5, in_flight_at: twoMinutesAgo });
    const responses = await signInAtOnce(tenant.slug, address, [{ login: user.login, password: testPassword }]);
    expect(responses[0]!.status).toBe(303);
  });
});
