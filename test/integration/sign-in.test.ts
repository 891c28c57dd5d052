import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, expect, it } from 'vitest';
import { deactivateUser, lockUser } from '../../src/models/user.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, testPassword } from '../support/factories.js';
import { appBehindProxy, csrfTokenFrom, formErrorOf, submitSignIn, uniqueClientAddress } from '../support/http.js';

/** What a dashboard shows in one of its data-testid cells. */
function shown(html: string, testId: string): string | undefined {
  return new RegExp(`data-testid="${testId}">([^<]*)<`).exec(html)?.[1];
}

describeOnEachDatabase('sign-in', (env) => {
  // Failed sign-ins count per client address too: each visitor gets an address of its own.
  let app: Express;
  beforeAll(() => {
    app = appBehindProxy(env.deps);
  });
  const visitor = () => request.agent(app).set('X-Forwarded-For', uniqueClientAddress());

  it('signs a client in to the portal dashboard, which shows their name, customer and provider, and no role', async () => {
    const tenant = await makeTenant(env.db, { name: 'Acme sp. z o.o.' });
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.' });
    const client = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Anna', lastName: 'Kowalska' });
    const agent = visitor();
    const response = await submitSignIn(agent, tenant, client.login);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/portal`);
    const dashboard = await agent.get(`/${tenant.slug}/portal`);
    expect(dashboard.status).toBe(200);
    expect(shown(dashboard.text, 'user-name')).toBe('Anna Kowalska');
    expect(dashboard.text).not.toContain('data-testid="user-role"');
    expect(shown(dashboard.text, 'user-customer')).toBe('Alfa sp. z o.o.');
    expect(shown(dashboard.text, 'user-tenant')).toBe('Acme sp. z o.o.');
  });

  it.each([
    ['caretaker', 'opiekun'],
    ['admin', 'administrator'],
    ['superadmin', 'superadministrator'],
  ] as const)('signs a staff member (%s) in to the staff dashboard, which shows their name, role and company', async (role, roleLabel) => {
    const tenant = await makeTenant(env.db, { name: 'Serwis Beta S.A.' });
    const user = role === 'superadmin' ? tenant.superadmin : await makeUser(env.db, tenant, role, { firstName: 'Piotr', lastName: 'Nowak' });
    const agent = visitor();
    const response = await submitSignIn(agent, tenant, user.login);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/staff`);
    const dashboard = await agent.get(`/${tenant.slug}/staff`);
    expect(dashboard.status).toBe(200);
    expect(shown(dashboard.text, 'user-name')).toBe(`${user.firstName} ${user.lastName}`);
    expect(shown(dashboard.text, 'user-role')).toBe(roleLabel);
    expect(shown(dashboard.text, 'user-tenant')).toBe('Serwis Beta S.A.');
  });

  it('refuses an unknown login, a wrong password, a locked, a deactivated and a password-less account with the same 401 page', async () => {
    const tenant = await makeTenant(env.db);
    const scope = scopeFor(env.db, tenant);
    const known = await makeUser(env.db, tenant, 'client');
    const locked = await makeUser(env.db, tenant, 'client');
    const deactivated = await makeUser(env.db, tenant, 'caretaker');
    const withoutPassword = await makeUser(env.db, tenant, 'caretaker', { password: null });
    await lockUser(scope, locked.id);
    await deactivateUser(scope, deactivated.id);
    const attempts: Array<[string, string]> = [
      ['nobody-of-that-name', testPassword],
      [known.login, 'not the password'],
      [locked.login, testPassword],
      [deactivated.login, testPassword],
      [withoutPassword.login, testPassword],
    ];
    const answers: Array<{ status: number; message: string | undefined; page: string }> = [];
    for (const [login, password] of attempts) {
      const agent = visitor();
      const response = await submitSignIn(agent, tenant, login, password, { 'Accept-Language': 'en' });
      // Each page masks its form tokens afresh: the pages are compared with the tokens taken out.
      answers.push({ status: response.status, message: formErrorOf(response.text), page: response.text.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value="TOKEN"').replaceAll(login, 'LOGIN') });
      expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(303);
      expect((await agent.get(`/${tenant.slug}/staff`)).status).toBe(303);
    }
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.message).toBe('Wrong login or password, or the account is locked.');
      expect(answer.page).toBe(answers[0]!.page);
    }
  });

  it('gives the refusal in Polish to a Polish browser', async () => {
    const tenant = await makeTenant(env.db, { defaultLocale: 'en' });
    const response = await submitSignIn(visitor(), tenant, 'nobody', testPassword, { 'Accept-Language': 'pl' });
    expect(response.status).toBe(401);
    expect(formErrorOf(response.text)).toBe('Nieprawidłowy login lub hasło albo konto jest zablokowane.');
  });

  it('accepts the login in any letter case and with spaces around it', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client', { login: 'Anna.Kowalska' });
    expect(user.login).toBe('anna.kowalska');
    for (const typed of ['ANNA.kowalska', '  Anna.Kowalska  ']) {
      const response = await submitSignIn(visitor(), tenant, typed);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(`/${tenant.slug}/portal`);
    }
  });

  it('returns after sign-in to the page of the same tenant that was asked for', async () => {
    const tenant = await makeTenant(env.db);
    const agent = visitor();
    const refused = await agent.get(`/${tenant.slug}/account`);
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toBe(`/${tenant.slug}/login?next=${encodeURIComponent(`/${tenant.slug}/account`)}`);
    const form = await agent.get(refused.headers.location!);
    expect(form.text).toContain(`name="next" value="/${tenant.slug}/account"`);
    const token = await csrfTokenFrom(agent, refused.headers.location!);
    const response = await agent
      .post(`/${tenant.slug}/login`)
      .type('form')
      .send({ _csrf: token, login: tenant.superadmin.login, password: testPassword, next: `/${tenant.slug}/account` });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/account`);
    expect((await agent.get(`/${tenant.slug}/account`)).status).toBe(200);
  });

  it('ignores a next address on another site or of another tenant and lands on the dashboard', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const elsewhere = [
      'https://evil.example/phish',
      '//evil.example/phish',
      `/${other.slug}/portal`,
      `/${tenant.slug}x/portal`,
      `/${tenant.slug}/\\evil.example`,
    ];
    for (const next of elsewhere) {
      const agent = visitor();
      const token = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
      const response = await agent.post(`/${tenant.slug}/login`).type('form').send({ _csrf: token, login: client.login, password: testPassword, next });
      expect(response.status, next).toBe(303);
      expect(response.headers.location, next).toBe(`/${tenant.slug}/portal`);
    }
  });

  it('counts failed sign-ins on the account and clears the count at the next success', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'caretaker');
    const agent = visitor();
    const account = () => env.db('users').where('id', user.id).first();
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect((await submitSignIn(agent, tenant, user.login, 'wrong password')).status).toBe(401);
      expect(Number((await account()).failed_login_count)).toBe(attempt);
    }
    expect((await account()).last_sign_in_at).toBeNull();
    expect((await submitSignIn(agent, tenant, user.login)).status).toBe(303);
    const after = await account();
    expect(Number(after.failed_login_count)).toBe(0);
    expect(after.last_sign_in_at).not.toBeNull();
    const signIns = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'user.signed_in', subject_id: user.id });
    expect(signIns).toHaveLength(1);
  });
});
