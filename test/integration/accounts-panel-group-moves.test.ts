import { expect, it } from 'vitest';
import { createGroup, findDefaultGroup } from '../../src/models/group.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, formErrorOf, signedInAgent, type Agent } from '../support/http.js';

describeOnEachDatabase('moving client accounts between groups (A4, A5)', (env) => {
  async function adminOf(tenant: TestTenant): Promise<{ agent: Agent; csrfToken: string }> {
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(env.app, tenant, admin.login);
    return { agent, csrfToken: await csrfTokenFrom(agent, `/${tenant.slug}/admin/accounts`) };
  }

  const groupOf = async (userId: number) => Number((await env.db('users').where({ id: userId }).first()).group_id);

  function move(admin: { agent: Agent; csrfToken: string }, tenant: TestTenant, fields: { ids?: Array<number | string>; groupId?: number | string; returnTo?: string }) {
    const body = new URLSearchParams({ _csrf: admin.csrfToken });
    for (const id of fields.ids ?? []) body.append('ids', String(id));
    if (fields.groupId !== undefined) body.set('groupId', String(fields.groupId));
    if (fields.returnTo !== undefined) body.set('returnTo', fields.returnTo);
    return admin.agent.post(`/${tenant.slug}/admin/accounts/group-moves`).set('Accept-Language', 'en').type('form').send(body.toString());
  }

  it('moves the selected client accounts to the group in one go, with an audit entry for each', async () => {
    const tenant = await makeTenant(env.db);
    const vip = await createGroup(scopeFor(env.db, tenant), 'VIP');
    const first = await makeUser(env.db, tenant, 'client');
    const second = await makeUser(env.db, tenant, 'client');
    const untouched = await makeUser(env.db, tenant, 'client');
    const admin = await adminOf(tenant);

    const response = await move(admin, tenant, { ids: [first.id, second.id], groupId: vip.id, returnTo: `/${tenant.slug}/admin/accounts?type=client&page=1` });

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/admin/accounts?type=client&page=1`);
    expect(await groupOf(first.id)).toBe(vip.id);
    expect(await groupOf(second.id)).toBe(vip.id);
    expect(await groupOf(untouched.id)).toBe((await findDefaultGroup(scopeFor(env.db, tenant)))!.id);
    const audit = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'user.group_changed' });
    expect(audit.map((entry) => Number(entry.subject_id)).sort()).toEqual([first.id, second.id].sort());
    expect(JSON.parse(audit[0].details)).toMatchObject({ to: vip.id });
    const page = await admin.agent.get(response.headers.location!).set('Accept-Language', 'en');
    expect(page.text).toContain('The accounts were moved to the group.');
  });

  it('never moves staff accounts or another tenant’s accounts that were slipped into the list', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const vip = await createGroup(scopeFor(env.db, tenant), 'VIP');
    const client = await makeUser(env.db, tenant, 'client');
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const foreign = await makeUser(env.db, other, 'client');
    const foreignGroup = await groupOf(foreign.id);
    const admin = await adminOf(tenant);

    const response = await move(admin, tenant, { ids: [client.id, caretaker.id, foreign.id, 'x'], groupId: vip.id });

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/admin/accounts`);
    expect(await groupOf(client.id)).toBe(vip.id);
    expect((await env.db('users').where({ id: caretaker.id }).first()).group_id).toBeNull();
    expect(await groupOf(foreign.id)).toBe(foreignGroup);
    expect(await env.db('audit_log').where({ action: 'user.group_changed', subject_id: foreign.id })).toHaveLength(0);
    const page = await admin.agent.get(response.headers.location!).set('Accept-Language', 'en');
    expect(page.text).toContain('staff accounts have no group');
  });

  it('refuses with 422 when nothing is selected', async () => {
    const tenant = await makeTenant(env.db);
    const vip = await createGroup(scopeFor(env.db, tenant), 'VIP');
    const admin = await adminOf(tenant);
    const response = await move(admin, tenant, { ids: [], groupId: vip.id });
    expect(response.status).toBe(422);
    expect(formErrorOf(response.text)).toBe('Select at least one client account to move.');
  });

  it('refuses with 422, moving nothing, when the group is another tenant’s', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const foreignGroup = await createGroup(scopeFor(env.db, other), 'Theirs');
    const client = await makeUser(env.db, tenant, 'client');
    const before = await groupOf(client.id);
    const admin = await adminOf(tenant);

    const response = await move(admin, tenant, { ids: [client.id], groupId: foreignGroup.id });

    expect(response.status).toBe(422);
    expect(formErrorOf(response.text)).toContain('This group does not exist');
    expect(await groupOf(client.id)).toBe(before);
  });

  it('refuses with 422 when no group is chosen', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const admin = await adminOf(tenant);
    const response = await move(admin, tenant, { ids: [client.id], groupId: '' });
    expect(response.status).toBe(422);
    expect(formErrorOf(response.text)).toBe('Choose the group to move the accounts to.');
  });

  it('refuses with 422 when the selection holds only staff and another tenant’s accounts', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const vip = await createGroup(scopeFor(env.db, tenant), 'VIP');
    const foreign = await makeUser(env.db, other, 'client');
    const admin = await adminOf(tenant);

    const response = await move(admin, tenant, { ids: [tenant.superadmin.id, foreign.id], groupId: vip.id });

    expect(response.status).toBe(422);
    expect(formErrorOf(response.text)).toContain('nothing was moved');
    expect(await groupOf(foreign.id)).not.toBe(vip.id);
  });

  it('returns only to a page of the accounts panel, never to another address', async () => {
    const tenant = await makeTenant(env.db);
    const vip = await createGroup(scopeFor(env.db, tenant), 'VIP');
    const client = await makeUser(env.db, tenant, 'client');
    const admin = await adminOf(tenant);

    const response = await move(admin, tenant, { ids: [client.id], groupId: vip.id, returnTo: 'https://evil.example/phish' });
    expect(response.headers.location).toBe(`/${tenant.slug}/admin/accounts`);
    const fromAccount = await move(admin, tenant, { ids: [client.id], groupId: vip.id, returnTo: `/${tenant.slug}/admin/accounts/${client.id}` });
    expect(fromAccount.headers.location).toBe(`/${tenant.slug}/admin/accounts/${client.id}`);
  });

  it('moves a client from its own account page', async () => {
    const tenant = await makeTenant(env.db);
    const vip = await createGroup(scopeFor(env.db, tenant), 'VIP');
    const client = await makeUser(env.db, tenant, 'client');
    const admin = await adminOf(tenant);
    const page = await admin.agent.get(`/${tenant.slug}/admin/accounts/${client.id}`);
    expect(page.text).toContain(`<option value="${vip.id}">VIP</option>`);

    await move(admin, tenant, { ids: [client.id], groupId: vip.id, returnTo: `/${tenant.slug}/admin/accounts/${client.id}` });

    const after = await admin.agent.get(`/${tenant.slug}/admin/accounts/${client.id}`);
    expect(after.text).toMatch(/data-testid="account-group">VIP</);
  });

  it('refuses a bulk move to a caretaker with 403, moving nothing', async () => {
    const tenant = await makeTenant(env.db);
    const vip = await createGroup(scopeFor(env.db, tenant), 'VIP');
    const client = await makeUser(env.db, tenant, 'client');
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const csrfToken = await csrfTokenFrom(agent, `/${tenant.slug}/staff`);
    const response = await move({ agent, csrfToken }, tenant, { ids: [client.id], groupId: vip.id });
    expect(response.status).toBe(403);
    expect(await groupOf(client.id)).not.toBe(vip.id);
  });
});
