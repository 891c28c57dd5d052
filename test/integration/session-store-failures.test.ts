import type { SessionData } from 'express-session';
import request from 'supertest';
import { expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { KnexSessionStore } from '../../src/db/session-store.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, testPassword } from '../support/factories.js';
import { listenCountingConnections, signedSessionCookie } from '../support/apps.js';
import { csrfTokenFrom, headingOf, sessionCookieOf, signedInAgent } from '../support/http.js';
import { keepAliveClient } from '../support/keep-alive-client.js';

/**
 * The real store on the real database, whose next reads (or touches) fail the way they fail while
 * the database is away (or, with `unexpected`, the way a bug would): the fault comes from
 * outside, the rest of the request is the app's own.
 */
class StoreWithFaults extends KnexSessionStore {
  private failuresToCome = 0;
  private isUnexpected = false;
  private touchFailuresToCome = 0;

  private writeFailuresToCome = 0;

  failNextTouches(count: number): void {
    this.touchFailuresToCome = count;
  }

  failNextWrites(count: number): void {
    this.writeFailuresToCome = count;
  }

  override set(sid: string, data: SessionData, callback?: (error?: unknown) => void): void {
    if (this.writeFailuresToCome === 0) return super.set(sid, data, callback);
    this.writeFailuresToCome -= 1;
    setImmediate(() => callback?.(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' })));
  }

  override touch(sid: string, data: SessionData, callback?: (error?: unknown) => void): void {
    if (this.touchFailuresToCome === 0) return super.touch(sid, data, callback);
    this.touchFailuresToCome -= 1;
    setImmediate(() => callback?.(Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true })));
  }

  failNextReads(count: number, options: { unexpected?: boolean } = {}): void {
    this.failuresToCome = count;
    this.isUnexpected = options.unexpected ?? false;
  }

  override get(sid: string, callback: (error?: unknown, value?: SessionData | null) => void): void {
    if (this.failuresToCome === 0) return super.get(sid, callback);
    this.failuresToCome -= 1;
    const error = this.isUnexpected ? new TypeError('unexpected') : Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
    setImmediate(() => callback(error));
  }
}

describeOnEachDatabase('a session whose read fails', (env) => {
  async function signedInClient() {
    const store = new StoreWithFaults(env.db);
    const app = createApp({ ...env.deps, sessionStore: store });
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(app, tenant, client.login);
    const sid = decodeURIComponent(sessionCookieOf(agent, tenant).split('=')[1]!).slice(2).split('.')[0]!;
    return { store, app, tenant, agent, sid };
  }

  it('answers 503 while the database is away and keeps the user signed in once it is back', async () => {
    const { store, tenant, agent, sid } = await signedInClient();
    store.failNextReads(1);
    const during = await agent.get(`/${tenant.slug}/portal`).set('Accept-Language', 'en');
    expect(during.status).toBe(503);
    expect(headingOf(during.text)).toBe('Service temporarily unavailable');
    expect(during.headers['set-cookie']).toBeUndefined();
    expect(await env.db('sessions').where('sid', sid).first()).toBeTruthy();

    const after = await agent.get(`/${tenant.slug}/portal`);
    expect(after.status).toBe(200);
    expect(after.text).toContain('Test client');
  });

  it('keeps the session through a run of failed reads, as a longer outage gives', async () => {
    const { store, tenant, agent } = await signedInClient();
    store.failNextReads(5);
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await agent.get(`/${tenant.slug}/account`)).status).toBe(503);
    expect((await agent.get(`/${tenant.slug}/account`)).status).toBe(200);
  });

  it('keeps the session when its read fails for a reason that is not an outage (a 500)', async () => {
    const { store, tenant, agent, sid } = await signedInClient();
    store.failNextReads(1, { unexpected: true });
    expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(500);
    expect(await env.db('sessions').where('sid', sid).first()).toBeTruthy();
    expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(200);
  });

  /** The app on a port of its own with a keep-alive browser, signed in, whose next touches can fail. */
  async function listeningBrowser() {
    const store = new StoreWithFaults(env.db);
    const server = await listenCountingConnections(createApp({ ...env.deps, sessionStore: store }));
    const browser = keepAliveClient(server.baseUrl);
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { firstName: 'Jan', lastName: 'Touch' });
    expect((await browser.signIn(tenant.slug, client.login, testPassword)).status).toBe(303);
    // The first page gives the session its form token (a write); the next ones only touch it.
    expect((await browser.get(`/${tenant.slug}/account`)).status).toBe(200);
    return {
      store,
      browser,
      tenant,
      connections: server.connections,
      async close() {
        browser.close();
        await server.close();
      },
    };
  }

  // The failure is handled a moment after the page ends: the next page comes after that moment.
  const moment = () => new Promise((resolve) => setTimeout(resolve, 50));

  it('keeps the page and the connection when the session’s expiry cannot be moved after the page was sent', async () => {
    const running = await listeningBrowser();
    try {
      running.store.failNextTouches(1);
      const page = await running.browser.get(`/${running.tenant.slug}/account`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Jan Touch');
      expect(page.text).toContain('</html>');
      await moment();
      expect((await running.browser.get(`/${running.tenant.slug}/account`)).status).toBe(200);
      expect(running.connections()).toBe(1);
    } finally {
      await running.close();
    }
  });

  it('keeps the connection when the expiry cannot be moved after an error page, which has been through the error handler', async () => {
    const running = await listeningBrowser();
    try {
      running.store.failNextTouches(1);
      expect((await running.browser.get(`/${running.tenant.slug}/no-such-page`)).status).toBe(404);
      await moment();
      expect((await running.browser.get(`/${running.tenant.slug}/account`)).status).toBe(200);
      expect(running.connections()).toBe(1);
    } finally {
      await running.close();
    }
  });

  it('shows the sign-in form while session writes fail, as showing it stores no session', async () => {
    const store = new StoreWithFaults(env.db);
    const app = createApp({ ...env.deps, sessionStore: store });
    const tenant = await makeTenant(env.db);
    store.failNextWrites(1);
    const page = await request(app).get(`/${tenant.slug}/login`).set('Accept-Language', 'en');
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="_csrf"');
    expect((page.headers['set-cookie'] as unknown as string[]).some((cookie) => cookie.startsWith('ebok.sid='))).toBe(false);
  });

  it('answers 503 instead of a sign-in redirect whose session could not be stored', async () => {
    const store = new StoreWithFaults(env.db);
    const app = createApp({ ...env.deps, sessionStore: store });
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = request.agent(app);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    store.failNextWrites(1);
    const answer = await agent.post(`/${tenant.slug}/login`).type('form').send({ _csrf: token, login: client.login, password: testPassword });
    expect(answer.status).toBe(503);
    expect(answer.headers.location).toBeUndefined();
    expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(303);
  });

  it('still ends the session at sign-out, so keeping sessions is not keeping every session', async () => {
    const { tenant, agent, sid, app } = await signedInClient();
    const cookie = signedSessionCookie(sid, env.config.sessionSecret);
    // The cookie, sent by anyone, is the session until sign-out ends it.
    expect((await request(app).get(`/${tenant.slug}/portal`).set('Cookie', cookie)).status).toBe(200);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/account`);
    expect((await agent.post(`/${tenant.slug}/logout`).type('form').send({ _csrf: token })).status).toBe(303);
    expect(await env.db('sessions').where('sid', sid).first()).toBeUndefined();
    expect((await request(app).get(`/${tenant.slug}/portal`).set('Cookie', cookie)).status).toBe(303);
  });
});
