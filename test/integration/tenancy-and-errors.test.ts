import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/knex.js';
import { databaseKinds, describeOnEachDatabase, createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { createAppOnDatabase, isWrite, signedSessionCookie, statementsDuring } from '../support/apps.js';
import { makeTenant, makeUser, testPassword } from '../support/factories.js';
import { headingOf, signedInAgent, submitSignIn } from '../support/http.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const inlineScripts = (html: string) => html.match(/<script\b(?![^>]*\bsrc=)[^>]*>/gi) ?? [];
const inlineHandlers = (html: string) => html.match(/<[a-z][^>]*\son[a-z]+\s*=/gi) ?? [];

describeOnEachDatabase('tenancy', (env) => {
  it('gives an unknown tenant the same 404 page as a missing page of a known tenant', async () => {
    const tenant = await makeTenant(env.db);
    for (const language of ['pl', 'en']) {
      const unknownTenant = await request(env.app).get(`/no-such-${randomBytes(4).toString('hex')}/login`).set('Accept-Language', language);
      const missingPage = await request(env.app).get(`/${tenant.slug}/no-such-page`).set('Accept-Language', language);
      expect(unknownTenant.status).toBe(404);
      expect(missingPage.status).toBe(404);
      expect(headingOf(unknownTenant.text)).toBeTruthy();
      expect(headingOf(unknownTenant.text)).toBe(headingOf(missingPage.text));
    }
  });

  it('answers slugs that cannot be a tenant with 404', async () => {
    const tenant = await makeTenant(env.db);
    expect((await request(env.app).get(`/${tenant.slug}/login`)).status).toBe(200);
    for (const slug of [tenant.slug.toUpperCase(), '%2E%2E', 'a'.repeat(300), '-leading-hyphen', 'under_score']) {
      const response = await request(env.app).get(`/${slug}/login`);
      expect(response.status, slug).toBe(404);
      expect(response.headers['content-type'], slug).toMatch(/text\/html/);
    }
  });

  it('answers a percent-encoded tenant slug with 404, not a crash', async () => {
    const tenant = await makeTenant(env.db);
    const encoded = `%${tenant.slug.charCodeAt(0).toString(16)}${tenant.slug.slice(1)}`;
    const response = await request(env.app).get(`/${encoded}/login`);
    expect(response.status).toBe(404);
  });

  it('survives a sign-in form whose next field is sent twice', async () => {
    const tenant = await makeTenant(env.db);
    const agent = request.agent(env.app);
    const page = await agent.get(`/${tenant.slug}/login`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const response = await agent
      .post(`/${tenant.slug}/login`)
      .type('form')
      .send(`_csrf=${token}&login=${tenant.superadmin.login}&password=${encodeURIComponent(testPassword)}&next=/a&next=/b`);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/staff`);
  });

  it('writes no session and sets no cookie for an unknown tenant', async () => {
    const tenant = await makeTenant(env.db);
    let response: request.Response | undefined;
    const refused = await statementsDuring(env.db, async () => {
      response = await request(env.app).get(`/no-such-${randomBytes(4).toString('hex')}/login`);
    });
    expect(response?.status).toBe(404);
    expect(response?.headers['set-cookie']).toBeUndefined();
    expect(refused.filter(isWrite)).toEqual([]);
    // The same observation sees the session a sign-in does start, so it can see one.
    const served = await statementsDuring(env.db, () => submitSignIn(request.agent(env.app), tenant, tenant.superadmin.login));
    expect(served.filter(isWrite).some((sql) => /sessions/i.test(sql))).toBe(true);
  });
});

describeOnEachDatabase('responses', (env) => {
  it('carry a different request id on every response', async () => {
    const tenant = await makeTenant(env.db);
    const paths = [`/${tenant.slug}/login`, `/${tenant.slug}/login`, '/healthz', `/${tenant.slug}/no-such-page`, '/no-such-tenant/login'];
    const ids = [];
    for (const path of paths) {
      const id = (await request(env.app).get(path)).headers['x-request-id'];
      expect(id, path).toMatch(uuid);
      ids.push(id);
    }
    expect(new Set(ids).size).toBe(paths.length);
  });

  it('send the content security policy and no X-Powered-By', async () => {
    const tenant = await makeTenant(env.db);
    for (const path of [`/${tenant.slug}/login`, '/healthz', '/no-such-tenant/login']) {
      const response = await request(env.app).get(path);
      const directives = String(response.headers['content-security-policy']).split(';').map((directive) => directive.trim());
      for (const expected of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) {
        expect(directives, `${path}: ${expected}`).toContain(expected);
      }
      expect(response.headers['x-powered-by'], path).toBeUndefined();
    }
  });

  it('keep tenant pages out of every cache', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    for (const path of [`/${tenant.slug}/login`, `/${tenant.slug}/portal`, `/${tenant.slug}/account`, `/${tenant.slug}/staff`, `/${tenant.slug}/no-such-page`]) {
      const response = await agent.get(path);
      expect(response.headers['cache-control'], `${path} (${response.status})`).toBe('no-store');
    }
  });

  it('contain no inline script on the sign-in page, the dashboards and the error pages', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const pages: Array<[string, string]> = [];
    const anonymous = request.agent(env.app);
    for (const path of [`/${tenant.slug}/login`, `/${tenant.slug}/no-such-page`, '/no-such-tenant/login']) pages.push([path, (await anonymous.get(path)).text]);
    for (const [login, home] of [[client.login, 'portal'], [caretaker.login, 'staff']] as const) {
      const agent = await signedInAgent(env.app, tenant, login);
      for (const path of [`/${tenant.slug}/${home}`, `/${tenant.slug}/account`, `/${tenant.slug}/${home === 'portal' ? 'staff' : 'portal'}`]) {
        pages.push([`${login} ${path}`, (await agent.get(path)).text]);
      }
    }
    for (const [page, html] of pages) {
      expect(html, page).toContain('<h1');
      expect(inlineScripts(html), page).toEqual([]);
      expect(inlineHandlers(html), page).toEqual([]);
    }
  });
});

/**
 * A 500 from the real app: a session row that cannot be read (its JSON is broken) makes the
 * session store fail, which nothing maps to a known status.
 */
async function requestWithBrokenSession(env: TestEnvironment) {
  const tenant = await makeTenant(env.db);
  const sessionId = `broken-${randomBytes(8).toString('hex')}`;
  await env.db('sessions').insert({ sid: sessionId, sess: '{not json', expires_at: '2999-01-01 00:00:00', tenant_id: tenant.id, user_id: null });
  try {
    return await request(env.app).get(`/${tenant.slug}/login`).set('Cookie', signedSessionCookie(sessionId, env.config.sessionSecret));
  } finally {
    await env.db('sessions').where('sid', sessionId).delete();
  }
}

for (const kind of databaseKinds()) {
  describe(`the 500 page [${kind}]`, () => {
    let production: TestEnvironment;
    let development: TestEnvironment;
    beforeAll(async () => {
      production = await createTestEnvironment(kind, { NODE_ENV: 'production' });
      development = await createTestEnvironment(kind, { NODE_ENV: 'development' });
    });
    afterAll(async () => {
      await production?.close();
      await development?.close();
    });

    it('shows the request id and no stack trace in production', async () => {
      const response = await requestWithBrokenSession(production);
      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.text).toContain(response.headers['x-request-id']);
      expect(response.text).not.toMatch(/error-page__stack|SyntaxError|at .*\(.*:\d+:\d+\)|node_modules/);
    });

    it('shows the stack trace outside production, so the check above can see one', async () => {
      const response = await requestWithBrokenSession(development);
      expect(response.status).toBe(500);
      expect(response.text).toContain(response.headers['x-request-id']);
      expect(response.text).toMatch(/error-page__stack/);
      expect(response.text).toMatch(/SyntaxError/);
    });
  });
}

describeOnEachDatabase('readiness', (env) => {
  it('is ready on a migrated database', async () => {
    const response = await request(env.app).get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready' });
  });
});

describe('a database that is not ready', () => {
  it('reports migrations pending on an empty SQLite database', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'ebok-empty-'));
    const db = createDatabase({ sqliteFile: path.join(directory, 'empty.sqlite') });
    const { app, close } = createAppOnDatabase(db);
    try {
      const response = await request(app).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ status: 'not ready', reason: 'migrations pending' });
      expect(response.body.pending).toContain('20261123_1000_create_tenants');
    } finally {
      close();
      await db.destroy();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('answers with 503 pages while the database is down, and the process lives on', async () => {
    const crashes: unknown[] = [];
    const recordCrash = (error: unknown) => crashes.push(error);
    process.on('unhandledRejection', recordCrash);
    process.on('uncaughtException', recordCrash);
    // Nothing listens on port 1: every connection is refused.
    const db = createDatabase({ databaseUrl: 'mysql://root@127.0.0.1:1/none' });
    const { app, close } = createAppOnDatabase(db);
    try {
      const polish = await request(app).get('/demo/login').set('Accept-Language', 'pl');
      expect(polish.status).toBe(503);
      expect(polish.headers['content-type']).toMatch(/text\/html/);
      expect(headingOf(polish.text)).toBe('Usługa chwilowo niedostępna');
      const english = await request(app).post('/demo/login').set('Accept-Language', 'en').type('form').send({ login: 'anna', password: 'x' });
      expect(english.status).toBe(503);
      expect(headingOf(english.text)).toBe('Service temporarily unavailable');

      const readiness = await request(app).get('/readyz');
      expect(readiness.status).toBe(503);
      expect(readiness.headers['content-type']).toMatch(/application\/json/);
      expect(readiness.body).toEqual({ status: 'not ready', reason: 'database unreachable' });

      expect((await request(app).get('/healthz')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(crashes).toEqual([]);
    } finally {
      process.off('unhandledRejection', recordCrash);
      process.off('uncaughtException', recordCrash);
      close();
      await db.destroy();
    }
  });
});
