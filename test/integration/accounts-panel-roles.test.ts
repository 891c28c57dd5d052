import { expect, it } from 'vitest';
import type { Role } from '../../src/db/scope.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent, type Agent } from '../support/http.js';

type Signed = { agent: Agent; csrfToken: string; userId: number };

describeOnEachDatabase('changing the role of an account (A4)', (env) => {
  async function signInAs(tenant: TestTenant, role: Role): Promise<Signed> {
    const user = role === 'superadmin' ? tenant.superadmin : await makeUser(env.db, tenant, role);
    const agent = await signedInAgent(env.app, tenant, user.login);
    return { agent, csrfToken: await csrfTokenFrom(agent, `/${tenant.slug}/admin/accounts`), userId: user.id };
  }

  function changeRole(actor: Signed, tenant: TestTenant, userId: number, role: string) {
    return actor.agent.post(`/${tenant.slug}/admin/accounts/${userId}/role`).set('Accept-Language', 'en').type('form').send({ _csrf: actor.csrfToken, role });
  }

  const roleOf = async (userId: number) => (await env.db('users').where({ id: userId }).first()).role as Role;

  it('lets a superadmin promote a caretaker to admin, recorded with both roles, effective at the next request', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const caretakerAgent = await signedInAgent(env.app, tenant, caretaker.login);
    expect((await caretakerAgent.get(`/${tenant.slug}/admin`)).status).toBe(403);
    const owner = await signInAs(tenant, 'superadmin');

    const response = await changeRole(owner, tenant, caretaker.id, 'admin');

    expect(response.status).toBe(303);
    expect(await roleOf(caretaker.id)).toBe('admin');
    const [entry] = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'user.role_changed', subject_id: caretaker.id });
    expect(JSON.parse(entry.details)).toEqual({ from: 'caretaker', to: 'admin' });
    expect((await caretakerAgent.get(`/${tenant.slug}/admin`)).status).toBe(200);
  });

  it('refuses an admin promoting a caretaker to admin or superadmin with 403, changing nothing', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const admin = await signInAs(tenant, 'admin');
    for (const role of ['admin', 'superadmin']) {
      const response = await changeRole(admin, tenant, caretaker.id, role);
      expect(response.status).toBe(403);
      expect(response.text).toContain('only a superadministrator');
    }
    expect(await roleOf(caretaker.id)).toBe('caretaker');
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'user.role_changed' })).toHaveLength(0);
  });

  it('refuses an admin demoting another admin with 403', async () => {
    const tenant = await makeTenant(env.db);
    const otherAdmin = await makeUser(env.db, tenant, 'admin');
    const admin = await signInAs(tenant, 'admin');
    expect((await changeRole(admin, tenant, otherAdmin.id, 'caretaker')).status).toBe(403);
    expect(await roleOf(otherAdmin.id)).toBe('admin');
  });

  it('lets nobody change their own role', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await signInAs(tenant, 'admin');
    const owner = await signInAs(tenant, 'superadmin');
    expect((await changeRole(admin, tenant, admin.userId, 'superadmin')).status).toBe(403);
    expect((await changeRole(admin, tenant, admin.userId, 'caretaker')).status).toBe(403);
    expect((await changeRole(owner, tenant, owner.userId, 'caretaker')).status).toBe(403);
    expect(await roleOf(admin.userId)).toBe('admin');
    expect(await roleOf(owner.userId)).toBe('superadmin');
  });

  it('refuses to turn a client into staff or staff into a client, with 422 and the reason', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const owner = await signInAs(tenant, 'superadmin');

    const promoted = await changeRole(owner, tenant, client.id, 'caretaker');
    expect(promoted.status).toBe(422);
    expect(promoted.text).toContain('A client account cannot become a staff account');
    const demoted = await changeRole(owner, tenant, caretaker.id, 'client');
    expect(demoted.status).toBe(422);
    expect(await roleOf(client.id)).toBe('client');
    expect(await roleOf(caretaker.id)).toBe('caretaker');
  });

  it('answers a role change for another tenant’s account with 404', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const foreign = await makeUser(env.db, other, 'caretaker');
    const owner = await signInAs(tenant, 'superadmin');
    expect((await changeRole(owner, tenant, foreign.id, 'admin')).status).toBe(404);
    expect((await changeRole(owner, tenant, foreign.id, 'nonsense')).status).toBe(404);
    expect(await roleOf(foreign.id)).toBe('caretaker');
  });
});
