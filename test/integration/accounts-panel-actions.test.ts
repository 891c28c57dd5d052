import request from 'supertest';
import { expect, it } from 'vitest';
import type { Role } from '../../src/db/scope.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, formErrorOf, signedInAgent, submitSignIn, uniqueClientAddress, appBehindProxy, type Agent } from '../support/http.js';
import { latestMailTo, linkPathIn } from '../support/mail.js';

type Signed = { agent: Agent; csrfToken: string; userId: number };

describeOnEachDatabase('locking, deactivating and e-mailing accounts from the panel (A4, A11)', (env) => {
  async function signInAs(tenant: TestTenant, role: Role): Promise<Signed> {
    const user = role === 'superadmin' ? tenant.superadmin : await makeUser(env.db, tenant, role);
    const agent = await signedInAgent(env.app, tenant, user.login);
    return { agent, csrfToken: await csrfTokenFrom(agent, `/${tenant.slug}/admin/accounts`), userId: user.id };
  }

  function act(actor: Signed, tenant: TestTenant, userId: number | string, action: string) {
    return actor.agent.post(`/${tenant.slug}/admin/accounts/${userId}/${action}`).set('Accept-Language', 'en').type('form').send({ _csrf: actor.csrfToken });
  }

  const rowOf = (userId: number) => env.db('users').where({ id: userId }).first();
  const auditOf = (tenant: TestTenant, action: string, userId: number) => env.db('audit_log').where({ tenant_id: tenant.id, action, subject_id: userId });
  /** Signs in through an app that trusts X-Forwarded-For, each time from a new address, so no throttle is reached. */
  const signInFresh = (tenant: TestTenant, login: string) => submitSignIn(request.agent(appBehindProxy(env.deps)), tenant, login, undefined, { 'X-Forwarded-For': uniqueClientAddress() });

  it('shows an account with its actions, and another tenant’s account as 404', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const foreign = await makeUser(env.db, other, 'client');
    const admin = await signInAs(tenant, 'admin');

    const page = await admin.agent.get(`/${tenant.slug}/admin/accounts/${client.id}`).set('Accept-Language', 'en');
    expect(page.status).toBe(200);
    expect(page.text).toContain(client.login);
    expect(page.text).toContain(`/admin/accounts/${client.id}/lock`);
    expect(page.text).toContain(`/admin/accounts/${client.id}/password-reset`);
    expect((await admin.agent.get(`/${tenant.slug}/admin/accounts/${foreign.id}`)).status).toBe(404);
    expect((await admin.agent.get(`/${tenant.slug}/admin/accounts/abc`)).status).toBe(404);
  });

  it('locks an account: its open session ends at the next request and it cannot sign in, with the usual message', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const clientAgent = await signedInAgent(env.app, tenant, client.login);
    expect((await clientAgent.get(`/${tenant.slug}/portal`)).status).toBe(200);
    const admin = await signInAs(tenant, 'admin');

    const response = await act(admin, tenant, client.id, 'lock');

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/admin/accounts/${client.id}`);
    expect(Boolean((await rowOf(client.id)).is_locked)).toBe(true);
    const next = await clientAgent.get(`/${tenant.slug}/portal`);
    expect(next.status).toBe(303);
    expect(next.headers.location).toMatch(new RegExp(`^/${tenant.slug}/login`));
    const locked = await signInFresh(tenant, client.login);
    const wrongPassword = await submitSignIn(request.agent(appBehindProxy(env.deps)), tenant, client.login, 'wrong password 1', { 'X-Forwarded-For': uniqueClientAddress() });
    expect(locked.status).toBe(wrongPassword.status);
    expect(formErrorOf(locked.text)).toBe(formErrorOf(wrongPassword.text));
    expect(await auditOf(tenant, 'user.locked', client.id)).toHaveLength(1);
    const page = await admin.agent.get(response.headers.location!).set('Accept-Language', 'en');
    expect(page.text).toContain('The account was locked: its sessions were ended and nobody can sign in to it.');
    expect(page.text).toMatch(/data-testid="account-state">locked</);
  });

  it('unlocks an account so that it can sign in again, and locking twice records one lock', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const admin = await signInAs(tenant, 'admin');
    await act(admin, tenant, client.id, 'lock');
    await act(admin, tenant, client.id, 'lock');
    expect((await signInFresh(tenant, client.login)).status).not.toBe(303);

    const response = await act(admin, tenant, client.id, 'unlock');

    expect(response.status).toBe(303);
    expect((await signInFresh(tenant, client.login)).status).toBe(303);
    expect(await auditOf(tenant, 'user.locked', client.id)).toHaveLength(1);
    expect(await auditOf(tenant, 'user.unlocked', client.id)).toHaveLength(1);
  });

  it('deactivates an account: it is signed out and cannot sign in', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const caretakerAgent = await signedInAgent(env.app, tenant, caretaker.login);
    const admin = await signInAs(tenant, 'admin');

    const response = await act(admin, tenant, caretaker.id, 'deactivation');

    expect(response.status).toBe(303);
    expect(Boolean((await rowOf(caretaker.id)).is_active)).toBe(false);
    expect((await caretakerAgent.get(`/${tenant.slug}/staff`)).status).toBe(303);
    expect((await signInFresh(tenant, caretaker.login)).status).not.toBe(303);
    expect(await auditOf(tenant, 'user.deactivated', caretaker.id)).toHaveLength(1);
  });

  it('e-mails a password-reset link to the account', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const admin = await signInAs(tenant, 'admin');

    const response = await act(admin, tenant, client.id, 'password-reset');

    expect(response.status).toBe(303);
    const mail = await latestMailTo(env, client.email!);
    expect(linkPathIn(mail, env.config.baseUrl)).toMatch(new RegExp(`^/${tenant.slug}/password-resets/\\S+$`));
    expect(await auditOf(tenant, 'user.password_reset_sent', client.id)).toHaveLength(1);
    const page = await admin.agent.get(response.headers.location!).set('Accept-Language', 'en');
    expect(page.text).toContain('A password reset link was sent by e-mail.');
  });

  it('queues the reset e-mail in the outbox, in the account’s language', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { locale: 'en' });
    const admin = await signInAs(tenant, 'admin');
    await act(admin, tenant, client.id, 'password-reset');
    const queued = await env.db('outbox').where({ tenant_id: tenant.id, recipient: client.email, template: 'password-reset' });
    expect(queued).toHaveLength(1);
    expect(queued[0].locale).toBe('en');
    const mail = await latestMailTo(env, client.email!);
    expect(mail.subject).toContain('set a new password');
  });

  it('answers a reset for an account without an e-mail address with 422 and the reason, queuing nothing', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    await env.db('users').where({ id: client.id }).update({ email: null });
    const admin = await signInAs(tenant, 'admin');

    const response = await act(admin, tenant, client.id, 'password-reset');

    expect(response.status).toBe(422);
    expect(formErrorOf(response.text)).toContain('has no e-mail address');
    expect(await env.db('outbox').where({ tenant_id: tenant.id, template: 'password-reset' })).toHaveLength(0);
  });

  it('sends a new invitation to an account without a password, and refuses one that has a password with 422', async () => {
    const tenant = await makeTenant(env.db);
    const waiting = await makeUser(env.db, tenant, 'client', { password: null });
    const active = await makeUser(env.db, tenant, 'client');
    const admin = await signInAs(tenant, 'admin');

    const sent = await act(admin, tenant, waiting.id, 'invitation');
    expect(sent.status).toBe(303);
    const mail = await latestMailTo(env, waiting.email!);
    expect(linkPathIn(mail, env.config.baseUrl)).toMatch(new RegExp(`^/${tenant.slug}/invitations/\\S+$`));
    expect(await auditOf(tenant, 'user.invitation_sent', waiting.id)).toHaveLength(1);

    const refused = await act(admin, tenant, active.id, 'invitation');
    expect(refused.status).toBe(422);
    expect(formErrorOf(refused.text)).toContain('already has a password');
    expect(await env.db('outbox').where({ tenant_id: tenant.id, recipient: active.email })).toHaveLength(0);
  });

  for (const action of ['lock', 'unlock', 'deactivation', 'password-reset', 'invitation', 'role']) {
    it(`answers ${action} on another tenant’s account with 404, changing nothing`, async () => {
      const tenant = await makeTenant(env.db);
      const other = await makeTenant(env.db);
      const foreign = await makeUser(env.db, other, 'caretaker', { password: null });
      const owner = await signInAs(tenant, 'superadmin');
      const before = await rowOf(foreign.id);
      expect((await act(owner, tenant, foreign.id, action)).status).toBe(404);
      expect(await rowOf(foreign.id)).toEqual(before);
      expect(await env.db('audit_log').where({ subject_id: foreign.id, subject_type: 'user' }).whereNot('action', 'user.created')).toHaveLength(0);
      expect(await env.db('outbox').where({ recipient: foreign.email })).toHaveLength(0);
    });
  }

  it('refuses an admin locking, unlocking, deactivating, resetting or inviting another admin with 403', async () => {
    const tenant = await makeTenant(env.db);
    const otherAdmin = await makeUser(env.db, tenant, 'admin', { password: null });
    const admin = await signInAs(tenant, 'admin');
    const outboxBefore = (await env.db('outbox').where('tenant_id', tenant.id)).length;
    for (const action of ['lock', 'unlock', 'deactivation', 'password-reset', 'invitation']) expect((await act(admin, tenant, otherAdmin.id, action)).status, action).toBe(403);
    expect(await env.db('outbox').where('tenant_id', tenant.id)).toHaveLength(outboxBefore);
    expect((await act(admin, tenant, tenant.superadmin.id, 'lock')).status).toBe(403);
    const row = await rowOf(otherAdmin.id);
    expect(Boolean(row.is_locked) || !row.is_active).toBe(false);
  });

  it('lets a superadmin lock an admin', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const owner = await signInAs(tenant, 'superadmin');
    expect((await act(owner, tenant, admin.id, 'lock')).status).toBe(303);
    expect(Boolean((await rowOf(admin.id)).is_locked)).toBe(true);
  });

  it('lets nobody lock or deactivate their own account', async () => {
    const tenant = await makeTenant(env.db);
    const owner = await signInAs(tenant, 'superadmin');
    expect((await act(owner, tenant, owner.userId, 'lock')).status).toBe(403);
    expect((await act(owner, tenant, owner.userId, 'deactivation')).status).toBe(403);
    expect(Boolean((await rowOf(owner.userId)).is_active)).toBe(true);
  });

  it('never leaves a tenant without an active superadmin, even when two lock each other at the same moment', async () => {
    const tenant = await makeTenant(env.db);
    const second = await makeUser(env.db, tenant, 'superadmin');
    const owner = await signInAs(tenant, 'superadmin');
    const other: Signed = await (async () => {
      const agent = await signedInAgent(env.app, tenant, second.login);
      return { agent, csrfToken: await csrfTokenFrom(agent, `/${tenant.slug}/admin/accounts`), userId: second.id };
    })();
    // Whichever runs second is refused (or finds its author already locked and signed out).
    await Promise.all([act(owner, tenant, second.id, 'lock'), act(other, tenant, owner.userId, 'lock')]);
    const usable = await env.db('users').where({ tenant_id: tenant.id, role: 'superadmin', is_active: true, is_locked: false });
    expect(usable).toHaveLength(1);
  });
});
