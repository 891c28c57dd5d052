import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, expect, it } from 'vitest';
import { issuePasswordToken } from '../../src/models/password-token.js';
import { saveSettings } from '../../src/models/settings.js';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, testPassword } from '../support/factories.js';
import { appBehindProxy, formErrorOf, submitSignIn, uniqueClientAddress } from '../support/http.js';

const english = { 'Accept-Language': 'en' };
const noAccessMessage = (tenant: Tenant) =>
  `Your company has no access to the portal. To have it switched on, contact your caretaker or ${tenant.name} customer service.`;
const genericRefusal = 'Wrong login or password, or the account is locked.';

describeOnEachDatabase('portal access (A6)', (env) => {
  // Failed sign-ins count per client address too: each visitor gets an address of its own.
  let app: Express;
  beforeAll(() => {
    app = appBehindProxy(env.deps);
  });
  const visitor = () => request.agent(app).set('X-Forwarded-For', uniqueClientAddress());

  const setPortal = (tenant: Tenant, level: 'tenant' | 'group' | 'customer', targetId: number, value: 'on' | 'off' | null) =>
    saveSettings(scopeFor(env.db, tenant), level, targetId, { 'portal.access': value });

  const loginFailures = async (tenant: Tenant, login: string) =>
    Number((await env.db('login_throttles').where('throttle_key', `login:${tenant.id}:${login}`).first())?.failures ?? 0);

  it('lets every client in while the tenant gives the portal to all customers, as it does by default', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const response = await submitSignIn(visitor(), tenant, client.login);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/portal`);
  });

  it('tells a client with the right password that their company has no access, and does not sign them in', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    await setPortal(tenant, 'customer', client.customerId!, 'off');
    const agent = visitor();
    const response = await submitSignIn(agent, tenant, client.login, testPassword, english);
    expect(response.status).toBe(403);
    expect(formErrorOf(response.text)).toBe(noAccessMessage(tenant));
    expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(303);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'user.signed_in' })).toHaveLength(0);
    const polish = await submitSignIn(visitor(), tenant, client.login, testPassword, { 'Accept-Language': 'pl' });
    expect(formErrorOf(polish.text)).toContain('Twoja firma nie ma dostępu do portalu.');
  });

  it('never shows that message with a wrong password or an unknown login: the generic refusal and the throttle stay', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    await setPortal(tenant, 'customer', client.customerId!, 'off');
    const agent = visitor();
    for (const [login, password] of [[client.login, 'a wrong password'], ['nobody-here', testPassword]] as const) {
      const response = await submitSignIn(agent, tenant, login, password, english);
      expect(response.status).toBe(401);
      expect(formErrorOf(response.text)).toBe(genericRefusal);
      expect(response.text).not.toContain('no access to the portal');
    }
    expect(await loginFailures(tenant, client.login)).toBe(1);
    // After five failures the throttle answers first, even with the right password: nothing about access leaks.
    for (let attempt = 2; attempt <= 5; attempt += 1) await submitSignIn(agent, tenant, client.login, 'a wrong password', english);
    const blocked = await submitSignIn(agent, tenant, client.login, testPassword, english);
    expect(blocked.status).toBe(429);
    expect(blocked.text).not.toContain('no access to the portal');
  });

  it('neither counts the right password against the throttle nor clears earlier failures', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    await setPortal(tenant, 'customer', client.customerId!, 'off');
    const agent = visitor();
    await submitSignIn(agent, tenant, client.login, 'a wrong password');
    expect((await submitSignIn(agent, tenant, client.login)).status).toBe(403);
    expect(await loginFailures(tenant, client.login)).toBe(1);
  });

  it('refuses the client of a deactivated customer after the right password, even with the portal on for all', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    await env.db('customers').where({ tenant_id: tenant.id, id: client.customerId }).update({ is_active: false });
    const response = await submitSignIn(visitor(), tenant, client.login, testPassword, english);
    expect(response.status).toBe(403);
    expect(formErrorOf(response.text)).toBe(noAccessMessage(tenant));
  });

  it('with the portal for selected customers only, lets in the clients of customers (or groups) switched on and no one else', async () => {
    const tenant = await makeTenant(env.db);
    await setPortal(tenant, 'tenant', 0, 'off');
    const selected = await makeCustomer(env.db, tenant);
    await setPortal(tenant, 'customer', selected.id, 'on');
    const selectedClient = await makeUser(env.db, tenant, 'client', { customer: selected });
    const otherClient = await makeUser(env.db, tenant, 'client');
    const groupClient = await makeUser(env.db, tenant, 'client');

    expect((await submitSignIn(visitor(), tenant, selectedClient.login)).status).toBe(303);
    expect((await submitSignIn(visitor(), tenant, otherClient.login)).status).toBe(403);
    expect((await submitSignIn(visitor(), tenant, groupClient.login)).status).toBe(403);
    // A group switched on lets in its members; the customer's own switch still wins over the group.
    await setPortal(tenant, 'group', groupClient.groupId!, 'on');
    expect((await submitSignIn(visitor(), tenant, groupClient.login)).status).toBe(303);
    await setPortal(tenant, 'customer', groupClient.customerId!, 'off');
    expect((await submitSignIn(visitor(), tenant, groupClient.login)).status).toBe(403);
  });

  it('never keeps staff out: the setting is about customers', async () => {
    const tenant = await makeTenant(env.db);
    await setPortal(tenant, 'tenant', 0, 'off');
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const response = await submitSignIn(visitor(), tenant, caretaker.login);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/staff`);
  });

  it('signs out a signed-in client on the next request once their customer loses access, and says why', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = visitor();
    expect((await submitSignIn(agent, tenant, client.login)).status).toBe(303);
    expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(200);

    await setPortal(tenant, 'customer', client.customerId!, 'off');
    const refused = await agent.get(`/${tenant.slug}/portal`);
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toMatch(new RegExp(`^/${tenant.slug}/login`));
    const signIn = await agent.get(refused.headers.location!).set(english);
    expect(signIn.text).toContain('You have been signed out: your company no longer has access to the portal.');
    // Switching it back on does not revive the old session: the client signs in again.
    await setPortal(tenant, 'customer', client.customerId!, null);
    expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(303);
  });

  it('signs out a signed-in client once their customer is deactivated', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = visitor();
    expect((await submitSignIn(agent, tenant, client.login)).status).toBe(303);
    await env.db('customers').where({ tenant_id: tenant.id, id: client.customerId }).update({ is_active: false });
    const refused = await agent.get(`/${tenant.slug}/account`);
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toMatch(new RegExp(`^/${tenant.slug}/login`));
  });

  it('saves the password set through an invitation but does not sign in a client whose company has no access', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { password: null });
    await setPortal(tenant, 'customer', client.customerId!, 'off');
    const token = await issuePasswordToken(scopeFor(env.db, tenant), client.id, 'invitation');
    const agent = request.agent(env.app);
    const page = await agent.get(`/${tenant.slug}/invitations/${token}`).set(english);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const response = await agent
      .post(`/${tenant.slug}/invitations/${token}`)
      .set(english)
      .type('form')
      .send({ _csrf: csrf, newPassword: 'a brand new password', passwordConfirmation: 'a brand new password' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/login`);
    expect((await agent.get(response.headers.location!).set(english)).text).toContain('your company has no access to the portal yet');
    expect(await env.db('sessions').where('user_id', client.id).first()).toBeUndefined();
    expect((await env.db('users').where('id', client.id).first()).password_hash).not.toBeNull();
  });
});
