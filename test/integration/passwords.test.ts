import request from 'supertest';
import { expect, it } from 'vitest';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, testPassword } from '../support/factories.js';
import { appBehindProxy, csrfTokenFrom, fieldErrorOf, signedInAgent, submitSignIn, uniqueClientAddress, type Agent } from '../support/http.js';

const newPassword = 'a brand new password';

describeOnEachDatabase('passwords', (env) => {
  const hashOf = async (userId: number) => (await env.db('users').where('id', userId).first()).password_hash as string;

  async function changePassword(agent: Agent, tenant: Tenant, fields: Record<string, string>) {
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/account/password`);
    return agent.post(`/${tenant.slug}/account/password`).type('form').send({ _csrf: token, ...fields });
  }

  it('shows the login, role and e-mail on the “my account” page', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Jan', lastName: 'Kowal' });
    const agent = await signedInAgent(env.app, tenant, user.login);
    const page = await agent.get(`/${tenant.slug}/account`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<dd>${user.login}</dd>`);
    expect(page.text).toContain(`<dd>${user.email}</dd>`);
    expect(page.text).toContain('<dd>opiekun</dd>');
    expect(page.text).toContain('<dd>Jan Kowal</dd>');
  });

  it('refuses a password change with a wrong current password, with the message on that field, and keeps the hash', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, user.login);
    const hash = await hashOf(user.id);
    const response = await changePassword(agent, tenant, { currentPassword: 'not my password', newPassword, passwordConfirmation: newPassword });
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'currentPassword')).toBe('Obecne hasło jest nieprawidłowe.');
    expect(response.text).not.toContain('not my password');
    expect(response.text).not.toContain(newPassword);
    expect(await hashOf(user.id)).toBe(hash);
  });

  it.each([
    ['a confirmation that differs', newPassword, 'a different password', 'passwordConfirmation', 'Hasła nie są takie same.'],
    ['a new password under 8 characters', 'short12', 'short12', 'newPassword', 'Hasło musi mieć co najmniej 8 znaków.'],
    ['a new password over 72 bytes of accented letters', 'ż'.repeat(37), 'ż'.repeat(37), 'newPassword', 'Hasło jest za długie (najwyżej 72 bajty; polskie litery liczą się podwójnie).'],
    ['a new password over 72 characters', 'x'.repeat(73), 'x'.repeat(73), 'newPassword', 'Hasło jest za długie (najwyżej 72 bajty; polskie litery liczą się podwójnie).'],
    ['an empty current password', newPassword, newPassword, 'currentPassword', 'To pole jest wymagane.', ''],
  ])('refuses %s with 422 and the message on its field, keeping the hash', async (_case, chosen, confirmation, field, message, current = testPassword) => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, user.login);
    const hash = await hashOf(user.id);
    const response = await changePassword(agent, tenant, { currentPassword: current, newPassword: chosen, passwordConfirmation: confirmation });
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, field)).toBe(message);
    expect(response.text).not.toContain(chosen);
    expect(await hashOf(user.id)).toBe(hash);
  });

  it('changes the password, says so, records it, and only the new password signs in afterwards', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'caretaker');
    const agent = await signedInAgent(env.app, tenant, user.login);
    const response = await changePassword(agent, tenant, { currentPassword: testPassword, newPassword, passwordConfirmation: newPassword });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/staff`);
    expect((await agent.get(`/${tenant.slug}/staff`)).text).toContain('Hasło zostało zmienione.');
    const audit = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'user.password_changed', subject_id: user.id });
    expect(audit).toHaveLength(1);
    expect((await submitSignIn(request.agent(env.app), tenant, user.login, newPassword)).status).toBe(303);
    // A refused sign-in counts against the client address: this one comes from an address of its own.
    const elsewhere = request.agent(appBehindProxy(env.deps)).set('X-Forwarded-For', uniqueClientAddress());
    expect((await submitSignIn(elsewhere, tenant, user.login, testPassword)).status).toBe(401);
  });

  it('sends a user who must change their password from every page to the password form, in the portal and the staff panel', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { mustChangePassword: true });
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { mustChangePassword: true });
    const forms = `/${tenant.slug}/account/password`;
    for (const [user, pages] of [
      [client, ['portal', 'account']],
      [caretaker, ['staff', 'account']],
    ] as const) {
      const agent = request.agent(env.app);
      const signIn = await submitSignIn(agent, tenant, user.login);
      expect(signIn.status).toBe(303);
      expect(signIn.headers.location).toBe(forms);
      for (const page of pages) {
        const response = await agent.get(`/${tenant.slug}/${page}`);
        expect(response.status, page).toBe(303);
        expect(response.headers.location, page).toBe(forms);
      }
      const form = await agent.get(forms);
      expect(form.status).toBe(200);
      expect(form.text).toContain('Przed dalszą pracą ustaw nowe hasło.');
    }
  });

  it('lets a user who must change their password sign out', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { mustChangePassword: true });
    const agent = await signedInAgent(env.app, tenant, client.login);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/account/password`);
    const response = await agent.post(`/${tenant.slug}/logout`).type('form').send({ _csrf: token });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/login?signedOut=1&lang=pl`);
    expect((await agent.get(`/${tenant.slug}/account/password`)).status).toBe(303);
  });

  it('opens every page again once the forced change is done', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { mustChangePassword: true });
    const agent = await signedInAgent(env.app, tenant, client.login);
    const response = await changePassword(agent, tenant, { currentPassword: testPassword, newPassword, passwordConfirmation: newPassword });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/portal`);
    expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(200);
    expect((await agent.get(`/${tenant.slug}/account`)).status).toBe(200);
    expect(Boolean((await env.db('users').where('id', client.id).first()).must_change_password)).toBe(false);
    const again = await submitSignIn(request.agent(env.app), tenant, client.login, newPassword);
    expect(again.headers.location).toBe(`/${tenant.slug}/portal`);
  });

  it('requires the current password for the forced change too', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { mustChangePassword: true });
    const agent = await signedInAgent(env.app, tenant, client.login);
    const response = await changePassword(agent, tenant, { currentPassword: 'a guess', newPassword, passwordConfirmation: newPassword });
    expect(response.status).toBe(422);
    expect((await agent.get(`/${tenant.slug}/portal`)).headers.location).toBe(`/${tenant.slug}/account/password`);
  });

  it('ends the user’s other sessions when the password changes, and gives this one a new id', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const elsewhere = await signedInAgent(env.app, tenant, client.login);
    const here = await signedInAgent(env.app, tenant, client.login);
    const sessionsBefore = await env.db('sessions').where('user_id', client.id).pluck('sid');
    expect(sessionsBefore).toHaveLength(2);
    const response = await changePassword(here, tenant, { currentPassword: testPassword, newPassword, passwordConfirmation: newPassword });
    expect(response.status).toBe(303);
    const sessionsAfter = await env.db('sessions').where('user_id', client.id).pluck('sid');
    expect(sessionsAfter).toHaveLength(1);
    expect(sessionsBefore).not.toContain(sessionsAfter[0]);
    expect((await here.get(`/${tenant.slug}/portal`)).status).toBe(200);
    expect((await elsewhere.get(`/${tenant.slug}/portal`)).status).toBe(303);
  });

  it('counts wrong current passwords against the sign-in throttle, so a stolen session cannot guess', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const app = appBehindProxy(env.deps);
    const address = uniqueClientAddress();
    const agent = request.agent(app);
    const signedIn = await submitSignIn(agent, tenant, client.login, testPassword, { 'X-Forwarded-For': address });
    expect(signedIn.status).toBe(303);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/account/password`);
    const attempt = () =>
      agent.post(`/${tenant.slug}/account/password`).set('X-Forwarded-For', address).type('form').send({ _csrf: token, currentPassword: 'a guess', newPassword, passwordConfirmation: newPassword });
    for (let guess = 0; guess < 5; guess += 1) expect((await attempt()).status).toBe(422);
    const blocked = await attempt();
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    const fresh = await submitSignIn(request.agent(app), tenant, client.login, testPassword, { 'X-Forwarded-For': uniqueClientAddress() });
    expect(fresh.status).toBe(429);
  });
});
