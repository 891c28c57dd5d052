import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Customer } from '../../src/models/customer.js';
import { saveSettings } from '../../src/models/settings.js';
import type { User } from '../../src/models/user.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, type Agent } from '../support/http.js';
import { categoryId } from '../support/tickets.js';

const ticketIdFrom = (location: string | undefined) => Number(/\/tickets\/(\d+)$/.exec(location ?? '')?.[1]);

describeOnEachDatabase('approval of tickets (T7)', (env) => {
  /** A tenant with a caretaker, a customer of theirs with the given approval mode, its approver anna and its filer jan. */
  async function company(mode: 'off' | 'optional' | 'mandatory', level: 'customer' | 'tenant' = 'customer') {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Karolina', lastName: 'Zielińska' });
    const customer = await makeCustomer(env.db, tenant, { caretaker, name: 'Alfa sp. z o.o.' });
    const approver = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Anna', lastName: 'Nowak' });
    await env.db('users').where({ tenant_id: tenant.id, id: approver.id }).update({ is_approver: true });
    const filer = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Jan', lastName: 'Kowalski' });
    if (mode !== 'off') await saveSettings(scopeFor(env.db, tenant), level, level === 'tenant' ? 0 : customer.id, { 'tickets.approval': mode });
    return { tenant, caretaker, customer, approver, filer };
  }

  async function fileInPortal(tenant: TestTenant, user: User, extra: Record<string, string> = {}) {
    const agent = await signedInAgent(env.app, tenant, user.login);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/portal/tickets/new`);
    const fields = { categoryId: String(await categoryId(env.db, tenant)), title: 'Nie działa drukarka', description: 'Od rana.', submissionKey: randomUUID(), ...extra };
    const response = await agent.post(`/${tenant.slug}/portal/tickets`).type('form').send({ _csrf: token, ...fields });
    expect(response.status).toBe(303);
    return { agent, response, id: ticketIdFrom(response.headers.location) };
  }

  async function post(agent: Agent, tenant: TestTenant, formPath: string, path: string, fields: Record<string, string> = {}) {
    const token = await csrfTokenFrom(agent, `/${tenant.slug}${formPath}`);
    return agent.post(`/${tenant.slug}${path}`).type('form').send({ _csrf: token, ...fields });
  }

  const ticketRow = (tenant: TestTenant, id: number) => env.db('tickets').where({ tenant_id: tenant.id, id }).first();
  const auditOf = (tenant: TestTenant, action: string) => env.db('audit_log').where({ tenant_id: tenant.id, action }).select('actor_id', 'subject_id', 'details');

  it('files every ticket straight to staff while approval is off (the default)', async () => {
    const { tenant, caretaker, filer } = await company('off');
    const { agent, id } = await fileInPortal(tenant, filer);
    expect(await ticketRow(tenant, id)).toMatchObject({ status: 'new', assignee_id: caretaker.id });
    const form = await agent.get(`/${tenant.slug}/portal/tickets/new`);
    expect(form.text).not.toContain('name="isApprovalAsked"');
    expect(form.text).not.toContain('data-testid="approval-mandatory"');
  });

  it('holds a non-approver’s ticket where approval is mandatory: no task, no queue, no count, until an approver approves it', async () => {
    const { tenant, caretaker, approver, filer } = await company('mandatory');
    const form = await (await signedInAgent(env.app, tenant, filer.login)).get(`/${tenant.slug}/portal/tickets/new`);
    expect(form.text).toContain('data-testid="approval-mandatory"');
    const { agent: filerAgent, response, id } = await fileInPortal(tenant, filer);
    expect(await ticketRow(tenant, id)).toMatchObject({ status: 'awaiting_approval', assignee_id: null });
    const filed = await filerAgent.get(response.headers.location!);
    expect(filed.text).toContain('Zgłoszenie zostało przyjęte i czeka na akceptację osoby z Twojej firmy.');
    expect(filed.text).toContain('Czeka na akceptację');
    expect(filed.text).not.toContain('data-testid="approve-ticket"');

    // Staff do not get it: not in the caretaker's tasks, the queue or the menu's count; its page is not found.
    const caretakerAgent = await signedInAgent(env.app, tenant, caretaker.login);
    expect((await caretakerAgent.get(`/${tenant.slug}/staff/tasks`)).text).not.toContain('Nie działa drukarka');
    expect((await caretakerAgent.get(`/${tenant.slug}/staff/queue`)).text).not.toContain('Nie działa drukarka');
    expect((await caretakerAgent.get(`/${tenant.slug}/staff/tasks`)).text).not.toContain('data-testid="nav-count"');
    expect((await caretakerAgent.get(`/${tenant.slug}/staff/tickets/${id}`)).status).toBe(404);

    // The approver has it in "To approve", with the count in the menu, and decides on its page.
    const approverAgent = await signedInAgent(env.app, tenant, approver.login);
    const list = await approverAgent.get(`/${tenant.slug}/portal/approvals`);
    expect(list.status).toBe(200);
    expect(list.text).toContain('Do akceptacji');
    expect(list.text).toMatch(/data-testid="nav-count" aria-hidden="true">1</);
    expect(list.text).toContain('Jan Kowalski');
    const page = await approverAgent.get(`/${tenant.slug}/portal/tickets/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-testid="approve-ticket"');
    const approved = await post(approverAgent, tenant, `/portal/tickets/${id}`, `/portal/tickets/${id}/approval`);
    expect(approved.status).toBe(303);
    expect(approved.headers.location).toBe(`/${tenant.slug}/portal/approvals`);
    expect(await ticketRow(tenant, id)).toMatchObject({ status: 'new', assignee_id: caretaker.id });
    const emptied = await approverAgent.get(approved.headers.location!);
    expect(emptied.text).toContain('Zgłoszenie zostało zaakceptowane i przekazane dostawcy.');
    expect(emptied.text).toContain('data-testid="approvals-empty"');

    // Now it is the caretaker's task, and its history says who approved it.
    const tasks = await caretakerAgent.get(`/${tenant.slug}/staff/tasks`);
    expect(tasks.text).toContain('Nie działa drukarka');
    const history = (await caretakerAgent.get(`/${tenant.slug}/staff/tickets/${id}`)).text;
    expect(history).toContain('Zaakceptowano zgłoszenie (Anna Nowak)');
    expect(await auditOf(tenant, 'ticket.approved')).toEqual([expect.objectContaining({ actor_id: approver.id, subject_id: id })]);

    // The approval sent again (a double click) changes nothing more.
    expect((await post(approverAgent, tenant, `/portal/tickets/${id}`, `/portal/tickets/${id}/approval`)).status).toBe(303);
    expect(await env.db('ticket_events').where({ tenant_id: tenant.id, ticket_id: id, kind: 'approval' })).toHaveLength(1);
  });

  it('never holds an approver’s own ticket, nor one staff file on the customer’s behalf', async () => {
    const { tenant, caretaker, customer, approver } = await company('mandatory');
    const { agent, id } = await fileInPortal(tenant, approver);
    expect(await ticketRow(tenant, id)).toMatchObject({ status: 'new', assignee_id: caretaker.id });
    expect((await agent.get(`/${tenant.slug}/portal/tickets/new`)).text).not.toContain('data-testid="approval-mandatory"');
    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    const token = await csrfTokenFrom(staff, `/${tenant.slug}/staff/customers/${customer.id}/tickets/new`);
    const filed = await staff.post(`/${tenant.slug}/staff/customers/${customer.id}/tickets`).type('form').send({ _csrf: token, categoryId: String(await categoryId(env.db, tenant)), title: 'Telefon', description: 'x' });
    expect(await ticketRow(tenant, ticketIdFrom(filed.headers.location))).toMatchObject({ status: 'new' });
  });

  it('lets the filer choose where approval is optional', async () => {
    const { tenant, approver, filer } = await company('optional');
    const { agent, id: direct } = await fileInPortal(tenant, filer);
    expect((await ticketRow(tenant, direct)).status).toBe('new');
    expect((await agent.get(`/${tenant.slug}/portal/tickets/new`)).text).toContain('name="isApprovalAsked"');
    const { id: asked } = await fileInPortal(tenant, filer, { isApprovalAsked: 'on' });
    expect(await ticketRow(tenant, asked)).toMatchObject({ status: 'awaiting_approval', assignee_id: null });
    // An approver is not offered the choice: their own tickets never wait.
    const approverAgent = await signedInAgent(env.app, tenant, approver.login);
    expect((await approverAgent.get(`/${tenant.slug}/portal/tickets/new`)).text).not.toContain('name="isApprovalAsked"');
    const { id: own } = await fileInPortal(tenant, approver, { isApprovalAsked: 'on' });
    expect((await ticketRow(tenant, own)).status).toBe('new');
  });

  it('takes the tenant’s mode for a customer without its own, and the customer’s own over the tenant’s', async () => {
    const { tenant, customer, filer } = await company('mandatory', 'tenant');
    const { id: held } = await fileInPortal(tenant, filer);
    expect((await ticketRow(tenant, held)).status).toBe('awaiting_approval');
    await saveSettings(scopeFor(env.db, tenant), 'customer', customer.id, { 'tickets.approval': 'off' });
    const { id: direct } = await fileInPortal(tenant, filer);
    expect((await ticketRow(tenant, direct)).status).toBe('new');
  });

  it('refuses approval by a client who is not an approver with 403, even one who sees the ticket', async () => {
    const { tenant, customer, filer } = await company('mandatory');
    const { agent: filerAgent, id } = await fileInPortal(tenant, filer);
    const primary = await makeUser(env.db, tenant, 'client', { customer });
    await env.db('users').where({ tenant_id: tenant.id, id: primary.id }).update({ is_primary_contact: true });
    const primaryAgent = await signedInAgent(env.app, tenant, primary.login);
    expect((await primaryAgent.get(`/${tenant.slug}/portal/tickets/${id}`)).status).toBe(200);
    expect((await post(primaryAgent, tenant, `/portal/tickets/${id}`, `/portal/tickets/${id}/approval`)).status).toBe(403);
    expect((await post(filerAgent, tenant, `/portal/tickets/${id}`, `/portal/tickets/${id}/approval`)).status).toBe(403);
    expect((await post(filerAgent, tenant, `/portal/tickets/${id}`, `/portal/tickets/${id}/rejection`, { reason: 'Nie' })).status).toBe(403);
    // Their list of what waits says who decides, and no menu entry leads there.
    const waiting = await primaryAgent.get(`/${tenant.slug}/portal/approvals`);
    expect(waiting.status).toBe(200);
    expect(waiting.text).toContain('Zgłoszenia czekające na akceptację');
    expect(waiting.text).toContain('Nie działa drukarka');
    expect((await primaryAgent.get(`/${tenant.slug}/portal/tickets`)).text).not.toContain('Do akceptacji');
    expect((await ticketRow(tenant, id)).status).toBe('awaiting_approval');
    expect(await env.db('ticket_events').where({ tenant_id: tenant.id, ticket_id: id, kind: 'approval' })).toHaveLength(0);
  });

  it('hides the ticket from another customer’s approver with a 404, the same as a missing one', async () => {
    const { tenant, filer } = await company('mandatory');
    const { id } = await fileInPortal(tenant, filer);
    const otherCustomer: Customer = await makeCustomer(env.db, tenant);
    const stranger = await makeUser(env.db, tenant, 'client', { customer: otherCustomer });
    await env.db('users').where({ tenant_id: tenant.id, id: stranger.id }).update({ is_approver: true });
    const agent = await signedInAgent(env.app, tenant, stranger.login);
    expect((await agent.get(`/${tenant.slug}/portal/tickets/${id}`)).status).toBe(404);
    expect((await post(agent, tenant, '/portal/tickets', `/portal/tickets/${id}/approval`)).status).toBe(404);
    expect((await agent.get(`/${tenant.slug}/portal/approvals`)).text).not.toContain('Nie działa drukarka');
    expect((await ticketRow(tenant, id)).status).toBe('awaiting_approval');
  });

  it('needs a reason to reject (422, nothing written), then closes the ticket with the reason its filer reads', async () => {
    const { tenant, approver, filer } = await company('mandatory');
    const { agent: filerAgent, id } = await fileInPortal(tenant, filer);
    const approverAgent = await signedInAgent(env.app, tenant, approver.login);
    const refused = await post(approverAgent, tenant, `/portal/tickets/${id}`, `/portal/tickets/${id}/rejection`, { reason: '   ' });
    expect(refused.status).toBe(422);
    expect(fieldErrorOf(refused.text, 'reason')).toBe('Podaj powód odrzucenia zgłoszenia.');
    expect((await ticketRow(tenant, id)).status).toBe('awaiting_approval');
    expect(await auditOf(tenant, 'ticket.rejected')).toEqual([]);

    const rejected = await post(approverAgent, tenant, `/portal/tickets/${id}`, `/portal/tickets/${id}/rejection`, { reason: 'Drukarkę wymieniamy w przyszłym tygodniu.' });
    expect(rejected.status).toBe(303);
    expect(await ticketRow(tenant, id)).toMatchObject({ status: 'rejected', assignee_id: null });
    const seen = await filerAgent.get(`/${tenant.slug}/portal/tickets/${id}`);
    expect(seen.text).toContain('Odrzucone');
    expect(seen.text).toContain('Odrzucono zgłoszenie (Anna Nowak): <em>Drukarkę wymieniamy w przyszłym tygodniu.</em>');
    const [entry] = await auditOf(tenant, 'ticket.rejected');
    expect(entry).toMatchObject({ actor_id: approver.id, subject_id: id });
    expect(String(entry!.details)).not.toContain('Drukarkę');
    // Approving it afterwards is a conflict: it was decided.
    expect((await post(approverAgent, tenant, `/portal/tickets/${id}`, `/portal/tickets/${id}/approval`)).status).toBe(409);
  });

  it('shows a ticket awaiting approval to admins only, who may approve it on the customer’s behalf, as recorded', async () => {
    const { tenant, caretaker, filer } = await company('mandatory');
    const { agent: filerAgent, id } = await fileInPortal(tenant, filer);
    const admin = await makeUser(env.db, tenant, 'admin', { firstName: 'Adam', lastName: 'Admin' });
    const adminAgent = await signedInAgent(env.app, tenant, admin.login);
    const allTasks = await adminAgent.get(`/${tenant.slug}/admin/tasks`);
    expect(allTasks.text).not.toContain('Nie działa drukarka');
    expect(allTasks.text).toContain(`href="/${tenant.slug}/admin/tasks?status=awaiting_approval" data-testid="awaiting-approval-list"`);
    expect((await adminAgent.get(`/${tenant.slug}/admin/tasks?status=awaiting_approval`)).text).toContain('Nie działa drukarka');
    expect((await adminAgent.get(`/${tenant.slug}/staff/queue`)).text).not.toContain('Nie działa drukarka');
    const page = await adminAgent.get(`/${tenant.slug}/staff/tickets/${id}`);
    expect(page.text).toContain('Zaakceptuj w imieniu klienta');
    expect(page.text).not.toContain('data-testid="status-form"');
    expect(page.text).not.toContain('data-testid="take-ticket"');
    // Nobody works or assigns it before the decision.
    expect((await post(adminAgent, tenant, `/staff/tickets/${id}`, `/staff/tickets/${id}/assignment`, { assigneeId: String(caretaker.id) })).status).toBe(403);
    const caretakerAgent = await signedInAgent(env.app, tenant, caretaker.login);
    expect((await post(caretakerAgent, tenant, '/staff/tasks', `/staff/tickets/${id}/approval`)).status).toBe(404);

    const approved = await post(adminAgent, tenant, `/staff/tickets/${id}`, `/staff/tickets/${id}/approval`);
    expect(approved.status).toBe(303);
    expect(await ticketRow(tenant, id)).toMatchObject({ status: 'new', assignee_id: caretaker.id });
    const [entry] = await auditOf(tenant, 'ticket.approved');
    expect(entry).toMatchObject({ actor_id: admin.id, subject_id: id });
    expect(JSON.parse(String(entry!.details))).toMatchObject({ isOnBehalf: true, assigneeId: caretaker.id });
    expect((await filerAgent.get(`/${tenant.slug}/portal/tickets/${id}`)).text).toContain('Zaakceptowano zgłoszenie w imieniu klienta (Adam Admin)');
    expect((await caretakerAgent.get(`/${tenant.slug}/staff/tasks`)).text).toContain('Nie działa drukarka');
  });

  it('decides once when two approvers answer at the same moment: one decision, one routing, the other told', async () => {
    const { tenant, customer, approver, filer } = await company('mandatory');
    const { id } = await fileInPortal(tenant, filer);
    const second = await makeUser(env.db, tenant, 'client', { customer });
    await env.db('users').where({ tenant_id: tenant.id, id: second.id }).update({ is_approver: true });
    const agents = [await signedInAgent(env.app, tenant, approver.login), await signedInAgent(env.app, tenant, second.login)];
    const tokens = await Promise.all(agents.map((agent) => csrfTokenFrom(agent, `/${tenant.slug}/portal/tickets/${id}`)));
    const [approval, rejection] = await Promise.all([
      agents[0]!.post(`/${tenant.slug}/portal/tickets/${id}/approval`).type('form').send({ _csrf: tokens[0] }),
      agents[1]!.post(`/${tenant.slug}/portal/tickets/${id}/rejection`).type('form').send({ _csrf: tokens[1], reason: 'Niepotrzebne.' }),
    ]);
    expect([approval.status, rejection.status].sort()).toEqual([303, 409]);
    const decisions = await env.db('ticket_events').where({ tenant_id: tenant.id, ticket_id: id, kind: 'approval' });
    expect(decisions).toHaveLength(1);
    expect((await ticketRow(tenant, id)).status).toBe(decisions[0].to_value === 'approved' ? 'new' : 'rejected');
    expect(await env.db('audit_log').where({ tenant_id: tenant.id }).whereIn('action', ['ticket.approved', 'ticket.rejected'])).toHaveLength(1);
  });

  it('lets an admin reject on the customer’s behalf, with a reason (422 without one)', async () => {
    const { tenant, filer } = await company('mandatory');
    const { id } = await fileInPortal(tenant, filer);
    const admin = await makeUser(env.db, tenant, 'admin');
    const adminAgent = await signedInAgent(env.app, tenant, admin.login);
    const refused = await post(adminAgent, tenant, `/staff/tickets/${id}`, `/staff/tickets/${id}/rejection`, { reason: '' });
    expect(refused.status).toBe(422);
    expect(fieldErrorOf(refused.text, 'reason')).toBe('Podaj powód odrzucenia zgłoszenia.');
    const rejected = await post(adminAgent, tenant, `/staff/tickets/${id}`, `/staff/tickets/${id}/rejection`, { reason: 'Duplikat zgłoszenia 2026/000001.' });
    expect(rejected.status).toBe(303);
    expect((await ticketRow(tenant, id)).status).toBe('rejected');
    expect((await adminAgent.get(rejected.headers.location!)).text).toContain('Odrzucono zgłoszenie w imieniu klienta');
  });
});
