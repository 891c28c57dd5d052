import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, userScope } from '../support/factories.js';
import { signedInAgent } from '../support/http.js';
import { makeTicket } from '../support/tickets.js';
import { addStaffMessage, replyAsClient } from '../../src/models/ticket-workflow.js';

const rowIdsOf = (html: string) => [...html.matchAll(/data-ticket-id="(\d+)"/g)].map((match) => Number(match[1])).sort((a, b) => a - b);
const query = (text: string) => `q=${encodeURIComponent(text)}`;

describeOnEachDatabase('full-text search of tickets', (env) => {
  /** A caretaker's customer with two clients (one primary contact), and a customer of another caretaker. */
  async function world() {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    await env.db('users').where('id', client.id).update({ is_primary_contact: true });
    const other = await makeCustomer(env.db, tenant, { caretaker: await makeUser(env.db, tenant, 'caretaker') });
    const otherClient = await makeUser(env.db, tenant, 'client', { customer: other });
    return { tenant, caretaker, customer, client, other, otherClient };
  }

  it('finds a ticket by a word of its title, of its description and of a reply, in any letter case', async () => {
    const { tenant, caretaker, client } = await world();
    const router = await makeTicket(env.db, tenant, client, { title: 'Router w magazynie', description: 'Po burzy mruga czerwona dioda.' });
    const invoice = await makeTicket(env.db, tenant, client, { title: 'Pytanie o fakturę', description: 'Prosimy o duplikat.' });
    await addStaffMessage(userScope(env.db, caretaker), invoice.id, { body: 'Duplikat wysłaliśmy kurierem.', isInternal: false });
    await replyAsClient(userScope(env.db, client), router.id, 'Restart zasilacza nie pomógł.');
    const agent = await signedInAgent(env.app, tenant, client.login);
    const search = async (text: string) => rowIdsOf((await agent.get(`/${tenant.slug}/portal/tickets?${query(text)}`)).text);
    expect(await search('ROUTER')).toEqual([router.id]);
    expect(await search('dioda')).toEqual([router.id]);
    expect(await search('kurierem')).toEqual([invoice.id]);
    expect(await search('zasilacza')).toEqual([router.id]);
    expect(await search('duplikat')).toEqual([invoice.id]);
    expect(await search('magazynie burzy')).toEqual([router.id]);
    expect(await search('router faktur')).toEqual([]);
  });

  it('finds Polish words with their letters and a word by its beginning', async () => {
    const { tenant, client } = await world();
    const light = await makeTicket(env.db, tenant, client, { title: 'Żółta lampka na sterowniku', description: 'Łącze światłowodowe nie działa od rana.' });
    const agent = await signedInAgent(env.app, tenant, client.login);
    const search = async (text: string) => rowIdsOf((await agent.get(`/${tenant.slug}/portal/tickets?${query(text)}`)).text);
    expect(await search('żółta')).toEqual([light.id]);
    expect(await search('ŻÓŁTA')).toEqual([light.id]);
    expect(await search('łącze')).toEqual([light.id]);
    expect(await search('światłowod')).toEqual([light.id]);
    expect(await search('sterown')).toEqual([light.id]);
    expect(await search('wiatłowodowe')).toEqual([]);
  });

  it('never finds another customer’s ticket for a client, nor another tenant’s for an admin', async () => {
    const { tenant, client, otherClient } = await world();
    const own = await makeTicket(env.db, tenant, client, { title: 'Kserokopiarka zacina papier' });
    const theirs = await makeTicket(env.db, tenant, otherClient, { title: 'Kserokopiarka nie skanuje' });
    const elsewhere = await makeTenant(env.db);
    await makeTicket(env.db, elsewhere, await makeUser(env.db, elsewhere, 'client'), { title: 'Kserokopiarka w innej firmie' });
    const clientList = (await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal/tickets?${query('kserokopiarka')}`)).text;
    expect(rowIdsOf(clientList)).toEqual([own.id]);
    expect(clientList).toContain('data-testid="ticket-count"');
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    expect(rowIdsOf((await admin.get(`/${tenant.slug}/admin/tasks?status=all&${query('kserokopiarka')}`)).text)).toEqual([own.id, theirs.id]);
  });

  it('lets staff find a ticket by its internal note, and never a client', async () => {
    const { tenant, caretaker, client } = await world();
    const ticket = await makeTicket(env.db, tenant, client, { title: 'Serwis wózka widłowego' });
    await addStaffMessage(userScope(env.db, caretaker), ticket.id, { body: 'Klient zalega z płatnościami, rabatu nie udzielać.', isInternal: true });
    const clientAgent = await signedInAgent(env.app, tenant, client.login);
    const clientList = (await clientAgent.get(`/${tenant.slug}/portal/tickets?${query('rabatu')}`)).text;
    expect(rowIdsOf(clientList)).toEqual([]);
    expect(clientList).toContain('data-testid="tickets-empty"');
    expect(clientList).toContain('Żadne zgłoszenie nie zawiera szukanych słów');
    expect(rowIdsOf((await clientAgent.get(`/${tenant.slug}/portal/tickets?${query('wózka')}`)).text)).toEqual([ticket.id]);
    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    expect(rowIdsOf((await staff.get(`/${tenant.slug}/staff/tasks?${query('rabatu')}`)).text)).toEqual([ticket.id]);
  });

  it('narrows each staff list and keeps its other filters', async () => {
    const { tenant, caretaker, client, otherClient } = await world();
    const mine = await makeTicket(env.db, tenant, client, { title: 'Wymiana tonera' });
    await makeTicket(env.db, tenant, client, { title: 'Inna sprawa' });
    const theirs = await makeTicket(env.db, tenant, otherClient, { title: 'Toner do drukarki' });
    const queued = await makeTicket(env.db, tenant, await makeUser(env.db, tenant, 'client'), { title: 'Toner się skończył' });
    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    expect(rowIdsOf((await staff.get(`/${tenant.slug}/staff/tasks?${query('toner')}`)).text)).toEqual([mine.id]);
    expect(rowIdsOf((await staff.get(`/${tenant.slug}/staff/queue?${query('toner')}`)).text)).toEqual([queued.id]);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const all = await admin.get(`/${tenant.slug}/admin/tasks?${query('toner')}`);
    expect(rowIdsOf(all.text)).toEqual([mine.id, theirs.id, queued.id]);
    expect(all.text).toMatch(/data-testid="task-count"[^>]*>[^<]*3/);
    expect(rowIdsOf((await admin.get(`/${tenant.slug}/admin/tasks?caretaker=none&${query('toner')}`)).text)).toEqual([queued.id]);
    expect(rowIdsOf((await admin.get(`/${tenant.slug}/admin/tasks?status=resolved&${query('toner')}`)).text)).toEqual([]);
  });

  it('takes what is typed as words: operators, quotes and common short words neither fail nor empty the search', async () => {
    const { tenant, client } = await world();
    const ticket = await makeTicket(env.db, tenant, client, { title: 'The printer is on fire' });
    const agent = await signedInAgent(env.app, tenant, client.login);
    for (const text of ['"printer', '+printer -fire', 'printer*', '(printer)', 'printer AND NOT', '@printer ~fire', "printer's", 'on the printer']) {
      const response = await agent.get(`/${tenant.slug}/portal/tickets?${query(text)}`);
      expect(response.status, text).toBe(200);
      if (text !== 'printer AND NOT') expect(rowIdsOf(response.text), text).toEqual([ticket.id]);
    }
    const symbols = await agent.get(`/${tenant.slug}/portal/tickets?${query('*** "" --')}`);
    expect(rowIdsOf(symbols.text)).toEqual([ticket.id]);
  });

  it('finds a ticket by its number as people read it out, only where the actor may see it', async () => {
    const { tenant, caretaker, client, otherClient } = await world();
    const own = await makeTicket(env.db, tenant, client, { title: 'Pierwsze' });
    const theirs = await makeTicket(env.db, tenant, otherClient, { title: 'Drugie' });
    const [year, sequence] = theirs.number.split('/') as [string, string];
    const agent = await signedInAgent(env.app, tenant, client.login);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/portal/tickets?${query(own.number)}`)).text)).toEqual([own.id]);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/portal/tickets?${query(theirs.number)}`)).text)).toEqual([]);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    expect(rowIdsOf((await admin.get(`/${tenant.slug}/admin/tasks?${query(`${year} / ${Number(sequence)}`)}`)).text)).toEqual([theirs.id]);
    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    expect(rowIdsOf((await staff.get(`/${tenant.slug}/staff/tasks?${query(own.number)}`)).text)).toEqual([own.id]);
  });

  it('pages the results and keeps the words on every page', async () => {
    const { tenant, client } = await world();
    for (let index = 0; index < 21; index += 1) await makeTicket(env.db, tenant, client, { title: `Przegląd okresowy ${index}` });
    await makeTicket(env.db, tenant, client, { title: 'Coś innego' });
    const agent = await signedInAgent(env.app, tenant, client.login);
    const first = await agent.get(`/${tenant.slug}/portal/tickets?${query('przegląd')}`);
    expect(rowIdsOf(first.text)).toHaveLength(20);
    expect(first.text).toContain(`page=2`);
    expect(first.text).toMatch(/href="[^"]*q=przegl%C4%85d[^"]*page=2|href="[^"]*page=2[^"]*q=przegl%C4%85d/);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/portal/tickets?${query('przegląd')}&page=2`)).text)).toHaveLength(1);
  });

  it('keeps the search in step with the tickets: kept by triggers on SQLite, indexed on MySQL', async () => {
    if (env.kind === 'sqlite') {
      const triggers = (await env.db('sqlite_master').where('type', 'trigger').pluck('name')) as string[];
      expect(triggers).toEqual(expect.arrayContaining(['tickets_search_insert', 'tickets_search_update', 'tickets_search_delete', 'ticket_messages_search_insert', 'ticket_messages_search_delete']));
    } else {
      const [rows] = (await env.db.raw(`SHOW INDEX FROM tickets WHERE Index_type = 'FULLTEXT'`)) as [unknown[]];
      expect(rows.length).toBeGreaterThan(0);
    }
    const { tenant, client } = await world();
    const ticket = await makeTicket(env.db, tenant, client, { title: 'Stary tytuł' });
    await env.db('tickets').where('id', ticket.id).update({ title: 'Nowy nagłówek' });
    const agent = await signedInAgent(env.app, tenant, client.login);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/portal/tickets?${query('stary')}`)).text)).toEqual([]);
    expect(rowIdsOf((await agent.get(`/${tenant.slug}/portal/tickets?${query('nagłówek')}`)).text)).toEqual([ticket.id]);
  });
});
