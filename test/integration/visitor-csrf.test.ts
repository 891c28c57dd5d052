import { createHmac } from 'node:crypto';
import request from 'supertest';
import { expect, it } from 'vitest';
import { issuePasswordToken } from '../../src/models/password-token.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor, testPassword, type TestTenant } from '../support/factories.js';
import { createAppOnDatabase, isWrite, statementsDuring } from '../support/apps.js';
import { csrfTokenFrom, sessionCookieOf, signedInAgent, type Agent } from '../support/http.js';
import { unmaskedCsrfToken } from '../../src/middleware/csrf.js';

const csrfMessage = {
  pl: 'Formularz wygasł lub został wysłany z innej strony. Wróć, odśwież stronę i spróbuj ponownie.',
  en: 'The form has expired or was sent from another page. Go back, reload the page and try again.',
};

/** The form token of a page, unmasked (every render masks it afresh: maskedCsrfToken). */
const tokenOfPage = (html: string) => {
  const shown = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  return shown === undefined ? undefined : unmaskedCsrfToken(shown);
};
const setCookies = (response: { headers: Record<string, unknown> }) => (response.headers['set-cookie'] as string[] | undefined) ?? [];
const csrfCookieOf = (response: { headers: Record<string, unknown> }) => setCookies(response).find((cookie) => cookie.startsWith('ebok.csrf='));
const cookieValue = (setCookie: string) => decodeURIComponent(setCookie.split(';')[0]!.slice('ebok.csrf='.length));

describeOnEachDatabase('form tokens of visitors who have not signed in', (env) => {
  /** The session rows of one tenant (a shared test database holds other files' sessions too). */
  const sessionsOf = (tenant: TestTenant) => env.db('sessions').where('sess', 'like', `%"path":"/${tenant.slug}"%`).pluck('sid');

  /** Every public page that shows a form to a visitor, with the link tokens it needs. */
  async function publicForms(tenant: TestTenant): Promise<Record<string, string>> {
    const user = await makeUser(env.db, tenant, 'client', { password: null });
    const scope = scopeFor(env.db, tenant);
    return {
      'sign-in': `/${tenant.slug}/login`,
      'password reset request': `/${tenant.slug}/password-resets/new`,
      'password setup': `/${tenant.slug}/password-setup/${await issuePasswordToken(scope, user.id, 'setup')}`,
      invitation: `/${tenant.slug}/invitations/${await issuePasswordToken(scope, user.id, 'invitation')}`,
      'password reset': `/${tenant.slug}/password-resets/${await issuePasswordToken(scope, user.id, 'reset')}`,
    };
  }

  it('shows every public form with a token from a signed cookie, writing no session row and setting no session cookie', async () => {
    const tenant = await makeTenant(env.db);
    for (const [name, path] of Object.entries(await publicForms(tenant))) {
      let response!: request.Response;
      const statements = await statementsDuring(env.db, async () => {
        response = await request(env.app).get(path);
      });
      expect(response.status, name).toBe(200);
      expect(statements.filter(isWrite), name).toEqual([]);
      expect(setCookies(response).some((cookie) => cookie.startsWith('ebok.sid=')), name).toBe(false);
      const cookie = csrfCookieOf(response);
      expect(cookie, name).toMatch(new RegExp(`^ebok\\.csrf=[^;]+; Max-Age=1800; Path=/${tenant.slug}; Expires=[^;]+; HttpOnly; SameSite=Lax$`));
      expect(cookieValue(cookie!).startsWith(`${tokenOfPage(response.text)}.`), name).toBe(true);
    }
    expect(await sessionsOf(tenant)).toEqual([]);
  });

  it('keeps one token for a visitor across pages, and gives another visitor another', async () => {
    const tenant = await makeTenant(env.db);
    const visitor = request.agent(env.app);
    const first = unmaskedCsrfToken(await csrfTokenFrom(visitor, `/${tenant.slug}/login`));
    expect(unmaskedCsrfToken(await csrfTokenFrom(visitor, `/${tenant.slug}/password-resets/new`))).toBe(first);
    expect(unmaskedCsrfToken(await csrfTokenFrom(request.agent(env.app), `/${tenant.slug}/login`))).not.toBe(first);
  });

  it('signs in with the cookie’s token, and the signed-in pages then use a token kept in the new session', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const agent = request.agent(env.app);
    const visitorToken = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    const response = await agent.post(`/${tenant.slug}/login`).type('form').send({ _csrf: visitorToken, login: user.login, password: testPassword });
    expect(response.status).toBe(303);
    const [row] = await env.db('sessions').where({ tenant_id: tenant.id, user_id: user.id }).select('sess');
    const sessionToken = JSON.parse(row.sess).csrfToken as string;
    expect(sessionToken).toBeTruthy();
    expect(sessionToken).not.toBe(unmaskedCsrfToken(visitorToken));
    expect(unmaskedCsrfToken(await csrfTokenFrom(agent, `/${tenant.slug}/portal`))).toBe(sessionToken);
    // Signed in, the session's token is the one: the visitor's cookie token no longer posts a form.
    const withOldToken = await agent.post(`/${tenant.slug}/language`).type('form').send({ _csrf: visitorToken, locale: 'en' });
    expect(withOldToken.status).toBe(403);
    const withSessionToken = await agent.post(`/${tenant.slug}/language`).type('form').send({ _csrf: sessionToken, locale: 'en', returnTo: `/${tenant.slug}/portal` });
    expect(withSessionToken.status).toBe(303);
  });

  /** A visitor's genuine cookie and token for the tenant, as a browser holds them after the sign-in page. */
  async function genuineCookie(tenant: TestTenant) {
    const page = await request(env.app).get(`/${tenant.slug}/login`);
    const value = cookieValue(csrfCookieOf(page)!);
    return { value, token: tokenOfPage(page.text)! };
  }

  const signIn = (tenant: TestTenant, cookie: string, token: string, language = 'pl') =>
    request(env.app)
      .post(`/${tenant.slug}/login`)
      .set('Cookie', `ebok.csrf=${encodeURIComponent(cookie)}`)
      .set('Accept-Language', language)
      .type('form')
      .send({ _csrf: token, login: tenant.superadmin.login, password: testPassword });

  it('refuses a forged, an unsigned and another tenant’s cookie, and a token that is not the cookie’s, in Polish and English', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const genuine = await genuineCookie(tenant);
    const othersCookie = await genuineCookie(other);
    const attempts: Array<[string, string, string]> = [
      ['a forged signature', `${genuine.token}.${'A'.repeat(43)}`, genuine.token],
      ['an unsigned token', genuine.token, genuine.token],
      ['another token under a genuine signature', `abc.${genuine.value.split('.')[1]}`, 'abc'],
      ['a token signed with another secret', `abc.${createHmac('sha256', 'not-the-secret').update(`csrf:${tenant.id}:abc`).digest('base64url')}`, 'abc'],
      ['another tenant’s cookie', othersCookie.value, othersCookie.token],
      ['a token other than the cookie’s', genuine.value, othersCookie.token],
    ];
    for (const [name, cookie, token] of attempts) {
      for (const language of ['pl', 'en'] as const) {
        const response = await signIn(tenant, cookie, token, language);
        expect(response.status, `${name} (${language})`).toBe(403);
        expect(response.text, name).toContain(csrfMessage[language]);
        expect(setCookies(response).some((set) => set.startsWith('ebok.sid=')), name).toBe(false);
      }
    }
    expect(await sessionsOf(tenant)).toEqual([]);
    expect((await signIn(tenant, genuine.value, genuine.token)).status).toBe(303);
  });

  it('switches a visitor’s language with the cookie’s token and keeps it in a cookie, without a session row', async () => {
    const tenant = await makeTenant(env.db);
    const visitor: Agent = request.agent(env.app).set('Accept-Language', 'pl');
    const token = await csrfTokenFrom(visitor, `/${tenant.slug}/login`);
    const response = await visitor.post(`/${tenant.slug}/language`).type('form').send({ _csrf: token, locale: 'en', returnTo: `/${tenant.slug}/login` });
    expect(response.status).toBe(303);
    expect(setCookies(response).find((cookie) => cookie.startsWith('ebok.locale='))).toMatch(new RegExp(`^ebok\\.locale=en; Max-Age=\\d+; Path=/${tenant.slug}; Expires=[^;]+; HttpOnly; SameSite=Lax$`));
    expect((await visitor.get(`/${tenant.slug}/login`)).text).toContain('<html lang="en"');
    expect(await sessionsOf(tenant)).toEqual([]);
  });

  it('keeps a visitor’s language through sign-in, for a user whose account names none', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const agent = request.agent(env.app).set('Accept-Language', 'pl');
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    await agent.post(`/${tenant.slug}/language`).type('form').send({ _csrf: token, locale: 'en' });
    await agent.post(`/${tenant.slug}/login`).type('form').send({ _csrf: token, login: user.login, password: testPassword });
    expect((await agent.get(`/${tenant.slug}/portal`)).text).toContain('<html lang="en"');
  });

  it('marks the visitor’s cookie Secure exactly when the session cookie is: behind TLS on an https installation', async () => {
    const tenant = await makeTenant(env.db);
    const behindTls = createAppOnDatabase(env.db, { config: { BASE_URL: 'https://ebok.example', TRUST_PROXY: '1' } });
    try {
      const overTls = await request(behindTls.app).get(`/${tenant.slug}/login`).set('X-Forwarded-Proto', 'https');
      expect(csrfCookieOf(overTls)).toMatch(/; Secure(;|$)/);
      const token = tokenOfPage(overTls.text)!;
      const signedIn = await request(behindTls.app)
        .post(`/${tenant.slug}/login`)
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', csrfCookieOf(overTls)!.split(';')[0]!)
        .type('form')
        .send({ _csrf: token, login: tenant.superadmin.login, password: testPassword });
      expect(setCookies(signedIn).find((cookie) => cookie.startsWith('ebok.sid='))).toMatch(/; Secure(;|$)/);
      expect(csrfCookieOf(await request(behindTls.app).get(`/${tenant.slug}/login`))).not.toMatch(/Secure/);
    } finally {
      behindTls.close();
    }
    expect(csrfCookieOf(await request(env.app).get(`/${tenant.slug}/login`))).not.toMatch(/Secure/);
  });

  it('offers a signed-in user’s forms with the session’s token even when the browser also holds a visitor cookie', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'caretaker');
    const agent = await signedInAgent(env.app, tenant, user.login);
    const [row] = await env.db('sessions').where({ tenant_id: tenant.id, user_id: user.id }).select('sess');
    const page = await agent.get(`/${tenant.slug}/staff`);
    expect(tokenOfPage(page.text)).toBe(JSON.parse(row.sess).csrfToken);
    expect(csrfCookieOf(page)).toBeUndefined();
  });

  it('masks the token afresh on every page (a compressed page never carries the same secret bytes twice), once for all its forms, and takes the masked and the plain form', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, user.login);
    const [row] = await env.db('sessions').where({ tenant_id: tenant.id, user_id: user.id }).select('sess');
    const sessionToken = JSON.parse(row.sess).csrfToken as string;
    const shown = [await csrfTokenFrom(agent, `/${tenant.slug}/portal`), await csrfTokenFrom(agent, `/${tenant.slug}/portal`)];
    expect(shown[0]).not.toBe(shown[1]);
    // One mask a response: every form of the start page (the header's and the page's own) carries the same.
    const formsOfOnePage = [...(await agent.get(`/${tenant.slug}/portal`)).text.matchAll(/name="_csrf" value="([^"]+)"/g)].map((match) => match[1]);
    expect(formsOfOnePage.length).toBeGreaterThan(2);
    expect(new Set(formsOfOnePage).size).toBe(1);
    expect(shown).not.toContain(formsOfOnePage[0]);
    for (const token of shown) {
      expect(token).not.toContain(sessionToken);
      expect(unmaskedCsrfToken(token)).toBe(sessionToken);
    }
    const language = (token: string) => agent.post(`/${tenant.slug}/language`).type('form').send({ _csrf: token, locale: 'en', returnTo: `/${tenant.slug}/portal` });
    expect((await language(shown[0]!)).status).toBe(303);
    expect((await language(sessionToken)).status).toBe(303);
    // A mask of another token, or a masked token cut short, is refused.
    const other = Buffer.from(shown[1]!, 'base64url');
    other.writeUInt8(other.readUInt8(other.length - 1) ^ 1, other.length - 1);
    expect((await language(other.toString('base64url'))).status).toBe(403);
    expect((await language(shown[0]!.slice(0, -4))).status).toBe(403);
  });

  it('refuses the visitor cookie’s token for a signed-in session that has no token of its own', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, user.login);
    // A session begun before tokens were made at sign-in: signed in, no token yet.
    const [row] = await env.db('sessions').where({ tenant_id: tenant.id, user_id: user.id }).select('sid', 'sess');
    const { csrfToken: _dropped, ...withoutToken } = JSON.parse(row.sess) as Record<string, unknown>;
    await env.db('sessions').where({ sid: row.sid }).update({ sess: JSON.stringify(withoutToken) });
    const genuine = await genuineCookie(tenant);
    const response = await request(env.app)
      .post(`/${tenant.slug}/language`)
      .set('Cookie', `${sessionCookieOf(agent, tenant)}; ebok.csrf=${encodeURIComponent(genuine.value)}`)
      .type('form')
      .send({ _csrf: genuine.token, locale: 'en', returnTo: `/${tenant.slug}/portal` });
    expect(response.status).toBe(403);
  });
});
