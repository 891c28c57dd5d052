import { expect, it } from 'vitest';
import { createGroup } from '../../src/models/group.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, uniqueName, type TestTenant } from '../support/factories.js';
import { signedInAgent, type Agent } from '../support/http.js';

/** The account ids a list page shows, in order. */
function listedIds(html: string): number[] {
  return [...html.matchAll(/data-account-id="(\d+)"/g)].map((match) => Number(match[1]));
}

describeOnEachDatabase('the accounts panel list (A4)', (env) => {
  async function adminOf(tenant: TestTenant): Promise<Agent> {
    const admin = await makeUser(env.db, tenant, 'admin');
    return signedInAgent(env.app, tenant, admin.login);
  }

  const list = (agent: Agent, tenant: TestTenant, query = '') => agent.get(`/${tenant.slug}/admin/accounts${query}`).set('Accept-Language', 'en');

  it('lists the tenant’s staff and client accounts with their role, customer, group, state and last sign-in', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant, { name: 'Kowalski Sp. z o.o.' });
    const client = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Zofia', lastName: 'Kwiatkowska' });
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Piotr', lastName: 'Opiekun' });
    const stranger = await makeUser(env.db, other, 'client');
    const agent = await adminOf(tenant);

    const page = await list(agent, tenant);

    expect(page.status).toBe(200);
    const ids = listedIds(page.text);
    expect(ids).toEqual(expect.arrayContaining([client.id, caretaker.id, tenant.superadmin.id]));
    expect(ids).not.toContain(stranger.id);
    expect(ids).toHaveLength(4);
    const clientRow = page.text.split(`data-account-id="${client.id}"`)[1]!.split('</tr>')[0]!;
    expect(clientRow).toContain('Kwiatkowska Zofia');
    expect(clientRow).toContain(client.login);
    expect(clientRow).toContain('client');
    expect(clientRow).toContain('Kowalski Sp. z o.o.');
    expect(clientRow).toContain('CLIENTS');
    expect(clientRow).toContain('active');
    expect(clientRow).toContain('never');
    expect(clientRow).toContain(`name="ids" value="${client.id}"`);
    const adminRow = page.text.split(`data-account-id="${tenant.superadmin.id}"`)[1]!.split('</tr>')[0]!;
    expect(adminRow).not.toContain('name="ids"');
    expect(page.text).toContain('4 accounts found.');
  });

  it('narrows the list by account type', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const agent = await adminOf(tenant);

    const clients = listedIds((await list(agent, tenant, '?type=client')).text);
    const staff = listedIds((await list(agent, tenant, '?type=staff')).text);

    expect(clients).toEqual([client.id]);
    expect(staff).toContain(caretaker.id);
    expect(staff).toContain(tenant.superadmin.id);
    expect(staff).not.toContain(client.id);
  });

  it('narrows the list by role', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    await makeUser(env.db, tenant, 'client');
    const agent = await adminOf(tenant);

    expect(listedIds((await list(agent, tenant, '?role=caretaker')).text)).toEqual([caretaker.id]);
    expect(listedIds((await list(agent, tenant, '?role=superadmin')).text)).toEqual([tenant.superadmin.id]);
  });

  it('narrows the list by customer, and another tenant’s customer finds nothing', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant);
    const first = await makeUser(env.db, tenant, 'client', { customer });
    const second = await makeUser(env.db, tenant, 'client', { customer });
    await makeUser(env.db, tenant, 'client');
    const foreignClient = await makeUser(env.db, other, 'client');
    const agent = await adminOf(tenant);

    const page = await list(agent, tenant, `?customer=${customer.id}`);
    expect(listedIds(page.text).sort()).toEqual([first.id, second.id].sort());
    expect(page.text).toMatch(new RegExp(`<option value="${customer.id}" selected>`));

    const foreign = await list(agent, tenant, `?customer=${foreignClient.customerId}`);
    expect(foreign.status).toBe(200);
    expect(listedIds(foreign.text)).toEqual([]);
    expect(foreign.text).toContain('No account matches these filters');
  });

  it('narrows the list by group', async () => {
    const tenant = await makeTenant(env.db);
    const group = await createGroup(scopeFor(env.db, tenant), 'VIP');
    const member = await makeUser(env.db, tenant, 'client');
    await makeUser(env.db, tenant, 'client');
    await env.db('users').where({ id: member.id }).update({ group_id: group.id });
    const agent = await adminOf(tenant);

    expect(listedIds((await list(agent, tenant, `?group=${group.id}`)).text)).toEqual([member.id]);
  });

  it('narrows the list to active, locked or deactivated accounts', async () => {
    const tenant = await makeTenant(env.db);
    const locked = await makeUser(env.db, tenant, 'client');
    const deactivated = await makeUser(env.db, tenant, 'client');
    const active = await makeUser(env.db, tenant, 'client');
    await env.db('users').where({ id: locked.id }).update({ is_locked: true });
    await env.db('users').where({ id: deactivated.id }).update({ is_active: false });
    const agent = await adminOf(tenant);

    expect(listedIds((await list(agent, tenant, '?type=client&state=locked')).text)).toEqual([locked.id]);
    expect(listedIds((await list(agent, tenant, '?type=client&state=deactivated')).text)).toEqual([deactivated.id]);
    expect(listedIds((await list(agent, tenant, '?type=client&state=active')).text)).toEqual([active.id]);
  });

  it('finds accounts by a part of the login, the name or the e-mail, and treats % as a plain character', async () => {
    const tenant = await makeTenant(env.db);
    const anna = await makeUser(env.db, tenant, 'client', { firstName: 'Anna', lastName: 'Nowakowska', login: 'a.nowak' });
    const jan = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Jan', lastName: 'Kowal', login: 'jkowal' });
    await env.db('users').where({ id: jan.id }).update({ email: 'jan.special@firma.example' });
    const agent = await adminOf(tenant);

    expect(listedIds((await list(agent, tenant, '?search=NOWAK')).text)).toEqual([anna.id]);
    expect(listedIds((await list(agent, tenant, '?search=anna%20nowakowska')).text)).toEqual([anna.id]);
    expect(listedIds((await list(agent, tenant, '?search=special%40firma')).text)).toEqual([jan.id]);
    expect(listedIds((await list(agent, tenant, '?search=%25')).text)).toEqual([]);
  });

  it('sorts by the chosen column in either direction', async () => {
    const tenant = await makeTenant(env.db);
    const b = await makeUser(env.db, tenant, 'client', { login: 'bbb' });
    const a = await makeUser(env.db, tenant, 'client', { login: 'aaa' });
    const c = await makeUser(env.db, tenant, 'client', { login: 'ccc' });
    const agent = await adminOf(tenant);

    expect(listedIds((await list(agent, tenant, '?type=client&sort=login')).text)).toEqual([a.id, b.id, c.id]);
    expect(listedIds((await list(agent, tenant, '?type=client&sort=login&direction=desc')).text)).toEqual([c.id, b.id, a.id]);
  });

  it('ignores filter values it does not know instead of failing', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await adminOf(tenant);
    const page = await list(agent, tenant, '?type=robot&role=king&customer=abc&group=-1&state=x&sort=password_hash&direction=sideways&page=zz');
    expect(page.status).toBe(200);
    expect(listedIds(page.text)).toHaveLength(2);
  });

  it('pages 25 accounts at a time and keeps the filters in the pager links', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant);
    const prefix = uniqueName('page').replace('-', '');
    for (let index = 0; index < 27; index += 1) {
      await makeUser(env.db, tenant, 'client', { customer, login: `${prefix}${String(index).padStart(2, '0')}` });
    }
    const agent = await adminOf(tenant);

    const first = await list(agent, tenant, '?type=client&sort=login');
    expect(listedIds(first.text)).toHaveLength(25);
    expect(first.text).toContain('27 accounts found.');
    expect(first.text).toContain('Page 1 of 2');
    const next = /href="([^"]+)" rel="next"/.exec(first.text)![1]!.replace(/&amp;/g, '&');
    expect(next).toContain('type=client');
    expect(next).toContain('sort=login');
    expect(next).toContain('page=2');

    const second = await agent.get(next).set('Accept-Language', 'en');
    expect(listedIds(second.text)).toHaveLength(2);
    expect(second.text).toContain(`${prefix}26`);
    expect(second.text).not.toContain(`${prefix}00<`);

    const beyond = await list(agent, tenant, '?type=client&page=9');
    expect(beyond.status).toBe(200);
    expect(beyond.text).toContain('There is no such page of the list.');
    expect(beyond.text).toContain('href="/' + tenant.slug + '/admin/accounts?type=client&amp;sort=name&amp;direction=asc"');
  });

  it('shows an empty state when no account matches', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await adminOf(tenant);
    const page = await list(agent, tenant, '?search=nobody-has-this-name');
    expect(page.status).toBe(200);
    expect(page.text).toContain('class="empty-state"');
    expect(page.text).not.toContain('<table');
  });

  it('refuses the list to a caretaker', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    expect((await agent.get(`/${tenant.slug}/admin/accounts`)).status).toBe(403);
  });

  it('shows the list in Polish', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await adminOf(tenant);
    const page = await agent.get(`/${tenant.slug}/admin/accounts`).set('Accept-Language', 'pl');
    expect(page.text).toContain('Konta pracowników i klientów');
    expect(page.text).toContain('Typ konta');
  });
});
