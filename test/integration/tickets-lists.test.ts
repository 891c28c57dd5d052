import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser } from '../support/factories.js';
import { signedInAgent } from '../support/http.js';
import { categoryId, makeTicket } from '../support/tickets.js';
import { calendarDateIn, nextCalendarDate } from '../../src/lib/time.js';

const rowIdsOf = (html: string) => [...html.matchAll(/data-ticket-id="(\d+)"/g)].map((match) => Number(match[1]));
const today = () => calendarDateIn(new Date(), 'Europe/Warsaw');
const daysFrom = (day: string, count: number) => {
  let result = day;
  for (let index = 0; index < count; index += 1) result = nextCalendarDate(result);
  return result;
};

describeOnEachDatabase('the client’s ticket list', (env) => {
  it('shows a primary contact every ticket of the company and another contact only their own, with status, due date and handler', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Karolina', lastName: 'Zielińska' });
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const primary = await makeUser(env.db, tenant, 'client', { customer });
    await env.db('users').where('id', primary.id).update({ is_primary_contact: true });
    const colleague = await makeUser(env.db, tenant, 'client', { customer });
    const own = await makeTicket(env.db, tenant, colleague, { title: 'Zgłoszenie współpracownika' });
    const primarys = await makeTicket(env.db, tenant, primary, { title: 'Zgłoszenie kontaktu głównego' });
    await env.db('tickets').where('id', own.id).update({ due_date: '2031-12-01' });
    const stranger = await makeTicket(env.db, tenant, await makeUser(env.db, tenant, 'client'), { title: 'Obca firma' });
    const primaryList = (await (await signedInAgent(env.app, tenant, primary.login)).get(`/${tenant.slug}/portal/tickets`)).text;
    expect(rowIdsOf(primaryList).sort()).toEqual([own.id, primarys.id].sort());
    expect(primaryList).toContain('Karolina Zielińska');
    expect(primaryList).toContain('1.12.2031');
    const colleagueAgent = await signedInAgent(env.app, tenant, colleague.login);
    expect(rowIdsOf((await colleagueAgent.get(`/${tenant.slug}/portal/tickets`)).text)).toEqual([own.id]);
    expect((await colleagueAgent.get(`/${tenant.slug}/portal/tickets/${primarys.id}`)).status).toBe(404);
    expect((await colleagueAgent.get(`/${tenant.slug}/portal/tickets/${stranger.id}`)).status).toBe(404);
  });

  it('pages the list on the server and says so when there is nothing yet', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    expect((await agent.get(`/${tenant.slug}/portal/tickets`)).text).toContain('data-testid="tickets-empty"');
    for (let index = 0; index < 21; index += 1) await makeTicket(env.db, tenant, client, { title: `Zgłoszenie ${index}` });
    const first = await agent.get(`/${tenant.slug}/portal/tickets`);
    expect(rowIdsOf(first.text)).toHaveLength(20);
    expect(first.text).toContain('rel="next"');
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/portal/tickets?page=2`)).text)).toHaveLength(1);
  });
});

describeOnEachDatabase('the staff’s task lists', (env) => {
  it('lists my tasks, the queue and (for admins) all tasks, each with what belongs there', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const mine = await makeTicket(env.db, tenant, await makeUser(env.db, tenant, 'client', { customer: await makeCustomer(env.db, tenant, { caretaker }) }));
    const queued = await makeTicket(env.db, tenant, await makeUser(env.db, tenant, 'client'));
    const other = await makeUser(env.db, tenant, 'caretaker');
    const theirs = await makeTicket(env.db, tenant, await makeUser(env.db, tenant, 'client', { customer: await makeCustomer(env.db, tenant, { caretaker: other }) }));
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/staff/tasks`)).text)).toEqual([mine.id]);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/staff/queue`)).text)).toEqual([queued.id]);
    expect((await agent.get(`/${tenant.slug}/admin/tasks`)).status).toBe(403);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    expect(rowIdsOf((await admin.get(`/${tenant.slug}/admin/tasks`)).text).sort()).toEqual([mine.id, queued.id, theirs.id].sort());
    expect(rowIdsOf((await admin.get(`/${tenant.slug}/admin/tasks?caretaker=${other.id}`)).text)).toEqual([theirs.id]);
    expect(rowIdsOf((await admin.get(`/${tenant.slug}/admin/tasks?caretaker=none`)).text)).toEqual([queued.id]);
    await env.db('tickets').where('id', theirs.id).update({ due_date: '2026-01-02' });
    const allTasks = await admin.get(`/${tenant.slug}/admin/tasks`);
    expect(allTasks.text).toContain(`href="/${tenant.slug}/admin/tasks?due=overdue"`);
    expect(rowIdsOf((await admin.get(`/${tenant.slug}/admin/tasks?due=overdue`)).text)).toEqual([theirs.id]);
  });

  it('marks overdue tasks, filters overdue and due this week, and counts my open and overdue tasks in the menu', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const late = await makeTicket(env.db, tenant, client, { title: 'Spóźnione' });
    const soon = await makeTicket(env.db, tenant, client, { title: 'Na dziś' });
    const later = await makeTicket(env.db, tenant, client, { title: 'Za miesiąc' });
    const done = await makeTicket(env.db, tenant, client, { title: 'Zrobione' });
    await env.db('tickets').where('id', late.id).update({ due_date: daysFrom('2026-01-01', 0) });
    await env.db('tickets').where('id', soon.id).update({ due_date: today() });
    await env.db('tickets').where('id', later.id).update({ due_date: daysFrom(today(), 40) });
    await env.db('tickets').where('id', done.id).update({ due_date: '2026-01-01', status: 'resolved' });
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const list = await agent.get(`/${tenant.slug}/staff/tasks`);
    expect(rowIdsOf(list.text)).toEqual([late.id, soon.id, later.id]);
    expect(list.text.match(/class="is-overdue"/g)).toHaveLength(1);
    expect(list.text).toMatch(/data-testid="nav-count"[^>]*>3</);
    expect(list.text).toMatch(/data-testid="nav-overdue"[^>]*>1</);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/staff/tasks?due=overdue`)).text)).toEqual([late.id]);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/staff/tasks?due=week`)).text)).toEqual([soon.id]);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/staff/tasks?status=resolved`)).text)).toEqual([done.id]);
  });

  it('filters by text in the title in any letter case, by customer and category, sorts and pages', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const alfa = await makeCustomer(env.db, tenant, { caretaker });
    const beta = await makeCustomer(env.db, tenant, { caretaker });
    const alfaClient = await makeUser(env.db, tenant, 'client', { customer: alfa });
    const printer = await makeTicket(env.db, tenant, alfaClient, { title: 'ŁĄCZE nie działa' });
    const question = await makeTicket(env.db, tenant, await makeUser(env.db, tenant, 'client', { customer: beta }), { title: 'Pytanie o fakturę', categoryId: await categoryId(env.db, tenant, 'question') });
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/staff/tasks?q=${encodeURIComponent('łącze')}`)).text)).toEqual([printer.id]);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/staff/tasks?customer=${beta.id}`)).text)).toEqual([question.id]);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/staff/tasks?category=${await categoryId(env.db, tenant, 'question')}`)).text)).toEqual([question.id]);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/staff/tasks?sort=created-asc`)).text)).toEqual([printer.id, question.id]);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/staff/tasks?sort=created-desc`)).text)).toEqual([question.id, printer.id]);
    for (let index = 0; index < 26; index += 1) await makeTicket(env.db, tenant, alfaClient, { title: `Seria ${index}` });
    const first = await agent.get(`/${tenant.slug}/staff/tasks?q=seria`);
    expect(rowIdsOf(first.text)).toHaveLength(25);
    expect(first.text).toContain('rel="next"');
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/staff/tasks?q=seria&page=2`)).text)).toHaveLength(1);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/staff/tasks?page=2`)).text)).toHaveLength(3);
  });

  it('reads a page of tasks in a fixed number of queries, whatever the number of tickets', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const client = await makeUser(env.db, tenant, 'client', { customer: await makeCustomer(env.db, tenant, { caretaker }) });
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const countQueries = async () => {
      let count = 0;
      const listener = (query: { sql: string }) => {
        if (/from [`"]?tickets[`"]?/i.test(query.sql)) count += 1;
      };
      env.db.on('query', listener);
      await agent.get(`/${tenant.slug}/staff/tasks`);
      env.db.off('query', listener);
      return count;
    };
    await makeTicket(env.db, tenant, client);
    const withOne = await countQueries();
    for (let index = 0; index < 10; index += 1) await makeTicket(env.db, tenant, client);
    expect(await countQueries()).toBe(withOne);
    expect(withOne).toBeLessThanOrEqual(3);
  });
});
