import request from 'supertest';
import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, testPassword, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent } from '../support/http.js';

const csrfMessage = {
  pl: 'Formularz wygasł lub został wysłany z innej strony. Wróć, odśwież stronę i spróbuj ponownie.',
  en: 'The form has expired or was sent from another page. Go back, reload the page and try again.',
};

/** A token that is no session's, and a missing one. */
const badTokens: Array<[string, Record<string, string>]> = [
  ['without a CSRF token', {}],
  ['with a wrong CSRF token', { _csrf: 'not-the-token-of-this-session-0123456789abc' }],
];

const formsOf = (tenant: TestTenant) => ({
  login: { path: `/${tenant.slug}/login`, fields: { login: tenant.superadmin.login, password: testPassword } },
  logout: { path: `/${tenant.slug}/logout`, fields: {} },
  language: { path: `/${tenant.slug}/language`, fields: { locale: 'en', returnTo: `/${tenant.slug}/login` } },
  password: {
    path: `/${tenant.slug}/account/password`,
    fields: { currentPassword: testPassword, newPassword: 'a brand new password', passwordConfirmation: 'a brand new password' },
  },
});

describeOnEachDatabase('CSRF protection', (env) => {
  /** What a refused form must not have written: sessions of the tenant, audit entries, throttle counters, accounts. */
  async function writesOf(tenant: TestTenant) {
    const sessions = await env.db('sessions').where('sess', 'like', `%"path":"/${tenant.slug}"%`).select('sid', 'user_id', 'sess');
    const audit = await env.db('audit_log').where('tenant_id', tenant.id).select('id');
    const throttles = await env.db('login_throttles').where('throttle_key', 'like', `login:${tenant.id}:%`);
    const users = await env.db('users').where('tenant_id', tenant.id).orderBy('id').select('id', 'password_hash', 'locale', 'last_sign_in_at', 'updated_at');
    return { sessions, audit, throttles, users };
  }

  it.each(['login', 'logout', 'language', 'password'] as const)(
    'refuses the %s form from a visitor without a cookie and token with the Polish 403 page, starting no session',
    async (form) => {
      const tenant = await makeTenant(env.db);
      const before = await writesOf(tenant);
      const { path, fields } = formsOf(tenant)[form];
      const response = await request(env.app).post(path).type('form').send(fields);
      expect(response.status).toBe(403);
      expect(response.text).toContain(csrfMessage.pl);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(await writesOf(tenant)).toEqual(before);
      expect(before.sessions).toEqual([]);
    },
  );

  it('gives the CSRF refusal in English to an English browser', async () => {
    const tenant = await makeTenant(env.db);
    const response = await request(env.app).post(`/${tenant.slug}/login`).set('Accept-Language', 'en').type('form').send({ login: 'x', password: 'y' });
    expect(response.status).toBe(403);
    expect(response.text).toContain(csrfMessage.en);
  });

  it.each(badTokens)('refuses a sign-in %s, even with the right password, and signs nobody in', async (_case, token) => {
    const tenant = await makeTenant(env.db);
    const agent = request.agent(env.app);
    await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    const before = await writesOf(tenant);
    const response = await agent.post(`/${tenant.slug}/login`).type('form').send({ ...token, ...formsOf(tenant).login.fields });
    expect(response.status).toBe(403);
    expect(response.text).toContain(csrfMessage.pl);
    expect(await writesOf(tenant)).toEqual(before);
    expect((await agent.get(`/${tenant.slug}/staff`)).status).toBe(303);
  });

  it('refuses a sign-in carrying the token of another visitor’s session', async () => {
    const tenant = await makeTenant(env.db);
    const victim = request.agent(env.app);
    await csrfTokenFrom(victim, `/${tenant.slug}/login`);
    const othersToken = await csrfTokenFrom(request.agent(env.app), `/${tenant.slug}/login`);
    const response = await victim.post(`/${tenant.slug}/login`).type('form').send({ _csrf: othersToken, ...formsOf(tenant).login.fields });
    expect(response.status).toBe(403);
    expect((await victim.get(`/${tenant.slug}/staff`)).status).toBe(303);
  });

  it.each(badTokens)('refuses a sign-out %s and the session goes on', async (_case, token) => {
    const tenant = await makeTenant(env.db);
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const before = await writesOf(tenant);
    const response = await agent.post(`/${tenant.slug}/logout`).type('form').send(token);
    expect(response.status).toBe(403);
    expect(response.text).toContain(csrfMessage.pl);
    expect((await writesOf(tenant)).sessions.map((row) => row.sid)).toEqual(before.sessions.map((row) => row.sid));
    expect((await agent.get(`/${tenant.slug}/staff`)).status).toBe(200);
  });

  it.each(badTokens)('refuses a language change %s, for a visitor and for a signed-in user', async (_case, token) => {
    const tenant = await makeTenant(env.db);
    const visitor = request.agent(env.app);
    await csrfTokenFrom(visitor, `/${tenant.slug}/login`);
    const user = await makeUser(env.db, tenant, 'client');
    const member = await signedInAgent(env.app, tenant, user.login);
    const before = await writesOf(tenant);
    for (const agent of [visitor, member]) {
      const response = await agent.post(`/${tenant.slug}/language`).type('form').send({ ...token, ...formsOf(tenant).language.fields });
      expect(response.status).toBe(403);
    }
    expect(await writesOf(tenant)).toEqual(before);
    expect((await visitor.get(`/${tenant.slug}/login`)).text).toContain('<html lang="pl"');
    expect((await member.get(`/${tenant.slug}/portal`)).text).toContain('<html lang="pl"');
  });

  it.each(badTokens)('refuses a password change %s and keeps the old password', async (_case, token) => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'caretaker');
    const agent = await signedInAgent(env.app, tenant, user.login);
    const before = await writesOf(tenant);
    const response = await agent.post(`/${tenant.slug}/account/password`).type('form').send({ ...token, ...formsOf(tenant).password.fields });
    expect(response.status).toBe(403);
    expect(response.text).toContain(csrfMessage.pl);
    expect((await writesOf(tenant)).users).toEqual(before.users);
    expect((await writesOf(tenant)).audit).toEqual(before.audit);
  });
});
