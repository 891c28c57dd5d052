import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Customer } from '../../src/models/customer.js';
import { saveSettings } from '../../src/models/settings.js';
import { ticketNumberFromSubject } from '../../src/models/ticket-mail-tag.js';
import type { User } from '../../src/models/user.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, renewConfigurationVersion, scopeFor, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, postForm } from '../support/http.js';
import { latestMailTo } from '../support/mail.js';
import { categoryId, makeTicket } from '../support/tickets.js';

const ticketTemplates = ['ticket-filed', 'ticket-filed-queue', 'ticket-assigned', 'ticket-assigned-with-note', 'ticket-approval-requested', 'ticket-approved', 'ticket-rejected', 'ticket-replied', 'ticket-client-replied', 'ticket-status-changed', 'ticket-due-changed'];

describeOnEachDatabase('e-mail about tickets (T9)', (env) => {
  /** A customer looked after by Karolina, with its client Jan; the ticket mail of the tenant is read from the outbox. */
  async function company(options: { caretaker?: boolean } = {}) {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Karolina', lastName: 'Zielińska' });
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.', caretaker: options.caretaker === false ? undefined : caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Jan', lastName: 'Kowalski' });
    return { tenant, caretaker, customer, client };
  }

  /** The tenant's ticket e-mails as queued: to whom (the address and the account) and which template. */
  async function ticketMail(tenant: TestTenant) {
    const rows = await env.db('outbox').where('tenant_id', tenant.id).whereIn('template', ticketTemplates).orderBy('id');
    return rows.map((row) => ({ to: String(row.recipient), userId: row.recipient_user_id === null ? null : Number(row.recipient_user_id), customerId: row.customer_id === null ? null : Number(row.customer_id), template: String(row.template), data: JSON.parse(String(row.data)) as Record<string, string> }));
  }

  async function fileInPortal(tenant: TestTenant, user: User, title = 'Nie działa drukarka') {
    const agent = await signedInAgent(env.app, tenant, user.login);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/portal/tickets/new`);
    const response = await agent.post(`/${tenant.slug}/portal/tickets`).type('form').send({ _csrf: token, categoryId: String(await categoryId(env.db, tenant)), title, description: 'Od rana.', submissionKey: randomUUID() });
    expect(response.status).toBe(303);
    return { agent, id: Number(/\/tickets\/(\d+)$/.exec(response.headers.location ?? '')?.[1]) };
  }

  const post = postForm;

  const staffPage = (tenant: TestTenant, id: number) => `/${tenant.slug}/staff/tickets/${id}`;
  const versionOf = async (id: number) => String((await env.db('tickets').where('id', id).first()).version);

  async function switchOff(tenant: TestTenant, user: User, field: 'tickets' | 'ticketApprovals', others: Record<string, string> = {}) {
    const agent = await signedInAgent(env.app, tenant, user.login);
    const response = await post(agent, `/${tenant.slug}/account/notifications`, `/${tenant.slug}/account/notifications`, { ...others, [field]: 'off' });
    expect(response.status).toBe(303);
  }

  async function makeApprover(tenant: TestTenant, customer: Customer, firstName = 'Anna') {
    const approver = await makeUser(env.db, tenant, 'client', { customer, firstName, lastName: 'Nowak' });
    await env.db('users').where('id', approver.id).update({ is_approver: true });
    return approver;
  }

  it('tells the caretaker of a new task with the ticket’s tag in the subject and a link to it, and not the client who filed it', async () => {
    const { tenant, caretaker, customer, client } = await company();
    const { id } = await fileInPortal(tenant, client);
    const sent = await ticketMail(tenant);
    // The notice to staff is about the customer: a purge of the customer takes it.
    expect(sent.map(({ to, userId, customerId, template }) => ({ to, userId, customerId, template }))).toEqual([{ to: caretaker.email, userId: caretaker.id, customerId: customer.id, template: 'ticket-filed' }]);
    const mail = await latestMailTo(env, caretaker.email!);
    const number = String((await env.db('tickets').where('id', id).first()).year);
    expect(mail.subject).toMatch(new RegExp(`^\\[#${number}/\\d{6}\\] Nie działa drukarka — nowe zadanie$`));
    expect(ticketNumberFromSubject(`Re: ${mail.subject}`)).toEqual({ year: Number(number), sequence: (await env.db('tickets').where('id', id).first()).sequence });
    expect(mail.text).toContain('Dzień dobry Karolina,');
    expect(mail.text).toContain('firmy Alfa sp. z o.o.');
    expect(mail.text).toContain(`${env.config.baseUrl}/${tenant.slug}/staff/tickets/${id}`);
  });

  it('tells the caretaker of a ticket staff filed on the customer’s behalf, unless the caretaker filed it', async () => {
    const { tenant, caretaker, customer } = await company();
    const own = await signedInAgent(env.app, tenant, caretaker.login);
    const form = `/${tenant.slug}/staff/customers/${customer.id}/tickets/new`;
    const fields = { categoryId: String(await categoryId(env.db, tenant)), title: 'Telefon od klienta', description: 'Zgłoszone telefonicznie.' };
    expect((await post(own, form, `/${tenant.slug}/staff/customers/${customer.id}/tickets`, { ...fields, submissionKey: randomUUID() })).status).toBe(303);
    expect(await ticketMail(tenant)).toEqual([]);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    expect((await post(admin, form, `/${tenant.slug}/staff/customers/${customer.id}/tickets`, { ...fields, submissionKey: randomUUID() })).status).toBe(303);
    expect((await ticketMail(tenant)).map(({ userId, template }) => ({ userId, template }))).toEqual([{ userId: caretaker.id, template: 'ticket-filed' }]);
  });

  it('sends a ticket without a caretaker to the queue’s address, else the office’s, else nowhere', async () => {
    const { tenant, customer, client } = await company({ caretaker: false });
    await fileInPortal(tenant, client);
    expect(await ticketMail(tenant)).toEqual([]);
    await env.db('tenants').where('id', tenant.id).update({ office_email: 'biuro@serwis.example' });
    await renewConfigurationVersion(env.db, tenant);
    await fileInPortal(tenant, client);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const refused = await post(admin, `/${tenant.slug}/admin/settings`, `/${tenant.slug}/admin/settings`, { queueEmail: 'not an address' });
    expect(refused.status).toBe(422);
    expect(fieldErrorOf(refused.text, 'queueEmail')).toBe('Wpisz adres e-mail, np. zgloszenia@przyklad.pl, albo zostaw pole puste.');
    expect(refused.text).toContain('value="not an address"');
    const page = await admin.get(`/${tenant.slug}/admin/settings`);
    expect(page.text).toContain('Teraz: biuro@serwis.example (adres biura z danych dostawcy)');
    const settingsForm = Object.fromEntries([...page.text.matchAll(/name="(\w+)" value="([^"]*)" checked/g)].map((match) => [match[1], match[2]]));
    expect((await post(admin, `/${tenant.slug}/admin/settings`, `/${tenant.slug}/admin/settings`, { ...settingsForm, queueEmail: 'kolejka@serwis.example' })).status).toBe(303);
    await fileInPortal(tenant, client, 'Drugie zgłoszenie');
    const sent = await ticketMail(tenant);
    expect(sent.map(({ to, userId, customerId, template }) => ({ to, userId, customerId, template }))).toEqual([
      { to: 'biuro@serwis.example', userId: null, customerId: customer.id, template: 'ticket-filed-queue' },
      { to: 'kolejka@serwis.example', userId: null, customerId: customer.id, template: 'ticket-filed-queue' },
    ]);
    const mail = await latestMailTo(env, 'kolejka@serwis.example');
    expect(mail.subject).toMatch(/^\[#\d{4}\/\d{6}\] Drugie zgłoszenie — nowe zgłoszenie w kolejce$/);
    expect(mail.text).toMatch(/^Dzień dobry,\n/);
    expect(mail.text).toContain(`${env.config.baseUrl}/${tenant.slug}/staff/queue`);
  });

  it('tells a member of staff of a ticket an admin assigned to them, with the reason of a reassignment, and no one of a ticket taken from the queue', async () => {
    const { tenant, client } = await company({ caretaker: false });
    const first = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Piotr', lastName: 'Nowak' });
    const second = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Ewa', lastName: 'Wiśniewska', locale: 'en' });
    const admin = await makeUser(env.db, tenant, 'admin', { firstName: 'Anna', lastName: 'Adamska' });
    const { id } = await fileInPortal(tenant, client);
    const taken = await fileInPortal(tenant, client, 'Drugie');
    const adminAgent = await signedInAgent(env.app, tenant, admin.login);
    const page = `/${tenant.slug}/staff/tickets/${id}`;
    expect((await post(adminAgent, page, `${page}/assignment`, { assigneeId: String(first.id), note: '' })).status).toBe(303);
    expect((await post(adminAgent, page, `${page}/assignment`, { assigneeId: String(second.id), note: 'Urlop Piotra' })).status).toBe(303);
    expect((await post(adminAgent, page, `${page}/assignment`, { assigneeId: String(admin.id), note: 'Przejmuję' })).status).toBe(303);
    const firstAgent = await signedInAgent(env.app, tenant, first.login);
    const takenPage = `/${tenant.slug}/staff/tickets/${taken.id}`;
    expect((await post(firstAgent, takenPage, `${takenPage}/takeover`, {})).status).toBe(303);
    const sent = (await ticketMail(tenant)).filter((mail) => mail.template.startsWith('ticket-assigned'));
    expect(sent.map(({ userId, template }) => ({ userId, template }))).toEqual([
      { userId: first.id, template: 'ticket-assigned' },
      { userId: second.id, template: 'ticket-assigned-with-note' },
    ]);
    const polish = await latestMailTo(env, first.email!);
    expect(polish.subject).toMatch(/^\[#\d{4}\/\d{6}\] Nie działa drukarka — przydzielone Tobie$/);
    expect(polish.text).toContain('Anna Adamska przydziela Ci w portalu');
    expect(polish.text).toContain(`${env.config.baseUrl}${page}`);
    const english = await latestMailTo(env, second.email!);
    expect(english.subject).toContain('assigned to you');
    expect(english.text).toContain('Reason: Urlop Piotra');
  });

  it('sends no new task to a caretaker who switched ticket e-mail off', async () => {
    const { tenant, caretaker, client } = await company();
    await switchOff(tenant, caretaker, 'tickets', { changeRequests: 'on' });
    await fileInPortal(tenant, client);
    expect(await ticketMail(tenant)).toEqual([]);
  });

  it('tells the client of a staff reply with its text, and never of an internal note, whose text is in no outbox row', async () => {
    const { tenant, caretaker, client } = await company();
    const ticket = await makeTicket(env.db, tenant, client);
    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    const page = staffPage(tenant, ticket.id);
    expect((await post(staff, page, `${page}/messages`, { body: 'Sekretna notatka: klient zalega z płatnością', isInternal: 'on', submissionKey: randomUUID() })).status).toBe(303);
    expect(await ticketMail(tenant)).toEqual([]);
    expect((await post(staff, page, `${page}/messages`, { body: 'Technik przyjedzie jutro o 9:00.', submissionKey: randomUUID() })).status).toBe(303);
    const sent = await ticketMail(tenant);
    expect(sent.map(({ to, userId, template }) => ({ to, userId, template }))).toEqual([{ to: client.email, userId: client.id, template: 'ticket-replied' }]);
    const mail = await latestMailTo(env, client.email!);
    expect(mail.subject).toBe(`[#${ticket.number}] Nie działa drukarka`);
    expect(mail.text).toContain('Karolina Zielińska');
    expect(mail.text).toContain('Technik przyjedzie jutro o 9:00.');
    expect(mail.text).toContain(`${env.config.baseUrl}/${tenant.slug}/portal/tickets/${ticket.id}`);
    const everything = await env.db('outbox').where('tenant_id', tenant.id);
    expect(everything.filter((row) => String(row.data).includes('Sekretna notatka'))).toEqual([]);
  });

  it('tells the client of a status change and of a due date in their language, and the caretaker of nothing they did', async () => {
    const { tenant, caretaker, client } = await company();
    await env.db('users').where('id', client.id).update({ locale: 'en' });
    const ticket = await makeTicket(env.db, tenant, client);
    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    const page = staffPage(tenant, ticket.id);
    expect((await post(staff, page, `${page}/status`, { status: 'in_progress', version: await versionOf(ticket.id) })).status).toBe(303);
    expect((await latestMailTo(env, client.email!)).subject).toBe(`[#${ticket.number}] Nie działa drukarka — status: In progress`);
    const base = { baseDueDate: '', basePriority: 'normal' };
    expect((await post(staff, page, `${page}/plan`, { ...base, dueDate: '2031-03-15', priority: 'normal', version: await versionOf(ticket.id) })).status).toBe(303);
    const due = await latestMailTo(env, client.email!);
    expect(due.subject).toContain('due date: ');
    expect(due.text).toMatch(/has set the due date of ticket \d{4}\/\d{6}: .*2031/);
    expect(due.text).toMatch(/^Hello Jan,/);
    // The priority alone, or the due date taken away, tells no one.
    expect((await post(staff, page, `${page}/plan`, { baseDueDate: '2031-03-15', basePriority: 'normal', dueDate: '', priority: 'urgent', version: await versionOf(ticket.id) })).status).toBe(303);
    const sent = await ticketMail(tenant);
    expect(sent.map(({ userId, template }) => ({ userId, template }))).toEqual([
      { userId: client.id, template: 'ticket-status-changed' },
      { userId: client.id, template: 'ticket-due-changed' },
    ]);
    expect(sent.some((mail) => mail.userId === caretaker.id)).toBe(false);
  });

  it('tells the caretaker of the client’s reply, the client nothing of the status change their reply made, and nothing to a client who switched it off', async () => {
    const { tenant, caretaker, client } = await company();
    const ticket = await makeTicket(env.db, tenant, client);
    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    const page = staffPage(tenant, ticket.id);
    await post(staff, page, `${page}/status`, { status: 'waiting_for_customer', version: await versionOf(ticket.id) });
    const portal = await signedInAgent(env.app, tenant, client.login);
    const portalPage = `/${tenant.slug}/portal/tickets/${ticket.id}`;
    expect((await post(portal, portalPage, `${portalPage}/replies`, { body: 'Drukarka to HP 1020.', submissionKey: randomUUID() })).status).toBe(303);
    expect((await env.db('tickets').where('id', ticket.id).first()).status).toBe('open');
    expect((await ticketMail(tenant)).map(({ userId, template }) => ({ userId, template }))).toEqual([
      { userId: client.id, template: 'ticket-status-changed' },
      { userId: caretaker.id, template: 'ticket-client-replied' },
    ]);
    const reply = await latestMailTo(env, caretaker.email!);
    expect(reply.subject).toBe(`[#${ticket.number}] Nie działa drukarka — odpowiedź klienta`);
    expect(reply.text).toContain('Jan Kowalski z firmy Alfa sp. z o.o. odpowiada');
    expect(reply.text).toContain('Drukarka to HP 1020.');
    expect(reply.text).toContain(`${env.config.baseUrl}${page}`);
    await switchOff(tenant, client, 'tickets');
    await post(staff, page, `${page}/status`, { status: 'resolved', version: await versionOf(ticket.id) });
    await post(staff, page, `${page}/messages`, { body: 'Gotowe.', submissionKey: randomUUID() });
    expect(await ticketMail(tenant)).toHaveLength(2);
  });

  it('tells the primary contacts of a ticket staff filed, and not the company’s other people', async () => {
    const { tenant, caretaker, customer, client } = await company();
    const primary = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Ewa', lastName: 'Lis' });
    await env.db('users').where('id', primary.id).update({ is_primary_contact: true });
    const ticket = await makeTicket(env.db, tenant, caretaker, { customer });
    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    const page = staffPage(tenant, ticket.id);
    await post(staff, page, `${page}/status`, { status: 'in_progress', version: await versionOf(ticket.id) });
    const sent = await ticketMail(tenant);
    expect(sent.map(({ userId }) => userId)).toEqual([primary.id]);
    expect(sent.some((mail) => mail.userId === client.id)).toBe(false);
    // A customer whose portal shows only tickets filed there (T8) is told nothing of one staff filed.
    await saveSettings(scopeFor(env.db, tenant), 'customer', customer.id, { 'tickets.visibility': 'portal' });
    await post(staff, page, `${page}/status`, { status: 'resolved', version: await versionOf(ticket.id) });
    expect(await ticketMail(tenant)).toHaveLength(1);
  });

  it('asks the company’s approvers to approve a waiting ticket, then tells its filer the decision and the caretaker of the new task', async () => {
    const { tenant, caretaker, customer, client } = await company();
    await saveSettings(scopeFor(env.db, tenant), 'customer', customer.id, { 'tickets.approval': 'mandatory' });
    const anna = await makeApprover(tenant, customer);
    const quiet = await makeApprover(tenant, customer, 'Olga');
    await switchOff(tenant, quiet, 'ticketApprovals', { tickets: 'on' });
    const { id } = await fileInPortal(tenant, client);
    expect((await ticketMail(tenant)).map(({ userId, template }) => ({ userId, template }))).toEqual([{ userId: anna.id, template: 'ticket-approval-requested' }]);
    const request = await latestMailTo(env, anna.email!);
    expect(request.subject).toMatch(/— czeka na Twoją akceptację$/);
    expect(request.text).toContain('Jan Kowalski z Twojej firmy składa zgłoszenie');
    expect(request.text).toContain(`${env.config.baseUrl}/${tenant.slug}/portal/approvals`);

    const approverAgent = await signedInAgent(env.app, tenant, anna.login);
    const portalPage = `/${tenant.slug}/portal/tickets/${id}`;
    expect((await post(approverAgent, portalPage, `${portalPage}/approval`, {})).status).toBe(303);
    expect((await ticketMail(tenant)).slice(1).map(({ userId, template }) => ({ userId, template }))).toEqual([
      { userId: client.id, template: 'ticket-approved' },
      { userId: caretaker.id, template: 'ticket-filed' },
    ]);

    const second = await fileInPortal(tenant, client, 'Zbędne zgłoszenie');
    const secondPage = `/${tenant.slug}/portal/tickets/${second.id}`;
    expect((await post(approverAgent, secondPage, `${secondPage}/rejection`, { reason: 'Już zgłoszone wczoraj.' })).status).toBe(303);
    const rejection = await latestMailTo(env, client.email!);
    expect(rejection.subject).toMatch(/Zbędne zgłoszenie — odrzucone$/);
    expect(rejection.text).toContain('Uzasadnienie: Już zgłoszone wczoraj.');
    expect((await ticketMail(tenant)).filter((mail) => mail.userId === caretaker.id)).toHaveLength(1);
  });

  it('gives every user the switches of the e-mails they could get, clients through their account page', async () => {
    const { tenant, caretaker, customer, client } = await company();
    const approver = await makeApprover(tenant, customer);
    const clientAgent = await signedInAgent(env.app, tenant, client.login);
    expect((await clientAgent.get(`/${tenant.slug}/account`)).text).toContain(`href="/${tenant.slug}/account/notifications"`);
    const clientPage = await clientAgent.get(`/${tenant.slug}/account/notifications`);
    expect(clientPage.status).toBe(200);
    expect(clientPage.text).toContain('id="field-tickets-on" name="tickets" value="on" checked');
    expect(clientPage.text).not.toContain('name="changeRequests"');
    expect(clientPage.text).not.toContain('name="ticketApprovals"');
    // A client cannot switch a staff notice: the field is not theirs and is left as it was.
    expect((await post(clientAgent, `/${tenant.slug}/account/notifications`, `/${tenant.slug}/account/notifications`, { tickets: 'off', changeRequests: 'off' })).status).toBe(303);
    const stored = await env.db('settings').where({ tenant_id: tenant.id, level: 'account', target_id: client.id }).select('name', 'value');
    expect(stored).toEqual([{ name: 'notifications.tickets', value: 'off' }]);
    const approverPage = await (await signedInAgent(env.app, tenant, approver.login)).get(`/${tenant.slug}/account/notifications`);
    expect(approverPage.text).toContain('name="ticketApprovals"');
    const staffPage = await (await signedInAgent(env.app, tenant, caretaker.login)).get(`/${tenant.slug}/account/notifications`);
    expect(staffPage.text).toContain('name="changeRequests"');
    expect(staffPage.text).toContain('Moje zadania');
    const missing = await post(clientAgent, `/${tenant.slug}/account/notifications`, `/${tenant.slug}/account/notifications`, {});
    expect(missing.status).toBe(422);
    expect(fieldErrorOf(missing.text, 'tickets')).toBe('Zaznacz, czy chcesz dostawać te wiadomości.');
  });

  it('shows approvers what awaits their approval on the start page, with an empty state, and other clients nothing of it', async () => {
    const { tenant, customer, client } = await company();
    await saveSettings(scopeFor(env.db, tenant), 'customer', customer.id, { 'tickets.approval': 'mandatory' });
    const approver = await makeApprover(tenant, customer);
    const approverAgent = await signedInAgent(env.app, tenant, approver.login);
    const empty = await approverAgent.get(`/${tenant.slug}/portal`);
    expect(empty.text).toContain('data-testid="section-ticket-approvals"');
    expect(empty.text).toContain('data-testid="ticket-approvals-empty"');
    expect(empty.text).toContain(`href="/${tenant.slug}/portal/approvals"`);
    const { id } = await fileInPortal(tenant, client, 'Nowy laptop dla księgowej');
    const waiting = await approverAgent.get(`/${tenant.slug}/portal`);
    expect(waiting.text).toContain(`data-testid="ticketApprovals-ticket-${id}"`);
    expect(waiting.text).toContain('Nowy laptop dla księgowej');
    expect(waiting.text).toContain('autor zgłoszenia: Jan Kowalski');
    expect(waiting.text).toMatch(/data-testid="ticket-approvals-total">1</);
    const filerPage = await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal`);
    expect(filerPage.status).toBe(200);
    expect(filerPage.text).not.toContain('section-ticket-approvals');
  });
});
