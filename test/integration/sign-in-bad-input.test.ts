import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, expect, it } from 'vitest';
import type { Tenant } from '../../src/models/tenant.js';
import type { User } from '../../src/models/user.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, testPassword } from '../support/factories.js';
import { appBehindProxy, csrfTokenFrom, fieldErrorOf, uniqueClientAddress } from '../support/http.js';

const required = { en: 'This field is required.', pl: 'To pole jest wymagane.' };
const tooLong = { en: 'This field can be at most 200 characters long.', pl: 'To pole może mieć najwyżej 200 znaków.' };
const oneError = { en: 'The form has 1 error. Correct it and send the form again.', pl: 'Formularz zawiera 1 błąd. Popraw go i wyślij ponownie.' };

type BadForm = { login: (user: User) => string; password: string; field: 'login' | 'password'; messages: { en: string; pl: string } };

const badForms: Array<[string, BadForm]> = [
  ['an empty login', { login: () => '', password: testPassword, field: 'login', messages: required }],
  ['a login of spaces only', { login: () => '   ', password: testPassword, field: 'login', messages: required }],
  ['an empty password', { login: (user) => user.login, password: '', field: 'password', messages: required }],
  ['a login over 200 characters', { login: (user) => user.login + 'x'.repeat(201), password: testPassword, field: 'login', messages: tooLong }],
  ['a password over 200 characters', { login: (user) => user.login, password: `${testPassword}${'p'.repeat(200)}`, field: 'password', messages: tooLong }],
];

describeOnEachDatabase('sign-in with bad input', (env) => {
  let app: Express;
  beforeAll(() => {
    app = appBehindProxy(env.deps);
  });

  /** Everything a sign-in attempt could write: throttle counters, the audit log, the account. */
  async function traces(tenant: Tenant, user: User, address: string) {
    const throttles = await env.db('login_throttles').whereIn('throttle_key', [`login:${tenant.id}:${user.login}`, `ip:${address}`]);
    const audit = await env.db('audit_log').where('tenant_id', tenant.id).count({ count: '*' }).first();
    const account = await env.db('users').where('id', user.id).select('failed_login_count', 'last_sign_in_at', 'updated_at', 'password_hash').first();
    return { throttles, auditEntries: Number(audit?.count), account };
  }

  it.each(badForms)('answers %s with 422 and the form again, in the visitor’s language, writing nothing', async (_case, form) => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const address = uniqueClientAddress();
    const before = await traces(tenant, user, address);
    for (const language of ['en', 'pl'] as const) {
      const agent = request.agent(app).set('X-Forwarded-For', address);
      const token = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
      const login = form.login(user);
      const response = await agent
        .post(`/${tenant.slug}/login`)
        .set('Accept-Language', language)
        .type('form')
        .send({ _csrf: token, login, password: form.password });
      expect(response.status).toBe(422);
      expect(response.text).toContain(`action="/${tenant.slug}/login"`);
      expect(fieldErrorOf(response.text, form.field)).toBe(form.messages[language]);
      expect(response.text).toContain(oneError[language]);
      expect(response.text).toContain(`name="login" type="text" value="${login}"`);
      expect(response.text).toContain('name="password" type="password" value=""');
      if (form.password) expect(response.text).not.toContain(form.password);
      expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(303);
    }
    expect(await traces(tenant, user, address)).toEqual(before);
    expect(before.throttles).toEqual([]);
  });

  it('answers bad input with 422 without counting it as a failure, even while the login is throttled', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const agent = request.agent(app).set('X-Forwarded-For', uniqueClientAddress());
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    const send = (password: string) => agent.post(`/${tenant.slug}/login`).type('form').send({ _csrf: token, login: user.login, password });
    for (let attempt = 1; attempt <= 5; attempt += 1) expect((await send('wrong password')).status).toBe(401);
    const failuresBefore = (await env.db('login_throttles').where('throttle_key', `login:${tenant.id}:${user.login}`).first()).failures;
    expect((await send('')).status).toBe(422);
    expect((await send('')).status).toBe(422);
    expect((await env.db('login_throttles').where('throttle_key', `login:${tenant.id}:${user.login}`).first()).failures).toBe(failuresBefore);
    expect((await send(testPassword)).status).toBe(429);
  });
});
