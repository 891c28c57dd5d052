import { expect, it } from 'vitest';
import { changeTicketStatus } from '../../src/models/ticket-workflow.js';
import { listTicketMessages } from '../../src/models/ticket-history.js';
import { saveSettings } from '../../src/models/settings.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor, userScope } from '../support/factories.js';
import { alfaWithClient, ingest, intakeDeps, mailFixture } from '../support/mail-intake.js';
import { makeTicket } from '../support/tickets.js';
import { rawBytesOfIntake, findMailIntake } from '../../src/models/mail-intake.js';
import { ingestMessage } from '../../src/models/ticket-mail-intake.js';
import { createLinks, createPathTo } from '../../src/lib/urls.js';
import { routeTable } from '../../src/routes.js';

describeOnEachDatabase('e-mail intake (T9)', (env) => {
  const intakeRow = (tenantId: number, id: number) => env.db('mail_intake').where({ tenant_id: tenantId, id }).first();
  const ticketRow = (tenantId: number, id: number) => env.db('tickets').where({ tenant_id: tenantId, id }).first();

  it('files a plain-text message from a client’s address (in any letter case) as the client’s ticket, routed to the caretaker', async () => {
    const tenant = await makeTenant(env.db);
    const { caretaker, customer, client } = await alfaWithClient(env.db, tenant);
    const outcome = await ingest(env.db, tenant, mailFixture('plain.eml'));
    expect(outcome).toMatchObject({ outcome: 'filed', isReply: false });
    if (outcome.outcome !== 'filed') return;
    const ticket = await ticketRow(tenant.id, outcome.ticketId);
    expect(ticket).toMatchObject({ customer_id: customer.id, filed_by: client.id, source: 'email', status: 'new', assignee_id: caretaker.id, title: 'Drukarka nie drukuje' });
    expect(ticket.description).toBe('Dzień dobry,\n\ndrukarka w biurze na parterze nie drukuje od rana.\n\nPozdrawiam\nJan Kowalski');
    const category = await env.db('ticket_categories').where({ tenant_id: tenant.id, id: ticket.category_id }).first();
    expect(category.code).toBe('message');
    expect(await intakeRow(tenant.id, outcome.intakeId)).toMatchObject({ status: 'filed', ticket_id: outcome.ticketId, sender: 'jan.kowalski@alfa.example', message_id: '<plain-0001@alfa.example>', channel: 'cli' });
    const audit = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'mail.filed' }).first();
    expect(audit).toMatchObject({ subject_type: 'mail_intake', subject_id: outcome.intakeId });
    expect(audit.details).not.toContain('alfa.example');
  });

  it('announces a ticket that came by e-mail to its caretaker, with a link, when the run has the links of BASE_URL', async () => {
    const tenant = await makeTenant(env.db);
    const { caretaker } = await alfaWithClient(env.db, tenant);
    const links = createLinks(createPathTo(routeTable()), 'https://ebok.example');
    const outcome = await ingestMessage(scopeFor(env.db, tenant), mailFixture('plain.eml'), { ...intakeDeps, links }, 'imap');
    expect(outcome.outcome).toBe('filed');
    const notices = await env.db('outbox').where({ tenant_id: tenant.id, recipient_user_id: caretaker.id });
    expect(notices.map((notice) => notice.template)).toEqual(['ticket-filed']);
    expect(String(notices[0].data)).toContain('https://ebok.example/');
  });

  it('takes the text of an HTML-only message, without its markup, scripts or styles', async () => {
    const tenant = await makeTenant(env.db);
    await alfaWithClient(env.db, tenant);
    const outcome = await ingest(env.db, tenant, mailFixture('html-only.eml'));
    if (outcome.outcome !== 'filed') throw new Error(JSON.stringify(outcome));
    const ticket = await ticketRow(tenant.id, outcome.ticketId);
    expect(ticket.description).toContain('nie odpowiada od godziny 8:00.');
    expect(ticket.description).toContain('Prosimy o pilną pomoc.');
    expect(ticket.description).not.toMatch(/<|alert|color/);
  });

  it('keeps allowed attachments on the ticket and names a refused one in an internal note the client never reads', async () => {
    const tenant = await makeTenant(env.db);
    const { client } = await alfaWithClient(env.db, tenant);
    const outcome = await ingest(env.db, tenant, mailFixture('attachments.eml'));
    if (outcome.outcome !== 'filed') throw new Error(JSON.stringify(outcome));
    const files = await env.db('stored_files').where({ tenant_id: tenant.id, ticket_id: outcome.ticketId }).orderBy('id');
    expect(files.map((file) => [file.original_name, file.media_type, file.ticket_message_id])).toEqual([
      ['protokol.pdf', 'application/pdf', null],
      ['usterka.png', 'image/png', null],
    ]);
    const staffView = await listTicketMessages(scopeFor(env.db, tenant), { id: outcome.ticketId });
    expect(staffView).toHaveLength(1);
    expect(staffView[0]).toMatchObject({ isInternal: true });
    expect(staffView[0]!.body).toContain('Pliki z e-maila, których nie dołączono:');
    expect(staffView[0]!.body).toContain('„faktura.pdf”');
    expect(await listTicketMessages(userScope(env.db, client), { id: outcome.ticketId })).toEqual([]);
  });

  it('decodes Polish subjects in base64 and quoted-printable words, and a body in ISO-8859-2', async () => {
    const tenant = await makeTenant(env.db);
    await alfaWithClient(env.db, tenant);
    const base64 = await ingest(env.db, tenant, mailFixture('polish-subject-b.eml'));
    const quoted = await ingest(env.db, tenant, mailFixture('polish-subject-q.eml'));
    if (base64.outcome !== 'filed' || quoted.outcome !== 'filed') throw new Error('not filed');
    expect(await ticketRow(tenant.id, base64.ticketId)).toMatchObject({ title: 'Zażółć gęślą jaźń', description: 'Próba polskich znaków: ąęłńóśźż.' });
    expect(await ticketRow(tenant.id, quoted.ticketId)).toMatchObject({ title: 'Wymiana żarówki w łazience' });
  });

  it('adds a reply with a ticket’s tag to that ticket, without the quoted text, and moves a ticket waiting for the customer back to open', async () => {
    const tenant = await makeTenant(env.db);
    const { caretaker, client } = await alfaWithClient(env.db, tenant);
    const ticket = await makeTicket(env.db, tenant, client, { title: 'Drukarka nie drukuje' });
    await changeTicketStatus(userScope(env.db, caretaker), ticket.id, { to: 'waiting_for_customer', version: ticket.version, mover: 'staff' });
    const outcome = await ingest(env.db, tenant, mailFixture('reply.eml', { ticketNumber: ticket.number }));
    expect(outcome).toMatchObject({ outcome: 'filed', ticketId: ticket.id, isReply: true });
    expect(await ticketRow(tenant.id, ticket.id)).toMatchObject({ status: 'open' });
    const messages = await env.db('ticket_messages').where({ tenant_id: tenant.id, ticket_id: ticket.id });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ author_id: client.id, body: 'Tak, drukarka jest włączona i podłączona do sieci.' });
    expect(await env.db('tickets').where('tenant_id', tenant.id)).toHaveLength(1);
  });

  it('files a reply by e-mail to a closed ticket as a new ticket that came by e-mail and links to the old one', async () => {
    const tenant = await makeTenant(env.db);
    const { client } = await alfaWithClient(env.db, tenant);
    const ticket = await makeTicket(env.db, tenant, client, { title: 'Drukarka nie drukuje' });
    await env.db('tickets').where({ tenant_id: tenant.id, id: ticket.id }).update({ status: 'closed' });
    const outcome = await ingest(env.db, tenant, mailFixture('reply.eml', { ticketNumber: ticket.number }));
    expect(outcome).toMatchObject({ outcome: 'filed' });
    const tickets = await env.db('tickets').where('tenant_id', tenant.id).orderBy('id');
    expect(tickets).toHaveLength(2);
    expect(tickets[1]).toMatchObject({ related_ticket_id: ticket.id, source: 'email', filed_by: client.id, status: 'new' });
    expect(await ticketRow(tenant.id, ticket.id)).toMatchObject({ status: 'closed' });
  });

  it('never adds a reply to a ticket the sender may not see: a client of another customer files a ticket of their own', async () => {
    const tenant = await makeTenant(env.db);
    const { client } = await alfaWithClient(env.db, tenant);
    const other = await makeUser(env.db, tenant, 'client');
    const foreign = await makeTicket(env.db, tenant, other, { title: 'Cudze zgłoszenie' });
    const outcome = await ingest(env.db, tenant, mailFixture('reply.eml', { ticketNumber: foreign.number }));
    if (outcome.outcome !== 'filed') throw new Error(JSON.stringify(outcome));
    expect(outcome.ticketId).not.toBe(foreign.id);
    expect(await ticketRow(tenant.id, outcome.ticketId)).toMatchObject({ customer_id: client.customerId, title: 'Drukarka nie drukuje' });
    expect(await env.db('ticket_messages').where({ tenant_id: tenant.id, ticket_id: foreign.id })).toHaveLength(0);
  });

  it('adds a caretaker’s e-mail with the tag of their task as their reply to the client', async () => {
    const tenant = await makeTenant(env.db);
    const { caretaker, client } = await alfaWithClient(env.db, tenant);
    await env.db('users').where({ tenant_id: tenant.id, id: client.id }).update({ email: 'jan.other@alfa.example' });
    await env.db('users').where({ tenant_id: tenant.id, id: caretaker.id }).update({ email: 'jan.kowalski@alfa.example' });
    const ticket = await makeTicket(env.db, tenant, client);
    const outcome = await ingest(env.db, tenant, mailFixture('reply.eml', { ticketNumber: ticket.number }));
    expect(outcome).toMatchObject({ outcome: 'filed', ticketId: ticket.id, isReply: true });
    const message = await env.db('ticket_messages').where({ tenant_id: tenant.id, ticket_id: ticket.id }).first();
    expect(message).toMatchObject({ author_id: caretaker.id });
    expect(Boolean(message.is_internal)).toBe(false);
  });

  it('files the ticket of a client who needs approval as awaiting approval, as the portal does (T7)', async () => {
    const tenant = await makeTenant(env.db);
    const { customer } = await alfaWithClient(env.db, tenant);
    await saveSettings(scopeFor(env.db, tenant), 'customer', customer.id, { 'tickets.approval': 'mandatory' });
    const outcome = await ingest(env.db, tenant, mailFixture('plain.eml'));
    if (outcome.outcome !== 'filed') throw new Error(JSON.stringify(outcome));
    expect(await ticketRow(tenant.id, outcome.ticketId)).toMatchObject({ status: 'awaiting_approval', assignee_id: null });
  });

  it('keeps a message from an unknown sender as unmatched, with its address, and files nothing', async () => {
    const tenant = await makeTenant(env.db);
    await alfaWithClient(env.db, tenant);
    const outcome = await ingest(env.db, tenant, mailFixture('unknown-sender.eml'));
    expect(outcome.outcome).toBe('unmatched');
    expect(await intakeRow(tenant.id, outcome.intakeId)).toMatchObject({ status: 'unmatched', sender: 'stranger@elsewhere.example', subject: 'Zapytanie ofertowe', ticket_id: null });
    expect(await env.db('tickets').where('tenant_id', tenant.id)).toHaveLength(0);
  });

  it('keeps a broken message whole, as failed, with the reason', async () => {
    const tenant = await makeTenant(env.db);
    const raw = mailFixture('broken.eml');
    const outcome = await ingest(env.db, tenant, raw);
    expect(outcome).toMatchObject({ outcome: 'failed', error: 'the message names no sender address (From)' });
    expect(await intakeRow(tenant.id, outcome.intakeId)).toMatchObject({ status: 'failed', error: 'mailIntake:failures.noSender', raw_size: raw.length });
    const scope = scopeFor(env.db, tenant);
    expect((await rawBytesOfIntake(scope, intakeDeps.stores, await findMailIntake(scope, outcome.intakeId))).equals(raw)).toBe(true);
    const empty = await ingest(env.db, tenant, Buffer.alloc(0));
    expect(empty).toMatchObject({ outcome: 'failed', error: 'the message is empty' });
  });

  it('files one ticket for the same Message-ID ingested twice, one after the other or at once', async () => {
    const tenant = await makeTenant(env.db);
    await alfaWithClient(env.db, tenant);
    const first = await ingest(env.db, tenant, mailFixture('plain.eml'));
    const again = await ingest(env.db, tenant, mailFixture('plain.eml'));
    expect(again).toEqual({ outcome: 'duplicate', intakeId: first.intakeId });
    const together = await Promise.all([ingest(env.db, tenant, mailFixture('html-only.eml')), ingest(env.db, tenant, mailFixture('html-only.eml'))]);
    expect(together.map((each) => each.outcome).sort()).toEqual(['duplicate', 'filed']);
    expect(await env.db('tickets').where('tenant_id', tenant.id)).toHaveLength(2);
    expect(await env.db('mail_intake').where('tenant_id', tenant.id)).toHaveLength(2);
  });
});
