import { expect, it } from 'vitest';
import { calendarDateIn, nextCalendarDate, toDatabaseTime } from '../../src/lib/time.js';
import type { TestTenant } from '../support/factories.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser } from '../support/factories.js';
import { signedInAgent, type Agent } from '../support/http.js';
import { makeTicket } from '../support/tickets.js';
import type { Ticket } from '../../src/models/ticket.js';

/** The part of a page inside one section (data-testid="section-…"), up to the section's end. */
function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`data-testid="section-${id}"`);
  if (start < 0) throw new Error(`no section ${id} on the page`);
  return html.slice(start, html.indexOf('</section>', start));
}

/** The ids of the tickets a section lists, in its order. */
const ticketIdsIn = (section: string) => [...section.matchAll(/data-testid="[\w-]+-(?:ticket|task)-(\d+)"/g)].map((match) => Number(match[1]));
const totalOf = (section: string, id: string) => new RegExp(`data-testid="${id}-total">(\\d+)<`).exec(section)?.[1];
const today = () => calendarDateIn(new Date(), 'Europe/Warsaw');
const daysFromToday = (count: number) => {
  let day = today();
  for (let index = 0; index < count; index += 1) day = nextCalendarDate(day);
  return day;
};

describeOnEachDatabase('the ticket sections of the start pages (T5)', (env) => {
  /** The statements one GET runs (after a warm-up request, as bench:queries counts them). */
  async function statementsOf(agent: Agent, url: string): Promise<number> {
    await agent.get(url);
    let count = 0;
    const listener = () => {
      count += 1;
    };
    env.db.on('query', listener);
    const response = await agent.get(url);
    env.db.off('query', listener);
    expect(response.status).toBe(200);
    return count;
  }

  async function clientWorld() {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Karolina', lastName: 'Zielińska' });
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    await env.db('users').where('id', client.id).update({ is_primary_contact: true });
    return { tenant, caretaker, customer, client };
  }

  const setTicket = (id: number, values: Record<string, unknown>) => env.db('tickets').where('id', id).update(values);

  it('tells a client with no tickets how to file one, and that nothing waits for their reply', async () => {
    const { tenant, client } = await clientWorld();
    const page = (await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal`)).text;
    const open = sectionOf(page, 'open-tickets');
    expect(open).toContain('Otwarte zgłoszenia');
    expect(open).toContain('data-testid="open-tickets-empty"');
    expect(open).toContain('Nie ma otwartych zgłoszeń. Aby zgłosić awarię');
    expect(open).toContain(`href="/${tenant.slug}/portal/tickets/new"`);
    const waiting = sectionOf(page, 'waiting-tickets');
    expect(waiting).toContain('Żadne zgłoszenie nie czeka na Twoją odpowiedź');
    expect(totalOf(waiting, 'waiting-tickets')).toBe('0');
  });

  it('shows a client the latest five open tickets with status and handler, and those waiting for their reply', async () => {
    const { tenant, client, customer } = await clientWorld();
    const tickets: Ticket[] = [];
    for (let index = 0; index < 6; index += 1) tickets.push(await makeTicket(env.db, tenant, client, { title: `Zgłoszenie numer ${index}` }));
    const finished = await makeTicket(env.db, tenant, client, { title: 'Już rozwiązane' });
    await setTicket(finished.id, { status: 'resolved' });
    const base = Date.parse('2026-11-01T10:00:00Z');
    for (const [index, ticket] of tickets.entries()) await setTicket(ticket.id, { updated_at: toDatabaseTime(new Date(base + index * 60_000)) });
    await setTicket(tickets[1]!.id, { status: 'waiting_for_customer', due_date: daysFromToday(3) });
    const stranger = await makeTicket(env.db, tenant, await makeUser(env.db, tenant, 'client'), { title: 'Obca firma czeka' });
    await setTicket(stranger.id, { status: 'waiting_for_customer' });
    const colleague = await makeUser(env.db, tenant, 'client', { customer });

    const page = (await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal`)).text;
    const open = sectionOf(page, 'open-tickets');
    expect(ticketIdsIn(open)).toEqual([5, 4, 3, 2, 1].map((index) => tickets[index]!.id));
    expect(totalOf(open, 'open-tickets')).toBe('6');
    expect(open).toContain('Karolina Zielińska');
    expect(open).toContain('Czeka na klienta');
    expect(open).toContain(tickets[5]!.number);
    expect(open).toContain('jeszcze 1 otwarte');
    expect(open).toContain(`href="/${tenant.slug}/portal/tickets"`);
    expect(open).not.toContain('Już rozwiązane');
    const waiting = sectionOf(page, 'waiting-tickets');
    expect(ticketIdsIn(waiting)).toEqual([tickets[1]!.id]);
    expect(waiting).toContain(`href="/${tenant.slug}/portal/tickets/${tickets[1]!.id}"`);
    expect(waiting).toContain(`href="/${tenant.slug}/portal/tickets"`);
    expect(waiting).toMatch(/termin \d{1,2}\.\d{1,2}\.\d{4}/);
    expect(page).not.toContain('Obca firma');

    // A contact who is not the primary one sees only their own tickets here too (A12).
    const colleaguePage = (await (await signedInAgent(env.app, tenant, colleague.login)).get(`/${tenant.slug}/portal`)).text;
    expect(ticketIdsIn(sectionOf(colleaguePage, 'open-tickets'))).toEqual([]);
  });

  it('shows a caretaker their open tasks soonest due first, and their overdue ones, never another caretaker’s', async () => {
    const { tenant, caretaker, client } = await clientWorld();
    const later = await makeTicket(env.db, tenant, client, { title: 'Przegląd za tydzień' });
    const late = await makeTicket(env.db, tenant, client, { title: 'Spóźniony serwis' });
    const undated = await makeTicket(env.db, tenant, client, { title: 'Bez terminu' });
    const done = await makeTicket(env.db, tenant, client, { title: 'Zamknięte dawno' });
    await setTicket(later.id, { due_date: daysFromToday(7) });
    await setTicket(late.id, { due_date: '2026-01-02', status: 'in_progress' });
    await setTicket(done.id, { due_date: '2026-01-02', status: 'closed' });
    const other = await makeUser(env.db, tenant, 'caretaker');
    const othersLate = await makeTicket(env.db, tenant, await makeUser(env.db, tenant, 'client', { customer: await makeCustomer(env.db, tenant, { caretaker: other }) }), { title: 'Cudze po terminie' });
    await setTicket(othersLate.id, { due_date: '2026-01-02' });

    const page = (await (await signedInAgent(env.app, tenant, caretaker.login)).get(`/${tenant.slug}/staff`)).text;
    const mine = sectionOf(page, 'my-tasks');
    expect(mine).toContain('Moje zadania');
    expect(ticketIdsIn(mine)).toEqual([late.id, later.id, undated.id]);
    expect(totalOf(mine, 'my-tasks')).toBe('3');
    expect(mine).toContain('2.01.2026');
    expect(mine).toContain('bez terminu');
    expect(mine).toContain(`href="/${tenant.slug}/staff/tasks"`);
    const overdue = sectionOf(page, 'overdue-tasks');
    expect(overdue).toContain('Przeterminowane');
    expect(ticketIdsIn(overdue)).toEqual([late.id]);
    expect(overdue).toContain('class="is-overdue"');
    expect(overdue).toContain(`href="/${tenant.slug}/staff/tasks?due=overdue"`);
    expect(page).not.toContain('Cudze po terminie');
  });

  it('shows an admin every caretaker’s overdue tasks with who handles them', async () => {
    const { tenant, caretaker, client } = await clientWorld();
    const late = await makeTicket(env.db, tenant, client, { title: 'Spóźniony przegląd' });
    await setTicket(late.id, { due_date: '2026-01-02' });
    const queued = await makeTicket(env.db, tenant, await makeUser(env.db, tenant, 'client'), { title: 'Kolejka po terminie' });
    await setTicket(queued.id, { due_date: '2026-02-03' });
    const page = (await (await signedInAgent(env.app, tenant, tenant.superadmin.login)).get(`/${tenant.slug}/staff`)).text;
    const overdue = sectionOf(page, 'overdue-tasks');
    expect(ticketIdsIn(overdue)).toEqual([late.id, queued.id]);
    expect(overdue).toContain(`prowadzi: ${caretaker.firstName} ${caretaker.lastName}`);
    expect(overdue).toContain('prowadzi: Kolejka (jeszcze nieprzypisane)');
    expect(overdue).toContain(`href="/${tenant.slug}/admin/tasks?due=overdue"`);
    const mine = sectionOf(page, 'my-tasks');
    expect(mine).toContain('data-testid="my-tasks-empty"');
    expect(mine).toContain(`href="/${tenant.slug}/staff/queue"`);
  });

  it('says so when a member of staff has no tasks and nothing is overdue', async () => {
    const tenant: TestTenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const page = (await (await signedInAgent(env.app, tenant, caretaker.login)).get(`/${tenant.slug}/staff`)).text;
    expect(sectionOf(page, 'my-tasks')).toContain('Nie masz otwartych zadań. Zgłoszenia do przypisania czekają w kolejce.');
    expect(sectionOf(page, 'overdue-tasks')).toContain('Żadne Twoje zadanie nie jest po terminie.');
    const admin = (await (await signedInAgent(env.app, tenant, tenant.superadmin.login)).get(`/${tenant.slug}/staff`)).text;
    expect(sectionOf(admin, 'overdue-tasks')).toContain('Żadne zadanie nie jest po terminie.');
  });

  it('speaks English to a client and a caretaker who read English', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { locale: 'en' });
    const client = await makeUser(env.db, tenant, 'client', { customer: await makeCustomer(env.db, tenant, { caretaker }), locale: 'en' });
    const ticket = await makeTicket(env.db, tenant, client, { title: 'Router keeps blinking' });
    await setTicket(ticket.id, { status: 'waiting_for_customer', due_date: '2026-01-02' });
    const clientPage = (await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal`)).text;
    expect(sectionOf(clientPage, 'waiting-tickets')).toContain('Waiting for your reply');
    expect(sectionOf(clientPage, 'open-tickets')).toContain('Open tickets');
    expect(sectionOf(clientPage, 'open-tickets')).toContain('due 2 Jan 2026 (overdue)');
    const clientList = (await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal/tickets?q=blink`)).text;
    expect(clientList).toContain('Tickets found: 1');
    const staffPage = (await (await signedInAgent(env.app, tenant, caretaker.login)).get(`/${tenant.slug}/staff`)).text;
    expect(sectionOf(staffPage, 'my-tasks')).toContain('My tasks');
    expect(sectionOf(staffPage, 'overdue-tasks')).toContain('Router keeps blinking');
  });

  it('reads the start pages in the same number of statements, whatever the number of tickets', async () => {
    const { tenant, caretaker, client } = await clientWorld();
    const clientAgent = await signedInAgent(env.app, tenant, client.login);
    const staffAgent = await signedInAgent(env.app, tenant, caretaker.login);
    const adminAgent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const before = [await statementsOf(clientAgent, `/${tenant.slug}/portal`), await statementsOf(staffAgent, `/${tenant.slug}/staff`), await statementsOf(adminAgent, `/${tenant.slug}/staff`)];
    for (let index = 0; index < 12; index += 1) {
      const ticket = await makeTicket(env.db, tenant, client, { title: `Zadanie ${index}` });
      await setTicket(ticket.id, { due_date: index % 2 === 0 ? '2026-01-02' : daysFromToday(index), status: index % 3 === 0 ? 'waiting_for_customer' : 'open' });
    }
    const after = [await statementsOf(clientAgent, `/${tenant.slug}/portal`), await statementsOf(staffAgent, `/${tenant.slug}/staff`), await statementsOf(adminAgent, `/${tenant.slug}/staff`)];
    expect(after).toEqual(before);
    // The sections add one statement each to the pages of issue 14 (docs/benchmarks.md); so do the client's balance
    // and dues sections of issue 16 (the tenant's currency is read once a request); the staff dashboards of
    // issue 17 add the queue and its count of e-mail from unknown senders (2), and for admins the entries
    // awaiting approval (2: the count and the rows); the customers with overdue money add their totals and
    // rows (2, one aggregate each), and admins' latest imports their count and rows (2). Issue 18 adds the
    // announcements portlet (1; its rows also answer the same request's check for an urgent announcement),
    // and a superadmin's page reads the last verification of the audit chain (1).
    expect(after[0]).toBeLessThanOrEqual(16);
    expect(after[1]).toBeLessThanOrEqual(15);
    expect(after[2]).toBeLessThanOrEqual(23);
  });
});
