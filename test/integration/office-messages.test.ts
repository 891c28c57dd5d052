import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { saveSettings } from '../../src/models/settings.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, renewConfigurationVersion, scopeFor, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, postForm, signedInAgent, type Agent } from '../support/http.js';
import { categoryId } from '../support/tickets.js';

const ticketIdFrom = (location: string | undefined) => Number(/\/tickets\/(\d+)$/.exec(location ?? '')?.[1]);
const rowIdsOf = (html: string) => [...html.matchAll(/data-ticket-id="(\d+)"/g)].map((match) => Number(match[1]));

async function writeToOffice(agent: Agent, tenant: TestTenant, fields: Record<string, string>) {
  const token = await csrfTokenFrom(agent, `/${tenant.slug}/portal/messages/new`);
  return agent.post(`/${tenant.slug}/portal/messages`).type('form').send({ _csrf: token, ...fields });
}

describeOnEachDatabase('messages to the office (C1)', (env) => {
  /** A customer with a caretaker, and its client signed in. */
  async function company() {
    const tenant = await makeTenant(env.db);
    await env.db('tenants').where('id', tenant.id).update({ office_email: 'biuro@serwis.example' });
    await renewConfigurationVersion(env.db, tenant);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    return { tenant, caretaker, customer, client, agent: await signedInAgent(env.app, tenant, client.login) };
  }

  it('files the message as a ticket of the office category into the unassigned queue, though the customer has a caretaker, and announces it to the queue', async () => {
    const { tenant, caretaker, client, agent } = await company();
    const form = await agent.get(`/${tenant.slug}/portal/messages/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Napisz do biura');

    const response = await writeToOffice(agent, tenant, { subject: 'Zmiana adresu faktur', message: 'Prosimy o wysyłkę\r\nna nowy adres.', submissionKey: randomUUID() });
    expect(response.status).toBe(303);
    const id = ticketIdFrom(response.headers.location);
    const row = await env.db('tickets').where({ tenant_id: tenant.id, id }).first();
    expect(row).toMatchObject({ title: 'Zmiana adresu faktur', description: 'Prosimy o wysyłkę\nna nowy adres.', status: 'new', assignee_id: null, filed_by: client.id, source: 'portal' });
    expect(row.category_id).toBe(await categoryId(env.db, tenant, 'message'));
    const mail = await env.db('outbox').where('tenant_id', tenant.id).where('template', 'like', 'ticket-filed%');
    expect(mail.map((message) => [message.recipient, message.template])).toEqual([['biuro@serwis.example', 'ticket-filed-queue']]);
    const audit = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'ticket.filed', subject_id: id }).first();
    expect(JSON.parse(audit.details)).toMatchObject({ assigneeId: null, source: 'portal' });

    // The client follows it like any ticket; the caretaker finds it in the queue, not among their tasks.
    const page = await agent.get(response.headers.location!);
    expect(page.text).toContain('Wiadomość została wysłana do biura.');
    expect(page.text).toContain('Wiadomość do biura');
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/portal/tickets`)).text)).toEqual([id]);
    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    expect((await staff.get(`/${tenant.slug}/staff/queue`)).text).toContain('Zmiana adresu faktur');
    expect((await staff.get(`/${tenant.slug}/staff/tasks`)).text).not.toContain('Zmiana adresu faktur');
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    expect(rowIdsOf((await admin.get(`/${tenant.slug}/admin/tasks?status=all&q=${encodeURIComponent('faktur')}`)).text)).toEqual([id]);
  });

  it('files the client’s reply to a closed message as a follow-up office message, again into the queue', async () => {
    const { tenant, agent } = await company();
    const first = await writeToOffice(agent, tenant, { subject: 'Pytanie o umowę', message: 'Kiedy kończy się umowa?', submissionKey: randomUUID() });
    const firstId = ticketIdFrom(first.headers.location);
    await env.db('tickets').where({ tenant_id: tenant.id, id: firstId }).update({ status: 'closed' });

    const page = `/${tenant.slug}/portal/tickets/${firstId}`;
    const reply = await postForm(agent, page, `${page}/replies`, { body: 'Jeszcze jedno pytanie.', submissionKey: randomUUID() });
    expect(reply.status).toBe(303);
    const followUpId = ticketIdFrom(reply.headers.location);
    expect(followUpId).not.toBe(firstId);
    const followUp = await env.db('tickets').where({ tenant_id: tenant.id, id: followUpId }).first();
    expect(followUp).toMatchObject({ related_ticket_id: firstId, status: 'new', assignee_id: null, description: 'Jeszcze jedno pytanie.' });
    expect(followUp.category_id).toBe(await categoryId(env.db, tenant, 'message'));
  });

  it('refuses empty fields with 422, keeping what was typed, and files nothing', async () => {
    const { tenant, agent } = await company();
    const empty = await writeToOffice(agent, tenant, { subject: '   ', message: 'Treść, która zostaje' });
    expect(empty.status).toBe(422);
    expect(fieldErrorOf(empty.text, 'subject')).toBeTruthy();
    expect(empty.text).toContain('Treść, która zostaje');
    const noMessage = await writeToOffice(agent, tenant, { subject: 'Temat, który zostaje', message: '' });
    expect(noMessage.status).toBe(422);
    expect(fieldErrorOf(noMessage.text, 'message')).toBeTruthy();
    expect(noMessage.text).toContain('value="Temat, który zostaje"');
    const noSubject = await writeToOffice(agent, tenant, { subject: '', message: 'x' });
    expect(noSubject.status).toBe(422);
    expect(await env.db('tickets').where('tenant_id', tenant.id)).toHaveLength(0);
  });

  it('files one ticket when the form is sent twice', async () => {
    const { tenant, agent } = await company();
    const fields = { subject: 'Dwuklik', message: 'x', submissionKey: randomUUID() };
    const [one, two] = [await writeToOffice(agent, tenant, fields), await writeToOffice(agent, tenant, fields)];
    expect(one.headers.location).toBe(two.headers.location);
    expect(await env.db('tickets').where('tenant_id', tenant.id)).toHaveLength(1);
  });

  it('does not wait for the customer’s approval, which a message asks no work of', async () => {
    const { tenant, customer, agent } = await company();
    await saveSettings(scopeFor(env.db, tenant), 'customer', customer.id, { 'tickets.approval': 'mandatory' });
    const response = await writeToOffice(agent, tenant, { subject: 'Pytanie', message: 'x' });
    expect((await env.db('tickets').where({ tenant_id: tenant.id, id: ticketIdFrom(response.headers.location) }).first()).status).toBe('new');
  });

  it('keeps the office category out of the ticket form and refuses it there', async () => {
    const { tenant, agent } = await company();
    const form = await agent.get(`/${tenant.slug}/portal/tickets/new`);
    expect(form.text).toContain('Zgłoszenie awarii');
    expect(form.text).not.toContain('Wiadomość do biura');
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/portal/tickets/new`);
    const forged = await agent.post(`/${tenant.slug}/portal/tickets`).type('form').send({ _csrf: token, categoryId: String(await categoryId(env.db, tenant, 'message')), title: 'Obejście', description: 'x' });
    expect(forged.status).toBe(422);
    expect(await env.db('tickets').where('tenant_id', tenant.id)).toHaveLength(0);
  });

  it('lets an admin rename the office category, but not delete it nor take it out of use', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const messageId = await categoryId(env.db, tenant, 'message');
    const path = `/${tenant.slug}/admin/ticket-categories/${messageId}`;
    const edit = (await admin.get(`${path}/edit`)).text;
    expect(edit).toContain('data-testid="office-message-category"');
    expect(edit).not.toContain('data-testid="delete-category"');
    expect(edit).not.toContain('id="field-isActive"');
    const valueOf = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(edit)?.[1] ?? '';
    const opened = { namePl: valueOf('namePl'), nameEn: valueOf('nameEn'), version: valueOf('version'), base: valueOf('base') };
    const token = await csrfTokenFrom(admin, `${path}/edit`);
    const deletion = await admin.post(`${path}/deletion`).type('form').send({ _csrf: token });
    expect(deletion.status).toBe(409);
    const withdrawal = await admin.post(path).type('form').send({ _csrf: token, ...opened });
    expect(withdrawal.status).toBe(422);
    expect(withdrawal.text).toContain('nie można jej usunąć ani wycofać');
    const renamed = await admin.post(path).type('form').send({ _csrf: token, ...opened, namePl: 'Pytanie do biura', isActive: 'on' });
    expect(renamed.status).toBe(303);
    expect(await env.db('ticket_categories').where('id', messageId).first()).toMatchObject({ name_pl: 'Pytanie do biura', code: 'message' });
    expect(Boolean((await env.db('ticket_categories').where('id', messageId).first()).is_active)).toBe(true);
  });
});
