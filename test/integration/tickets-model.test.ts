import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { NotFoundError } from '../../src/lib/errors.js';
import { saveSettings } from '../../src/models/settings.js';
import { fileTicket, findTicket } from '../../src/models/ticket.js';
import { takeTicket } from '../../src/models/ticket-workflow.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, userScope } from '../support/factories.js';
import { categoryId, makeTicket } from '../support/tickets.js';
import { statementsDuring } from '../support/apps.js';
import { signedInAgent } from '../support/http.js';

describeOnEachDatabase('tickets: numbers, routing and who sees them', (env) => {
  /** A customer's primary contact (A12) and a colleague of the same customer, with a ticket filed by each. */
  async function primaryContactAndColleague() {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant);
    const primary = await makeUser(env.db, tenant, 'client', { customer });
    await env.db('users').where('id', primary.id).update({ is_primary_contact: true });
    const colleague = await makeUser(env.db, tenant, 'client', { customer });
    const colleaguesTicket = await makeTicket(env.db, tenant, colleague);
    const primarysTicket = await makeTicket(env.db, tenant, primary);
    return { tenant, primary, colleague, colleaguesTicket, primarysTicket };
  }

  it('gives every new tenant the five categories of the issue, in Polish and English', async () => {
    const tenant = await makeTenant(env.db);
    const rows = await env.db('ticket_categories').where('tenant_id', tenant.id).orderBy('position');
    expect(rows.map((row) => row.code)).toEqual(['service_order', 'meeting', 'failure', 'question', 'message']);
    expect(rows.map((row) => row.name_pl)).toContain('Zgłoszenie awarii');
  });

  it('numbers tickets per tenant and year from 1, as 2026/000001', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const first = await makeTicket(env.db, tenant, client);
    const second = await makeTicket(env.db, tenant, client);
    const elsewhere = await makeTicket(env.db, other, await makeUser(env.db, other, 'client'));
    expect(first.number).toMatch(/^20\d\d\/000001$/);
    expect(second.number.endsWith('/000002')).toBe(true);
    expect(elsewhere.number.endsWith('/000001')).toBe(true);
  });

  it('gives ten tickets filed at the same moment ten different numbers', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const tickets = await Promise.all(Array.from({ length: 10 }, () => makeTicket(env.db, tenant, client)));
    expect(new Set(tickets.map((ticket) => ticket.number)).size).toBe(10);
  });

  it('makes the ticket a task of the customer’s caretaker, with the history and the audit entry', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const ticket = await makeTicket(env.db, tenant, client);
    expect(ticket).toMatchObject({ status: 'new', priority: 'normal', assigneeId: caretaker.id, filedBy: client.id, source: 'portal' });
    const events = await env.db('ticket_events').where({ tenant_id: tenant.id, ticket_id: ticket.id }).orderBy('id');
    expect(events.map((event) => [event.kind, event.to_value, event.actor_id])).toEqual([
      ['filed', 'new', client.id],
      ['assignee', String(caretaker.id), client.id],
    ]);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'ticket.filed', subject_id: ticket.id })).toHaveLength(1);
  });

  it('sends the ticket of a customer without a caretaker to the unassigned queue', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    expect((await makeTicket(env.db, tenant, client)).assigneeId).toBeNull();
  });

  it('files one ticket when the same form is sent twice, at once', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const submissionKey = randomUUID();
    const [one, two] = await Promise.all([makeTicket(env.db, tenant, client, { submissionKey }), makeTicket(env.db, tenant, client, { submissionKey })]);
    expect(one.id).toBe(two.id);
    expect(await env.db('tickets').where('tenant_id', tenant.id)).toHaveLength(1);
  });

  it('refuses a category of another tenant, and a customer out of the filer’s reach', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const base = { customerId: client.customerId!, title: 'x', description: 'y', preferredDate: null, preferredTime: null, source: 'portal' as const };
    await expect(fileTicket(userScope(env.db, client), { ...base, categoryId: await categoryId(env.db, other) })).rejects.toMatchObject({ fieldErrors: { categoryId: 'tickets:errors.category' } });
    const stranger = await makeCustomer(env.db, tenant);
    await expect(fileTicket(userScope(env.db, client), { ...base, customerId: stranger.id, categoryId: await categoryId(env.db, tenant) })).rejects.toBeInstanceOf(NotFoundError);
    expect(await env.db('tickets').where('tenant_id', tenant.id)).toHaveLength(0);
  });

  it('shows a primary contact all tickets of the customer and another contact only their own', async () => {
    const { primary, colleague, colleaguesTicket: own, primarysTicket: colleaguesOther } = await primaryContactAndColleague();
    expect((await findTicket(userScope(env.db, primary), own.id)).id).toBe(own.id);
    await expect(findTicket(userScope(env.db, colleague), colleaguesOther.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await findTicket(userScope(env.db, colleague), own.id)).id).toBe(own.id);
  });

  it('decides a primary contact’s reach from the account read this request, without asking the database again, and follows a change at once', async () => {
    const { tenant, primary, colleague, colleaguesTicket, primarysTicket } = await primaryContactAndColleague();
    const agent = await signedInAgent(env.app, tenant, primary.login);
    const colleagueAgent = await signedInAgent(env.app, tenant, colleague.login);
    const page = (ticket: { id: number }) => `/${tenant.slug}/portal/tickets/${ticket.id}`;
    const statements = await statementsDuring(env.db, async () => {
      expect((await agent.get(page(colleaguesTicket))).status).toBe(200);
    });
    // The ticket's statement asks nothing about the account: the flag came with the account's own row.
    expect(statements.filter((sql) => /from [`"]?tickets[`"]?/i.test(sql) && /is_primary_contact/i.test(sql))).toEqual([]);
    expect((await colleagueAgent.get(page(primarysTicket))).status).toBe(404);
    expect((await colleagueAgent.get(page(colleaguesTicket))).status).toBe(200);
    // No longer the primary contact: the next page already shows only the account's own tickets.
    await env.db('users').where('id', primary.id).update({ is_primary_contact: false });
    expect((await agent.get(page(colleaguesTicket))).status).toBe(404);
    expect((await agent.get(page(primarysTicket))).status).toBe(200);
  });

  it('applies the customer’s visibility of tickets: only those filed in the portal, or those since a day', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    await env.db('users').where('id', client.id).update({ is_primary_contact: true });
    const byPhone = await makeTicket(env.db, tenant, caretaker, { customer });
    const inPortal = await makeTicket(env.db, tenant, client);
    await saveSettings(scopeFor(env.db, tenant), 'customer', customer.id, { 'tickets.visibility': 'portal' });
    await expect(findTicket(userScope(env.db, client), byPhone.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await findTicket(userScope(env.db, client), inPortal.id)).id).toBe(inPortal.id);
    await saveSettings(scopeFor(env.db, tenant), 'customer', customer.id, { 'tickets.visibility': 'since', 'tickets.visible_since': '2999-01-01' });
    await expect(findTicket(userScope(env.db, client), inPortal.id)).rejects.toBeInstanceOf(NotFoundError);
    await saveSettings(scopeFor(env.db, tenant), 'customer', customer.id, { 'tickets.visible_since': '2000-01-01' });
    expect((await findTicket(userScope(env.db, client), byPhone.id)).id).toBe(byPhone.id);
  });

  it('shows a caretaker their customers’ tickets and the queue, not another caretaker’s tasks', async () => {
    const tenant = await makeTenant(env.db);
    const mine = await makeUser(env.db, tenant, 'caretaker');
    const theirs = await makeUser(env.db, tenant, 'caretaker');
    const myCustomer = await makeCustomer(env.db, tenant, { caretaker: mine });
    const theirCustomer = await makeCustomer(env.db, tenant, { caretaker: theirs });
    const orphan = await makeCustomer(env.db, tenant);
    const admin = await makeUser(env.db, tenant, 'admin');
    const myTicket = await makeTicket(env.db, tenant, admin, { customer: myCustomer });
    const theirTicket = await makeTicket(env.db, tenant, admin, { customer: theirCustomer });
    const queued = await makeTicket(env.db, tenant, admin, { customer: orphan });
    const scope = userScope(env.db, mine);
    expect((await findTicket(scope, myTicket.id)).id).toBe(myTicket.id);
    expect((await findTicket(scope, queued.id)).id).toBe(queued.id);
    await expect(findTicket(scope, theirTicket.id)).rejects.toBeInstanceOf(NotFoundError);
    const otherTenantAdmin = await makeUser(env.db, await makeTenant(env.db), 'admin');
    await expect(findTicket(userScope(env.db, otherTenantAdmin), myTicket.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('gives a queued ticket to one of two caretakers taking it at the same moment', async () => {
    const tenant = await makeTenant(env.db);
    const ticket = await makeTicket(env.db, tenant, await makeUser(env.db, tenant, 'client'));
    const [first, second] = [await makeUser(env.db, tenant, 'caretaker'), await makeUser(env.db, tenant, 'caretaker')];
    const outcomes = await Promise.allSettled([takeTicket(userScope(env.db, first), ticket.id), takeTicket(userScope(env.db, second), ticket.id)]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const winner = outcomes[0]!.status === 'fulfilled' ? first : second;
    expect((await findTicket(scopeFor(env.db, tenant), ticket.id)).assigneeId).toBe(winner.id);
    expect(await env.db('ticket_events').where({ tenant_id: tenant.id, ticket_id: ticket.id, kind: 'assignee' })).toHaveLength(1);
  });
});
