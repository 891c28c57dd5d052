import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../../src/db/knex.js';
import { createAppOnDatabase, listenCountingConnections } from '../support/apps.js';
import { databaseKinds } from '../support/environment.js';
import { makeTenant, makeUser, testPassword, type TestTenant } from '../support/factories.js';
import { headingOf } from '../support/http.js';
import { keepAliveClient } from '../support/keep-alive-client.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

/** The app in production mode on MySQL through a proxy the test cuts; its log is kept as lines. */
async function appBehindCuttableDatabase(mysqlUrl: string, logLevel = 'info') {
  const target = new URL(mysqlUrl);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 3306) });
  const lines: string[] = [];
  const logger = pino({ level: logLevel }, new Writable({ write: (chunk, _encoding, done) => { lines.push(...String(chunk).trim().split('\n')); done(); } }));
  const db = createDatabase({ databaseUrl: proxy.urlFor(mysqlUrl), poolMax: 4, logger });
  const { app, close: closeApp } = createAppOnDatabase(db, { config: { NODE_ENV: 'production', LOG_LEVEL: 'info' }, logger });
  const server = await listenCountingConnections(app);
  return {
    proxy,
    db,
    baseUrl: server.baseUrl,
    connections: server.connections,
    log: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    async close() {
      await server.close();
      closeApp();
      await db.destroy();
      await proxy.close();
    },
  };
}

describe('a MySQL database that cannot be reached at all', () => {
  it('answers 503 pages on one open connection, logs one line per request and the outage once, knex included', async () => {
    // The proxy is cut before anything connects: no MySQL server is needed to refuse.
    const running = await appBehindCuttableDatabase('mysql://root@127.0.0.1:1/none', 'debug');
    running.proxy.cut();
    const browser = keepAliveClient(running.baseUrl);
    try {
      for (const path of ['/demo/login', '/demo/portal', '/readyz', '/demo/login']) expect((await browser.get(path)).status, path).toBe(503);
      expect((await browser.post('/demo/login', { login: 'anna', password: 'x' })).status).toBe(503);
      expect(running.connections()).toBe(1);
      const lines = running.log();
      expect(lines.filter((line) => line.req).map((line) => (line.res as { statusCode: number }).statusCode)).toEqual([503, 503, 503, 503, 503]);
      expect(lines.filter((line) => line.err).map((line) => line.msg)).toEqual(['database unreachable']);
      const knexLines = lines.filter((line) => line.knex);
      expect(knexLines.length).toBeGreaterThan(0);
      for (const line of knexLines) expect(line).toMatchObject({ level: 20, msg: 'database connection lost' });
    } finally {
      browser.close();
      await running.close();
    }
  });
});

for (const kind of databaseKinds().filter((each) => each === 'mysql')) {
  describe(`a database outage [${kind}]`, () => {
    let running: Awaited<ReturnType<typeof appBehindCuttableDatabase>>;
    let tenant: TestTenant;
    let login: string;
    let proxy: TcpProxy;
    let db: Knex;
    beforeAll(async () => {
      running = await appBehindCuttableDatabase(inject('mysqlUrl')!);
      ({ proxy, db } = running);
      tenant = await makeTenant(db);
      login = (await makeUser(db, tenant, 'client', { firstName: 'Ewa', lastName: 'Outage' })).login;
    });
    afterAll(() => running?.close());

    it('answers every request with the 503 page on a connection that stays open, then the same cookie is signed in again', async () => {
      const browser = keepAliveClient(running.baseUrl);
      const visitor = keepAliveClient(running.baseUrl);
      try {
        expect((await browser.signIn(tenant.slug, login, testPassword)).status).toBe(303);
        expect((await visitor.get(`/${tenant.slug}/login`)).status).toBe(200);
        const cookie = browser.cookie();
        const connectionsBefore = running.connections();

        proxy.cut();
        const during = [
          await browser.get(`/${tenant.slug}/portal`, { 'Accept-Language': 'en' }),
          await browser.get(`/${tenant.slug}/account`, { 'Accept-Language': 'en' }),
          await browser.post(`/${tenant.slug}/login`, { login, password: testPassword }, { 'Accept-Language': 'en' }),
        ];
        for (const answer of during) {
          expect(answer.status).toBe(503);
          expect(headingOf(answer.text)).toBe('Service temporarily unavailable');
          expect(answer.headers['set-cookie']).toBeUndefined();
        }
        // A first visit's sign-in form needs no database: the tenant is cached and the form's token is
        // in a signed cookie, not in a session row. Sending it is what needs the database.
        const form = await visitor.get(`/${tenant.slug}/login?fresh=1`, { 'Accept-Language': 'en', Cookie: '' });
        expect(form.status).toBe(200);
        expect(String(form.headers['set-cookie'])).toContain('ebok.csrf=');
        expect(String(form.headers['set-cookie'])).not.toContain('ebok.sid=');
        expect(running.connections()).toBe(connectionsBefore);

        proxy.restore();
        expect(browser.cookie()).toBe(cookie);
        const after = await browser.get(`/${tenant.slug}/portal`);
        expect(after.status).toBe(200);
        expect(after.text).toContain('Ewa Outage');
        expect(running.connections()).toBe(connectionsBefore);
      } finally {
        proxy.restore();
        browser.close();
        visitor.close();
      }
    });

    it('logs one JSON line per request, one when the database goes away and one when it is back', async () => {
      const browser = keepAliveClient(running.baseUrl);
      try {
        expect((await browser.signIn(tenant.slug, login, testPassword)).status).toBe(303);
        const from = running.log().length;
        proxy.cut();
        for (let request = 0; request < 20; request += 1) expect((await browser.get(`/${tenant.slug}/portal`)).status).toBe(503);
        proxy.restore();
        expect((await browser.get(`/${tenant.slug}/portal`)).status).toBe(200);

        const lines = running.log().slice(from);
        const requestLines = lines.filter((line) => line.req);
        expect(requestLines.map((line) => (line.res as { statusCode: number }).statusCode)).toEqual([...Array(20).fill(503), 200]);
        for (const line of requestLines.slice(0, 20)) expect(line).toMatchObject({ msg: 'service unavailable', reason: 'database unavailable', level: 40 });
        expect(requestLines.filter((line) => line.err)).toEqual([]);
        const others = lines.filter((line) => !line.req);
        expect(others.map((line) => line.msg)).toEqual(['database unreachable', 'database reachable again']);
        expect(others[1]).toMatchObject({ failedRequests: 20 });
      } finally {
        proxy.restore();
        browser.close();
      }
    });
  });
}
