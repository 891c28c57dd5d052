import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createGroup } from '../../src/models/group.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, postForm } from '../support/http.js';
import { categoryId, makeTicket } from '../support/tickets.js';

/** The start page's sections in the order they are drawn. */
const sectionsOf = (html: string) => [...html.matchAll(/data-testid="section-([\w-]+)"/g)].map((match) => match[1]);

describeOnEachDatabase('the client’s start page made of portlets, set per group (P1, P2)', (env) => {
  async function company() {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.' });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const clientsGroup = await env.db('groups').where({ tenant_id: tenant.id, is_default: true }).first();
    return { tenant, customer, client, admin, clientsGroupId: Number(clientsGroup.id) };
  }

  const groupPage = (tenant: TestTenant, groupId: number) => `/${tenant.slug}/admin/groups/${groupId}/portlets`;

  it('shows every portlet of the registry to a group that has none of its own: balance, dues, latest tickets and the two forms themselves', async () => {
    const { tenant, client } = await company();
    const page = await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal`);
    expect(page.status).toBe(200);
    expect(sectionsOf(page.text)).toEqual(['waiting-tickets', 'balance', 'dues', 'open-tickets', 'add-ticket', 'add-document', 'announcements', 'care', 'company', 'change-requests', 'provider']);
    expect(page.text).toContain(`action="/${tenant.slug}/portal/tickets" enctype="multipart/form-data"`);
    expect(page.text).toContain(`action="/${tenant.slug}/portal/documents" enctype="multipart/form-data"`);
    // Two forms on one page: no id twice.
    const ids = [...page.text.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]);
    expect(ids.length).toBe(new Set(ids).size);
  });

  it('lets an admin choose a group’s portlets, their order and rows; members see exactly that on their next page', async () => {
    const { tenant, customer, client, admin, clientsGroupId } = await company();
    for (const title of ['Pierwsze', 'Drugie', 'Trzecie']) await makeTicket(env.db, tenant, client, { title, customer });
    const form = await admin.get(groupPage(tenant, clientsGroupId));
    expect(form.status).toBe(200);
    expect(form.text).toContain('Bez własnego zestawu: grupa widzi wszystkie portlety (Saldo, Należności, Ostatnie zgłoszenia, Nowe zgłoszenie, Nowy dokument, Komunikaty).');
    const saved = await postForm(admin, groupPage(tenant, clientsGroupId), groupPage(tenant, clientsGroupId), { mode: 'own', shown_latestTickets: 'on', position_latestTickets: '1', limit_latestTickets: '2', shown_balance: 'on', position_balance: '2', position_dues: '3', limit_dues: '4' });
    expect(saved.status).toBe(303);
    const page = await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal`);
    expect(sectionsOf(page.text)).toEqual(['waiting-tickets', 'open-tickets', 'balance', 'care', 'company', 'change-requests', 'provider']);
    expect([...page.text.matchAll(/Pierwsze|Drugie|Trzecie/g)]).toHaveLength(2);
    const stored = await env.db('settings').where({ tenant_id: tenant.id, level: 'group', target_id: clientsGroupId, name: 'portal.portlets' }).first();
    expect(JSON.parse(stored.value)).toEqual([{ id: 'latestTickets', settings: { limit: 2 } }, { id: 'balance', settings: {} }]);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'settings.changed', subject_type: 'group', subject_id: clientsGroupId })).toHaveLength(1);
    // The client's account page says what is in force for them and where it comes from (D5).
    const account = await admin.get(`/${tenant.slug}/admin/accounts/${client.id}`);
    const line = (name: string) => new RegExp(`data-testid="account-setting-${name.replace('.', '\\.')}">([^<]*)<span class="setting-source">\\(([^)]*)\\)`).exec(account.text)?.slice(1, 3).map((part) => part.trim());
    expect(line('portal.portlets')).toEqual(['Ostatnie zgłoszenia, Saldo', 'ustawienie grupy CLIENTS']);
    expect(line('tickets.approval')).toEqual(['bez akceptacji', 'wartość domyślna']);
    expect(line('notifications.tickets')?.[1]).toBe('wartość domyślna');
    // The form shows the saved set, in its order.
    const again = await admin.get(groupPage(tenant, clientsGroupId));
    expect([...again.text.matchAll(/data-portlet="(\w+)"/g)].map((match) => match[1]).slice(0, 2)).toEqual(['latestTickets', 'balance']);
    expect(again.text).toMatch(/id="mode-own" name="mode" value="own" checked/);
    // Back to inheriting: every portlet again.
    expect((await postForm(admin, groupPage(tenant, clientsGroupId), groupPage(tenant, clientsGroupId), { mode: 'inherit' })).status).toBe(303);
    const inherited = await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal`);
    expect(sectionsOf(inherited.text).slice(0, 6)).toEqual(['waiting-tickets', 'balance', 'dues', 'open-tickets', 'add-ticket', 'add-document']);
  });

  it('changes what a client sees at once when they are moved to another group', async () => {
    const { tenant, client, admin } = await company();
    const group = await createGroup(scopeFor(env.db, tenant), 'Tylko saldo');
    expect((await postForm(admin, groupPage(tenant, group.id), groupPage(tenant, group.id), { mode: 'own', shown_balance: 'on', position_balance: '1' })).status).toBe(303);
    const agent = await signedInAgent(env.app, tenant, client.login);
    expect(sectionsOf((await agent.get(`/${tenant.slug}/portal`)).text)).toContain('add-ticket');
    await env.db('users').where({ tenant_id: tenant.id, id: client.id }).update({ group_id: group.id });
    expect(sectionsOf((await agent.get(`/${tenant.slug}/portal`)).text)).toEqual(['waiting-tickets', 'balance', 'care', 'company', 'change-requests', 'provider']);
  });

  it('refuses places and row limits out of range with the form as sent (422), saving nothing', async () => {
    const { tenant, admin, clientsGroupId } = await company();
    const path = groupPage(tenant, clientsGroupId);
    const refused = await postForm(admin, path, path, { mode: 'own', shown_dues: 'on', position_dues: '1', limit_dues: '-3', shown_balance: 'on', position_balance: '1', shown_latestTickets: 'on', position_latestTickets: '11', limit_latestTickets: '5' });
    expect(refused.status).toBe(422);
    expect(fieldErrorOf(refused.text, 'limit_dues')).toBe('Wpisz liczbę wierszy od 1 do 20.');
    expect(fieldErrorOf(refused.text, 'position_dues')).toBe('Dwa portlety mają to samo miejsce: nadaj im różne liczby.');
    expect(fieldErrorOf(refused.text, 'position_latestTickets')).toBe('Wpisz liczbę od 1 do 10.');
    expect(refused.text).toContain('name="limit_dues" type="number" min="1" max="20" inputmode="numeric" value="-3"');
    expect(await env.db('settings').where({ tenant_id: tenant.id, name: 'portal.portlets' })).toHaveLength(0);
    const tooMany = await postForm(admin, path, path, { mode: 'own', shown_dues: 'on', position_dues: '1', limit_dues: '21' });
    expect(tooMany.status).toBe(422);
    expect((await postForm(admin, path, path, { mode: 'sideways' })).status).toBe(422);
  });

  it('lets an admin set the portal’s default set, which a group without its own follows and names on its page (D5)', async () => {
    const { tenant, client, admin, clientsGroupId } = await company();
    const defaults = `/${tenant.slug}/admin/portlets`;
    const page = await admin.get(defaults);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Domyślna strona startowa klientów');
    expect((await postForm(admin, defaults, defaults, { mode: 'own', shown_latestTickets: 'on', position_latestTickets: '1', limit_latestTickets: '3' })).status).toBe(303);
    expect(await env.db('settings').where({ tenant_id: tenant.id, level: 'tenant', target_id: 0, name: 'portal.portlets' }).first('value')).toEqual({ value: '[{"id":"latestTickets","settings":{"limit":3}}]' });
    expect(sectionsOf((await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal`)).text)).toEqual(['waiting-tickets', 'open-tickets', 'care', 'company', 'change-requests', 'provider']);
    expect((await admin.get(groupPage(tenant, clientsGroupId))).text).toContain('Bez własnego zestawu: grupa widzi domyślny zestaw portalu (Ostatnie zgłoszenia).');
    const refused = await postForm(admin, defaults, defaults, { mode: 'own', shown_dues: 'on', position_dues: '1', limit_dues: '0' });
    expect(refused.status).toBe(422);
    expect((await postForm(admin, defaults, defaults, { mode: 'inherit' })).status).toBe(303);
    expect(await env.db('settings').where({ tenant_id: tenant.id, level: 'tenant', name: 'portal.portlets' })).toHaveLength(0);
  });

  it('is the admins’ page only: a caretaker gets 403 and an admin of another tenant 404, nothing saved', async () => {
    const { tenant, clientsGroupId } = await company();
    const caretaker = await signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'caretaker')).login);
    expect((await caretaker.get(groupPage(tenant, clientsGroupId))).status).toBe(403);
    const other = await makeTenant(env.db);
    const outsider = await signedInAgent(env.app, other, other.superadmin.login);
    const token = await csrfTokenFrom(outsider, `/${other.slug}/admin/groups`);
    const refused = await outsider.post(groupPage(other, clientsGroupId)).type('form').send({ _csrf: token, mode: 'own', shown_balance: 'on', position_balance: '1' });
    expect(refused.status).toBe(404);
    expect(await env.db('settings').where({ name: 'portal.portlets', target_id: clientsGroupId })).toHaveLength(0);
  });

  it('files a ticket and a document from the start page’s forms', async () => {
    const { tenant, customer, client } = await company();
    const agent = await signedInAgent(env.app, tenant, client.login);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/portal`);
    const page = await agent.get(`/${tenant.slug}/portal`);
    const submissionKey = /data-testid="add-ticket-form">[\s\S]*?name="submissionKey" value="([^"]+)"/.exec(page.text)![1]!;
    const filed = await agent.post(`/${tenant.slug}/portal/tickets`).field('_csrf', token).field('submissionKey', submissionKey).field('categoryId', String(await categoryId(env.db, tenant))).field('title', 'Z pulpitu').field('description', 'Zgłoszone ze strony startowej.');
    expect(filed.status).toBe(303);
    expect(await env.db('tickets').where({ tenant_id: tenant.id, customer_id: customer.id, title: 'Z pulpitu' })).toHaveLength(1);
    const added = await agent.post(`/${tenant.slug}/portal/documents`).field('_csrf', token).field('submissionKey', randomUUID()).field('title', 'Umowa z pulpitu').attach('files', Buffer.from('%PDF-1.4\n%%EOF\n'), 'umowa.pdf');
    expect(added.status).toBe(303);
    expect(await env.db('documents').where({ tenant_id: tenant.id, customer_id: customer.id, title: 'Umowa z pulpitu' })).toHaveLength(1);
  });
});
