import { expect, it } from 'vitest';
import { ValidationError } from '../../src/lib/errors.js';
import { createGroup, deleteGroup, findDefaultGroup, moveAccountsToGroup } from '../../src/models/group.js';
import { settingsInForce } from '../../src/models/settings.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, type Agent } from '../support/http.js';

type Signed = { agent: Agent; csrfToken: string };

describeOnEachDatabase('client groups (A5) and their portal-access layer (D5)', (env) => {
  async function adminOf(tenant: TestTenant): Promise<Signed> {
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(env.app, tenant, admin.login);
    return { agent, csrfToken: await csrfTokenFrom(agent, `/${tenant.slug}/admin/groups`) };
  }

  const post = (actor: Signed, path: string, fields: Record<string, string> = {}) =>
    actor.agent.post(path).set('Accept-Language', 'en').type('form').send({ _csrf: actor.csrfToken, ...fields });
  const groupsOf = (tenant: TestTenant) => env.db('groups').where({ tenant_id: tenant.id }).orderBy('id');
  const clientsGroupOf = async (tenant: TestTenant) => (await findDefaultGroup(scopeFor(env.db, tenant)))!;

  it('lists the tenant’s groups with their member counts, CLIENTS first', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const vip = await createGroup(scopeFor(env.db, tenant), 'Alpha VIP');
    await createGroup(scopeFor(env.db, other), 'Foreign group');
    const members = [await makeUser(env.db, tenant, 'client'), await makeUser(env.db, tenant, 'client')];
    await makeUser(env.db, tenant, 'client');
    await env.db('users').whereIn('id', members.map((member) => member.id)).update({ group_id: vip.id });
    const admin = await adminOf(tenant);

    const page = await admin.agent.get(`/${tenant.slug}/admin/groups`).set('Accept-Language', 'en');

    expect(page.status).toBe(200);
    expect(page.text.indexOf('CLIENTS')).toBeLessThan(page.text.indexOf('Alpha VIP'));
    expect(page.text).not.toContain('Foreign group');
    const vipRow = page.text.split(`data-group-id="${vip.id}"`)[1]!.split('</tr>')[0]!;
    expect(vipRow).toContain('2 accounts');
    const clientsRow = page.text.split(`data-group-id="${(await clientsGroupOf(tenant)).id}"`)[1]!.split('</tr>')[0]!;
    expect(clientsRow).toContain('1 account');
  });

  it('puts every new client account in CLIENTS', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    expect(client.groupId).toBe((await clientsGroupOf(tenant)).id);
  });

  it('creates a group and records it', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await adminOf(tenant);
    const response = await post(admin, `/${tenant.slug}/admin/groups`, { name: '  Wspólnoty  ' });
    expect(response.status).toBe(303);
    const created = (await groupsOf(tenant)).find((group) => group.name === 'Wspólnoty');
    expect(created).toBeDefined();
    expect(Boolean(created.is_default)).toBe(false);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'group.created', subject_id: created.id })).toHaveLength(1);
  });

  it('refuses a name the tenant already has, whatever its case, with 422; another tenant may have it', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    await createGroup(scopeFor(env.db, tenant), 'Łódź Serwis');
    const admin = await adminOf(tenant);

    for (const name of ['łódź serwis', 'ŁÓDŹ SERWIS', 'clients']) {
      const response = await post(admin, `/${tenant.slug}/admin/groups`, { name });
      expect(response.status, name).toBe(422);
      expect(fieldErrorOf(response.text, 'name')).toContain('A group of this name already exists');
      expect(response.text).toContain(`value="${name}"`);
    }
    expect(await groupsOf(tenant)).toHaveLength(2);
    await createGroup(scopeFor(env.db, other), 'Łódź Serwis');
    expect((await groupsOf(other)).map((group) => group.name)).toContain('Łódź Serwis');
  });

  it('refuses an empty or an over-long name with 422', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await adminOf(tenant);
    const empty = await post(admin, `/${tenant.slug}/admin/groups`, { name: '   ' });
    expect(empty.status).toBe(422);
    expect(fieldErrorOf(empty.text, 'name')).toBe('This field is required.');
    const long = await post(admin, `/${tenant.slug}/admin/groups`, { name: 'x'.repeat(101) });
    expect(long.status).toBe(422);
    expect(fieldErrorOf(long.text, 'name')).toBe('This field can be at most 100 characters long.');
    expect(await groupsOf(tenant)).toHaveLength(1);
  });

  it('renames a group, recording both names', async () => {
    const tenant = await makeTenant(env.db);
    const group = await createGroup(scopeFor(env.db, tenant), 'Old name');
    const admin = await adminOf(tenant);
    const edit = await admin.agent.get(`/${tenant.slug}/admin/groups/${group.id}/edit`);
    expect(edit.status).toBe(200);
    expect(edit.text).toContain('value="Old name"');

    const response = await post(admin, `/${tenant.slug}/admin/groups/${group.id}`, { name: 'New name', portalAccess: 'inherit' });

    expect(response.status).toBe(303);
    expect((await env.db('groups').where({ id: group.id }).first()).name).toBe('New name');
    const [entry] = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'group.renamed', subject_id: group.id });
    expect(JSON.parse(entry.details)).toEqual({ from: 'Old name', to: 'New name' });
  });

  it('refuses renaming to a name another group has with 422, but allows a change of case of its own', async () => {
    const tenant = await makeTenant(env.db);
    await createGroup(scopeFor(env.db, tenant), 'Taken');
    const group = await createGroup(scopeFor(env.db, tenant), 'Mine');
    const admin = await adminOf(tenant);
    const taken = await post(admin, `/${tenant.slug}/admin/groups/${group.id}`, { name: 'TAKEN' });
    expect(taken.status).toBe(422);
    expect(fieldErrorOf(taken.text, 'name')).toContain('A group of this name already exists');
    expect((await post(admin, `/${tenant.slug}/admin/groups/${group.id}`, { name: 'MINE' })).status).toBe(303);
    expect((await env.db('groups').where({ id: group.id }).first()).name).toBe('MINE');
  });

  it('never renames CLIENTS (403 with the reason) and shows no rename or delete form for it', async () => {
    const tenant = await makeTenant(env.db);
    const clients = await clientsGroupOf(tenant);
    const admin = await adminOf(tenant);
    const edit = await admin.agent.get(`/${tenant.slug}/admin/groups/${clients.id}/edit`).set('Accept-Language', 'en');
    expect(edit.status).toBe(200);
    expect(edit.text).not.toContain('name="name"');
    expect(edit.text).not.toContain('/deletion');

    const response = await post(admin, `/${tenant.slug}/admin/groups/${clients.id}`, { name: 'Customers' });

    expect(response.status).toBe(403);
    expect(response.text).toContain('The CLIENTS group cannot be renamed');
    expect((await env.db('groups').where({ id: clients.id }).first()).name).toBe('CLIENTS');
  });

  it('never deletes CLIENTS (403 with the reason)', async () => {
    const tenant = await makeTenant(env.db);
    const clients = await clientsGroupOf(tenant);
    const admin = await adminOf(tenant);
    const response = await post(admin, `/${tenant.slug}/admin/groups/${clients.id}/deletion`, { confirmation: 'yes' });
    expect(response.status).toBe(403);
    expect(response.text).toContain('The CLIENTS group cannot be deleted');
    expect(await env.db('groups').where({ id: clients.id })).toHaveLength(1);
  });

  it('deletes a group only with the box ticked, moving its members back to CLIENTS in the same step', async () => {
    const tenant = await makeTenant(env.db);
    const scope = scopeFor(env.db, tenant);
    const group = await createGroup(scope, 'Short-lived');
    const member = await makeUser(env.db, tenant, 'client');
    await env.db('users').where({ id: member.id }).update({ group_id: group.id });
    const admin = await adminOf(tenant);
    await post(admin, `/${tenant.slug}/admin/groups/${group.id}`, { name: 'Short-lived', portalAccess: 'off' });

    const unconfirmed = await post(admin, `/${tenant.slug}/admin/groups/${group.id}/deletion`);
    expect(unconfirmed.status).toBe(422);
    expect(fieldErrorOf(unconfirmed.text, 'confirmation')).toBe('Tick the box to confirm the deletion.');
    expect(await env.db('groups').where({ id: group.id })).toHaveLength(1);

    const response = await post(admin, `/${tenant.slug}/admin/groups/${group.id}/deletion`, { confirmation: 'yes' });

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/admin/groups`);
    expect(await env.db('groups').where({ id: group.id })).toHaveLength(0);
    expect(Number((await env.db('users').where({ id: member.id }).first()).group_id)).toBe((await clientsGroupOf(tenant)).id);
    expect(await env.db('settings').where({ tenant_id: tenant.id, level: 'group', target_id: group.id })).toHaveLength(0);
    const [entry] = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'group.deleted', subject_id: group.id });
    expect(JSON.parse(entry.details)).toEqual({ name: 'Short-lived', membersMoved: 1 });
    expect((await post(admin, `/${tenant.slug}/admin/groups/${group.id}/deletion`, { confirmation: 'yes' })).status).toBe(404);
  });

  it('sets, shows and clears the group’s portal-access override, CLIENTS included', async () => {
    const tenant = await makeTenant(env.db);
    const scope = scopeFor(env.db, tenant);
    const clients = await clientsGroupOf(tenant);
    const admin = await adminOf(tenant);

    const off = await post(admin, `/${tenant.slug}/admin/groups/${clients.id}`, { portalAccess: 'off' });
    expect(off.status).toBe(303);
    expect((await settingsInForce(scope, { groupId: clients.id }))['portal.access']).toEqual({ value: 'off', source: { level: 'group', targetId: clients.id } });
    const page = await admin.agent.get(`/${tenant.slug}/admin/groups/${clients.id}/edit`).set('Accept-Language', 'en');
    expect(page.text).toMatch(/id="portal-access-off" name="portalAccess" value="off" checked/);
    expect(page.text).toContain('Inherited: on (default value)');

    expect((await post(admin, `/${tenant.slug}/admin/groups/${clients.id}`, { portalAccess: 'inherit' })).status).toBe(303);
    expect((await settingsInForce(scope, { groupId: clients.id }))['portal.access']).toEqual({ value: 'on', source: { level: 'default', targetId: null } });
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'settings.changed', subject_type: 'group' })).toHaveLength(2);
  });

  it('refuses a portal-access value it does not know with 422', async () => {
    const tenant = await makeTenant(env.db);
    const group = await createGroup(scopeFor(env.db, tenant), 'G');
    const admin = await adminOf(tenant);
    const response = await post(admin, `/${tenant.slug}/admin/groups/${group.id}`, { name: 'G', portalAccess: 'maybe' });
    expect(response.status).toBe(422);
    expect(await env.db('settings').where({ tenant_id: tenant.id, level: 'group' })).toHaveLength(0);
  });

  it('answers another tenant’s group with 404 on every group page and form', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const foreign = await createGroup(scopeFor(env.db, other), 'Theirs');
    const admin = await adminOf(tenant);
    expect((await admin.agent.get(`/${tenant.slug}/admin/groups/${foreign.id}/edit`)).status).toBe(404);
    expect((await post(admin, `/${tenant.slug}/admin/groups/${foreign.id}`, { name: 'Mine now', portalAccess: 'off' })).status).toBe(404);
    expect((await post(admin, `/${tenant.slug}/admin/groups/${foreign.id}/deletion`, { confirmation: 'yes' })).status).toBe(404);
    expect((await post(admin, `/${tenant.slug}/admin/groups/${foreign.id}/deletion`)).status).toBe(404);
    expect((await env.db('groups').where({ id: foreign.id }).first()).name).toBe('Theirs');
    expect(await env.db('settings').where({ level: 'group', target_id: foreign.id })).toHaveLength(0);
    expect((await admin.agent.get(`/${tenant.slug}/admin/groups/x/edit`)).status).toBe(404);
  });

  it('refuses the group pages to a caretaker with 403', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const csrfToken = await csrfTokenFrom(agent, `/${tenant.slug}/staff`);
    expect((await agent.get(`/${tenant.slug}/admin/groups`)).status).toBe(403);
    expect((await post({ agent, csrfToken }, `/${tenant.slug}/admin/groups`, { name: 'Sneaky' })).status).toBe(403);
    expect(await groupsOf(tenant)).toHaveLength(1);
  });

  it('shows the groups in Polish', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await adminOf(tenant);
    const page = await admin.agent.get(`/${tenant.slug}/admin/groups`).set('Accept-Language', 'pl');
    expect(page.text).toContain('Grupy klientów');
    expect(page.text).toContain('0 kont<');
  });

  it('lets a deletion and a move into the same group meet without an error: every member ends in CLIENTS', async () => {
    const tenant = await makeTenant(env.db);
    const scope = scopeFor(env.db, tenant);
    const group = await createGroup(scope, 'Znikająca');
    const clients = await Promise.all([makeUser(env.db, tenant, 'client'), makeUser(env.db, tenant, 'client')]);
    await moveAccountsToGroup(scope, [clients[0]!.id], group.id);
    const outcomes = await Promise.allSettled([deleteGroup(scope, group.id), moveAccountsToGroup(scope, [clients[1]!.id], group.id)]);
    expect(outcomes[0].status).toBe('fulfilled');
    if (outcomes[1].status === 'rejected') expect(outcomes[1].reason).toBeInstanceOf(ValidationError);
    const fallback = await findDefaultGroup(scope);
    const groups = (await env.db('users').whereIn('id', clients.map((client) => client.id))).map((row) => Number(row.group_id));
    expect(groups).toEqual([fallback!.id, fallback!.id]);
  });
});
