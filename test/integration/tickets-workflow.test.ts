import { expect, it } from 'vitest';
import type { TestEnvironment } from '../support/environment.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, type TestTenant } from '../support/factories.js';
import { saveSettings } from '../../src/models/settings.js';
import { csrfTokenFrom, signedInAgent, postForm } from '../support/http.js';
import { makeTicket } from '../support/tickets.js';

/** A customer with a caretaker and a client, a ticket of the client's, and both signed in. */
async function ticketSetting(env: TestEnvironment) {
  const tenant = await makeTenant(env.db);
  const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Karolina', lastName: 'Zielińska' });
  const customer = await makeCustomer(env.db, tenant, { caretaker });
  const client = await makeUser(env.db, tenant, 'client', { customer });
  const ticket = await makeTicket(env.db, tenant, client);
  const staff = await signedInAgent(env.app, tenant, caretaker.login);
  const portal = await signedInAgent(env.app, tenant, client.login);
  return { tenant, caretaker, customer, client, ticket, staff, portal };
}

const staffPage = (tenant: TestTenant, id: number) => `/${tenant.slug}/staff/tickets/${id}`;
const portalPage = (tenant: TestTenant, id: number) => `/${tenant.slug}/portal/tickets/${id}`;

const post = postForm;

const ticketRow = (env: TestEnvironment, tenant: TestTenant, id: number) => env.db('tickets').where({ tenant_id: tenant.id, id }).first();
const versionOf = async (env: TestEnvironment, tenant: TestTenant, id: number) => String((await ticketRow(env, tenant, id)).version);

describeOnEachDatabase('working a ticket', (env) => {
  it('moves a task by the status table and keeps each move in the history', async () => {
    const { tenant, ticket, staff } = await ticketSetting(env);
    const page = staffPage(tenant, ticket.id);
    const moved = await post(staff, page, `${page}/status`, { status: 'in_progress', version: '1' });
    expect(moved.status).toBe(303);
    expect(await ticketRow(env, tenant, ticket.id)).toMatchObject({ status: 'in_progress', version: 2 });
    const events = await env.db('ticket_events').where({ tenant_id: tenant.id, ticket_id: ticket.id, kind: 'status' });
    expect(events.map((event) => [event.from_value, event.to_value])).toEqual([['new', 'in_progress']]);
    expect((await staff.get(page)).text).toContain('Status: Nowe → W realizacji');
  });

  it('refuses a move the table forbids with 409 and a message, and writes nothing', async () => {
    const { tenant, ticket, staff } = await ticketSetting(env);
    const page = staffPage(tenant, ticket.id);
    const refused = await post(staff, page, `${page}/status`, { status: 'awaiting_approval', version: '1' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Nie można zmienić statusu w ten sposób.');
    expect(await ticketRow(env, tenant, ticket.id)).toMatchObject({ status: 'new', version: 1 });
  });

  it('answers the second of two staff moving the same ticket with 409, naming the status it has now and keeping their choice in the form', async () => {
    const { tenant, ticket, staff } = await ticketSetting(env);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = staffPage(tenant, ticket.id);
    expect((await post(admin, page, `${page}/status`, { status: 'in_progress', version: '1', baseStatus: 'new' })).status).toBe(303);
    const stale = await post(staff, page, `${page}/status`, { status: 'resolved', version: '1', baseStatus: 'new' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('W międzyczasie ktoś inny zmienił status zgłoszenia na „W realizacji”. Nic nie zostało zapisane. Twój wybór, „Rozwiązane”, jest nadal zaznaczony poniżej');
    const statusForm = stale.text.split('data-testid="status-form"')[1]!.split('</form>')[0]!;
    expect(statusForm).toContain('<option value="resolved" selected>');
    expect(statusForm).toContain('name="version" value="2"');
    expect(statusForm).toContain('name="baseStatus" value="in_progress"');
    expect(await ticketRow(env, tenant, ticket.id)).toMatchObject({ status: 'in_progress', version: 2 });
    // Sent again from that page, the choice goes through.
    expect((await post(staff, page, `${page}/status`, { status: 'resolved', version: '2', baseStatus: 'in_progress' })).status).toBe(303);
    expect((await ticketRow(env, tenant, ticket.id)).status).toBe('resolved');
  });

  it('says so when the other person’s move leaves the choice impossible, and selects nothing', async () => {
    const { tenant, ticket, staff } = await ticketSetting(env);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = staffPage(tenant, ticket.id);
    expect((await post(admin, page, `${page}/status`, { status: 'closed', version: '1', baseStatus: 'new' })).status).toBe(303);
    const stale = await post(staff, page, `${page}/status`, { status: 'in_progress', version: '1', baseStatus: 'new' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Twojego wyboru, „W realizacji”, nie można już zastosować po tym statusie');
    expect(stale.text.split('data-testid="status-form"')[1]!.split('</form>')[0]).toContain('<option value="" selected>');
    expect((await ticketRow(env, tenant, ticket.id)).status).toBe('closed');
  });

  it('moves the status on a ticket whose due date someone set meanwhile, keeping both changes', async () => {
    const { tenant, ticket, staff } = await ticketSetting(env);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = staffPage(tenant, ticket.id);
    expect((await post(admin, page, `${page}/plan`, { dueDate: '2031-03-01', priority: 'high', version: '1', baseDueDate: '', basePriority: 'normal' })).status).toBe(303);
    const moved = await post(staff, page, `${page}/status`, { status: 'in_progress', version: '1', baseStatus: 'new' });
    expect(moved.status).toBe(303);
    expect(await ticketRow(env, tenant, ticket.id)).toMatchObject({ status: 'in_progress', priority: 'high', version: 3 });
    expect(String((await ticketRow(env, tenant, ticket.id)).due_date)).toContain('2031-03-01');
  });

  it('counts a move someone else made meanwhile as done when it is the same one, and records it once', async () => {
    const { tenant, ticket, staff } = await ticketSetting(env);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = staffPage(tenant, ticket.id);
    expect((await post(admin, page, `${page}/status`, { status: 'in_progress', version: '1', baseStatus: 'new' })).status).toBe(303);
    expect((await post(staff, page, `${page}/status`, { status: 'in_progress', version: '1', baseStatus: 'new' })).status).toBe(303);
    expect(await env.db('ticket_events').where({ tenant_id: tenant.id, ticket_id: ticket.id, kind: 'status' })).toHaveLength(1);
    expect((await ticketRow(env, tenant, ticket.id)).version).toBe(2);
  });

  it('treats a status form without the status it was opened with as a clash when the ticket changed', async () => {
    const { tenant, ticket, staff } = await ticketSetting(env);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = staffPage(tenant, ticket.id);
    expect((await post(admin, page, `${page}/plan`, { dueDate: '', priority: 'urgent', version: '1', baseDueDate: '', basePriority: 'normal' })).status).toBe(303);
    expect((await post(staff, page, `${page}/status`, { status: 'in_progress', version: '1' })).status).toBe(409);
    expect((await ticketRow(env, tenant, ticket.id)).status).toBe('new');
  });

  it('sets the due date and priority, merging a change someone made meanwhile to the other field', async () => {
    const { tenant, ticket, staff } = await ticketSetting(env);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = staffPage(tenant, ticket.id);
    const base = { version: '1', baseDueDate: '', basePriority: 'normal' };
    expect((await post(admin, page, `${page}/plan`, { ...base, dueDate: '', priority: 'urgent' })).status).toBe(303);
    const mine = await post(staff, page, `${page}/plan`, { ...base, dueDate: '2031-03-15', priority: 'normal' });
    expect(mine.status).toBe(303);
    expect(await ticketRow(env, tenant, ticket.id)).toMatchObject({ priority: 'urgent' });
    expect(String((await ticketRow(env, tenant, ticket.id)).due_date).slice(0, 10)).toBe('2031-03-15');
    const history = (await staff.get(page)).text;
    expect(history).toContain('Ustalono termin: 15.03.2031');
    expect(history).toContain('Priorytet: Normalny → Pilny');
  });

  it('answers a clash on the same field with 409, keeps the stored value and shows the user’s own', async () => {
    const { tenant, ticket, staff } = await ticketSetting(env);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = staffPage(tenant, ticket.id);
    const base = { version: '1', baseDueDate: '', basePriority: 'normal' };
    await post(admin, page, `${page}/plan`, { ...base, dueDate: '2031-01-10', priority: 'normal' });
    const clash = await post(staff, page, `${page}/plan`, { ...base, dueDate: '2031-02-20', priority: 'normal' });
    expect(clash.status).toBe(409);
    expect(clash.text).toContain('value="2031-02-20"');
    expect(clash.text).toContain('data-testid="plan-clash"');
    expect(String((await ticketRow(env, tenant, ticket.id)).due_date).slice(0, 10)).toBe('2031-01-10');
  });

  it('never shows an internal note to the client, neither on the page nor in its source', async () => {
    const { tenant, ticket, staff, portal } = await ticketSetting(env);
    const page = staffPage(tenant, ticket.id);
    await post(staff, page, `${page}/messages`, { body: 'Sekretna notatka: klient zalega z płatnością', isInternal: 'on' });
    await post(staff, page, `${page}/messages`, { body: 'Technik przyjedzie jutro.' });
    expect((await staff.get(page)).text).toContain('Sekretna notatka');
    const seen = await portal.get(portalPage(tenant, ticket.id));
    expect(seen.status).toBe(200);
    expect(seen.text).toContain('Technik przyjedzie jutro.');
    expect(seen.text).not.toContain('Sekretna notatka');
    expect(seen.text).not.toContain('internal-note');
    expect((await portal.get(`/${tenant.slug}/portal/tickets`)).text).not.toContain('Sekretna notatka');
  });

  it('leaves the ticket’s last change as it was on an internal note, so a client cannot tell one was written', async () => {
    const { tenant, ticket, staff } = await ticketSetting(env);
    const page = staffPage(tenant, ticket.id);
    const before = (await env.db('tickets').where('id', ticket.id).first('updated_at')).updated_at;
    env.clock.advance(60_000);
    await post(staff, page, `${page}/messages`, { body: 'Notatka dla zespołu', isInternal: 'on' });
    expect((await env.db('tickets').where('id', ticket.id).first('updated_at')).updated_at).toEqual(before);
    env.clock.advance(60_000);
    await post(staff, page, `${page}/messages`, { body: 'Odpowiedź dla klienta' });
    expect((await env.db('tickets').where('id', ticket.id).first('updated_at')).updated_at).not.toEqual(before);
  });

  it('moves a ticket waiting for the customer back to open when the client replies', async () => {
    const { tenant, ticket, staff, portal } = await ticketSetting(env);
    const page = staffPage(tenant, ticket.id);
    await post(staff, page, `${page}/status`, { status: 'waiting_for_customer', version: '1' });
    const reply = await post(portal, portalPage(tenant, ticket.id), `${portalPage(tenant, ticket.id)}/replies`, { body: 'Numer seryjny: 12345' });
    expect(reply.status).toBe(303);
    expect((await ticketRow(env, tenant, ticket.id)).status).toBe('open');
    expect((await staff.get(page)).text).toContain('Numer seryjny: 12345');
  });

  it('refuses an empty reply with 422 and writes nothing', async () => {
    const { tenant, ticket, portal } = await ticketSetting(env);
    const reply = await post(portal, portalPage(tenant, ticket.id), `${portalPage(tenant, ticket.id)}/replies`, { body: '   ' });
    expect(reply.status).toBe(422);
    expect(await env.db('ticket_messages').where('tenant_id', tenant.id)).toHaveLength(0);
  });

  it('lets the client reopen a resolved ticket within 14 days; after them a reply files a new linked ticket', async () => {
    const { tenant, ticket, staff, portal: firstVisit, client } = await ticketSetting(env);
    let portal = firstVisit;
    const page = staffPage(tenant, ticket.id);
    await post(staff, page, `${page}/status`, { status: 'resolved', version: '1' });
    const reopened = await post(portal, portalPage(tenant, ticket.id), `${portalPage(tenant, ticket.id)}/reopening`, {});
    expect(reopened.status).toBe(303);
    expect((await ticketRow(env, tenant, ticket.id)).status).toBe('open');
    await post(staff, page, `${page}/status`, { status: 'resolved', version: await versionOf(env, tenant, ticket.id) });
    env.clock.advance(15 * 86_400_000);
    try {
      // Two weeks on, the client signs in again.
      portal = await signedInAgent(env.app, tenant, client.login);
      const late = await post(portal, portalPage(tenant, ticket.id), `${portalPage(tenant, ticket.id)}/reopening`, {});
      expect(late.status).toBe(409);
      expect(late.text).toContain('Tego zgłoszenia nie można już wznowić.');
      const reply = await post(portal, portalPage(tenant, ticket.id), `${portalPage(tenant, ticket.id)}/replies`, { body: 'Znowu nie działa' });
      expect(reply.status).toBe(303);
      const newId = Number(/\/tickets\/(\d+)$/.exec(reply.headers.location ?? '')![1]);
      expect(newId).not.toBe(ticket.id);
      expect(await ticketRow(env, tenant, newId)).toMatchObject({ related_ticket_id: ticket.id, description: 'Znowu nie działa', status: 'new' });
      expect((await ticketRow(env, tenant, ticket.id)).status).toBe('resolved');
    } finally {
      env.clock.reset();
    }
  });
});

describeOnEachDatabase('taking and assigning tasks', (env) => {
  it('lets a caretaker take a queued ticket; a second caretaker then finds it out of the queue and changes nothing', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const ticket = await makeTicket(env.db, tenant, client);
    const first = await makeUser(env.db, tenant, 'caretaker');
    const second = await makeUser(env.db, tenant, 'caretaker');
    const [firstAgent, secondAgent] = [await signedInAgent(env.app, tenant, first.login), await signedInAgent(env.app, tenant, second.login)];
    const page = staffPage(tenant, ticket.id);
    const secondToken = await csrfTokenFrom(secondAgent, page);
    expect((await post(firstAgent, page, `${page}/takeover`, {})).status).toBe(303);
    expect((await ticketRow(env, tenant, ticket.id)).assignee_id).toBe(first.id);
    const late = await secondAgent.post(`${page}/takeover`).type('form').send({ _csrf: secondToken });
    expect([403, 404]).toContain(late.status);
    expect((await ticketRow(env, tenant, ticket.id)).assignee_id).toBe(first.id);
    expect((await firstAgent.get(`/${tenant.slug}/staff/tasks`)).text).toContain(ticket.title);
  });

  it('refuses a caretaker who works a task someone else handles with 403, and one who takes it with 409', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const colleague = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const ticket = await makeTicket(env.db, tenant, await makeUser(env.db, tenant, 'client', { customer }));
    await env.db('tickets').where('id', ticket.id).update({ assignee_id: colleague.id });
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const page = staffPage(tenant, ticket.id);
    const view = await agent.get(page);
    expect(view.status).toBe(200);
    expect(view.text).toContain('data-testid="read-only"');
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/staff`);
    const refused = await agent.post(`${page}/status`).type('form').send({ _csrf: token, status: 'in_progress', version: '1' });
    expect(refused.status).toBe(403);
    expect((await ticketRow(env, tenant, ticket.id)).status).toBe('new');
    const taken = await agent.post(`${page}/takeover`).type('form').send({ _csrf: token });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('Ktoś inny przejął już to zadanie.');
    expect((await ticketRow(env, tenant, ticket.id)).assignee_id).toBe(colleague.id);
  });

  it('lets a caretaker stand in on a colleague’s task when the tenant allows any task, but not work a queued ticket without taking it', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const colleague = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker: colleague });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const ticket = await makeTicket(env.db, tenant, client);
    const queued = await makeTicket(env.db, tenant, client);
    await env.db('tickets').where('id', queued.id).update({ assignee_id: null });
    await saveSettings(scopeFor(env.db, tenant), 'tenant', 0, { 'tickets.caretakers_work': 'any' });
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const page = staffPage(tenant, ticket.id);
    expect((await agent.get(page)).text).not.toContain('data-testid="read-only"');
    const moved = await post(agent, page, `${page}/status`, { status: 'in_progress', version: '1' });
    expect(moved.status).toBe(303);
    expect(await ticketRow(env, tenant, ticket.id)).toMatchObject({ status: 'in_progress', assignee_id: colleague.id });
    const queuedPage = staffPage(tenant, queued.id);
    const refused = await post(agent, queuedPage, `${queuedPage}/status`, { status: 'in_progress', version: '1' });
    expect(refused.status).toBe(403);
    expect((await ticketRow(env, tenant, queued.id)).status).toBe('new');
  });

  it('lets an admin reassign a task with the reason in the history, which the client does not see', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const other = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Tomasz', lastName: 'Nowy' });
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const ticket = await makeTicket(env.db, tenant, client);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = staffPage(tenant, ticket.id);
    const withoutReason = await post(admin, page, `${page}/assignment`, { assigneeId: String(other.id), note: '' });
    expect(withoutReason.status).toBe(422);
    expect(withoutReason.text).toContain('Podaj powód przekazania zadania.');
    expect((await post(admin, page, `${page}/assignment`, { assigneeId: String(other.id), note: 'Urlop opiekuna' })).status).toBe(303);
    expect((await ticketRow(env, tenant, ticket.id)).assignee_id).toBe(other.id);
    const history = (await admin.get(page)).text;
    expect(history).toContain('Przekazano od Test caretaker do Tomasz Nowy');
    expect(history).toContain('Urlop opiekuna');
    const clientPage = (await (await signedInAgent(env.app, tenant, client.login)).get(portalPage(tenant, ticket.id))).text;
    expect(clientPage).toContain('Tomasz Nowy');
    expect(clientPage).not.toContain('Urlop opiekuna');
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'ticket.assigned', subject_id: ticket.id })).toHaveLength(1);
  });

  it('gives an admin whose ticket a caretaker took meanwhile the task page back (409) saying who has it, with the choice and reason kept', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const ticket = await makeTicket(env.db, tenant, client);
    const taker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Karolina', lastName: 'Zielińska' });
    const chosen = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Tomasz', lastName: 'Nowy' });
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = staffPage(tenant, ticket.id);
    const opened = (await admin.get(page)).text;
    expect(opened.split('data-testid="assignment-form"')[1]).toContain('name="baseAssigneeId" value=""');
    const adminToken = await csrfTokenFrom(admin, page);
    expect((await post(await signedInAgent(env.app, tenant, taker.login), page, `${page}/takeover`, {})).status).toBe(303);

    const late = await admin.post(`${page}/assignment`).set('Accept-Language', 'en').type('form').send({ _csrf: adminToken, assigneeId: String(chosen.id), note: 'Zna tę drukarkę', baseAssigneeId: '' });

    expect(late.status).toBe(409);
    expect(late.text).toContain('In the meantime the ticket went to Karolina Zielińska. Nothing has been saved.');
    const form = late.text.split('data-testid="assignment-form"')[1]!.split('</form>')[0]!;
    expect(form).toContain(`<option value="${chosen.id}" selected>`);
    expect(form).toContain('value="Zna tę drukarkę"');
    expect(form).toContain(`name="baseAssigneeId" value="${taker.id}"`);
    expect((await ticketRow(env, tenant, ticket.id)).assignee_id).toBe(taker.id);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'ticket.assigned', subject_id: ticket.id })).toHaveLength(1);

    // Sent again from that page, knowing who has it, the reassignment goes through with its reason.
    const again = await admin.post(`${page}/assignment`).type('form').send({ _csrf: adminToken, assigneeId: String(chosen.id), note: 'Zna tę drukarkę', baseAssigneeId: String(taker.id) });
    expect(again.status).toBe(303);
    expect((await ticketRow(env, tenant, ticket.id)).assignee_id).toBe(chosen.id);
  });

  it('tells an admin to whom another admin gave the ticket meanwhile that it is now theirs', async () => {
    const tenant = await makeTenant(env.db);
    const ticket = await makeTicket(env.db, tenant, await makeUser(env.db, tenant, 'client'));
    const admin = await makeUser(env.db, tenant, 'admin');
    const chosen = await makeUser(env.db, tenant, 'caretaker');
    const adminAgent = await signedInAgent(env.app, tenant, admin.login);
    const page = staffPage(tenant, ticket.id);
    const adminToken = await csrfTokenFrom(adminAgent, page);
    expect((await post(await signedInAgent(env.app, tenant, tenant.superadmin.login), page, `${page}/assignment`, { assigneeId: String(admin.id), note: '', baseAssigneeId: '' })).status).toBe(303);
    const late = await adminAgent.post(`${page}/assignment`).set('Accept-Language', 'en').type('form').send({ _csrf: adminToken, assigneeId: String(chosen.id), note: '', baseAssigneeId: '' });
    expect(late.status).toBe(409);
    expect(late.text).toContain('In the meantime someone else assigned this ticket to you.');
    expect((await ticketRow(env, tenant, ticket.id)).assignee_id).toBe(admin.id);
  });
});
