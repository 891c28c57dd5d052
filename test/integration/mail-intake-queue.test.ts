import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent } from '../support/http.js';
import { alfaWithClient, ingest, mailFixture } from '../support/mail-intake.js';

describeOnEachDatabase('e-mail from unknown senders in the unassigned queue (T2, T9)', (env) => {
  it('shows a stranger’s message in every caretaker’s queue, marked as such, and keeps a broken one for the admins', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    await makeCustomer(env.db, tenant, { name: 'Gamma sp. z o.o.', caretaker });
    const unknown = await ingest(env.db, tenant, mailFixture('unknown-sender.eml'));
    const broken = await ingest(env.db, tenant, mailFixture('broken.eml'));
    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    const queue = await staff.get(`/${tenant.slug}/staff/queue`);
    expect(queue.status).toBe(200);
    expect(queue.text).toContain('E-mail od nieznanego nadawcy (1)');
    expect(queue.text).toContain(`data-testid="unknown-sender-${unknown.intakeId}"`);
    expect(queue.text).toContain('stranger@elsewhere.example');
    expect(queue.text).toContain('Nieznany nadawca');
    expect(queue.text).toContain('Gamma sp. z o.o.');
    expect(queue.text).not.toContain(`unknown-sender-${broken.intakeId}`);
    expect((await staff.get(`/${tenant.slug}/staff/queue/mail/${broken.intakeId}/message`)).status).toBe(404);
    const download = await staff.get(`/${tenant.slug}/staff/queue/mail/${unknown.intakeId}/message`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('message/rfc822');
    expect(download.headers['content-disposition']).toContain('attachment');
    const englishCaretaker = await makeUser(env.db, tenant, 'caretaker', { locale: 'en' });
    const english = await (await signedInAgent(env.app, tenant, englishCaretaker.login)).get(`/${tenant.slug}/staff/queue`);
    expect(english.text).toContain('E-mail from an unknown sender (1)');
    expect(english.text).toContain('You have no customers to file them for: an admin will.');
  });

  it('lets a caretaker file the message for a customer of theirs: a ticket routed to them, with a note naming the address, once', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { name: 'Gamma sp. z o.o.', caretaker });
    const unknown = await ingest(env.db, tenant, mailFixture('unknown-sender.eml'));
    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    const token = await csrfTokenFrom(staff, `/${tenant.slug}/staff/queue`);
    const missing = await staff.post(`/${tenant.slug}/staff/queue/mail/${unknown.intakeId}/filing`).type('form').send({ _csrf: token, customerId: '' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Wybierz klienta, od którego pochodzi wiadomość.');
    expect(missing.text).toContain(`data-testid="unknown-sender-${unknown.intakeId}"`);
    const filing = await staff.post(`/${tenant.slug}/staff/queue/mail/${unknown.intakeId}/filing`).type('form').send({ _csrf: token, customerId: String(customer.id) });
    expect(filing.status).toBe(303);
    const ticket = await env.db('tickets').where({ tenant_id: tenant.id, customer_id: customer.id }).first();
    expect(ticket).toMatchObject({ source: 'email', assignee_id: caretaker.id, title: 'Zapytanie ofertowe', filed_by: caretaker.id });
    expect(filing.headers.location).toBe(`/${tenant.slug}/staff/tickets/${ticket.id}`);
    const note = await env.db('ticket_messages').where({ tenant_id: tenant.id, ticket_id: ticket.id }).first();
    expect(note.body).toBe('Przyszło e-mailem od nieznanego nadawcy: stranger@elsewhere.example');
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'mail.assigned', actor_id: caretaker.id })).toHaveLength(1);
    const again = await staff.post(`/${tenant.slug}/staff/queue/mail/${unknown.intakeId}/filing`).type('form').send({ _csrf: token, customerId: String(customer.id) });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/${tenant.slug}/staff/queue`);
    expect(await env.db('tickets').where('tenant_id', tenant.id)).toHaveLength(1);
    expect((await staff.get(`/${tenant.slug}/staff/queue`)).text).not.toContain('stranger@elsewhere.example');
  });

  it('refuses a customer of another caretaker with the form back (422), writing nothing; an admin may choose any customer', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    await makeCustomer(env.db, tenant, { name: 'Gamma sp. z o.o.', caretaker });
    const notTheirs = await makeCustomer(env.db, tenant, { name: 'Delta S.A.' });
    const unknown = await ingest(env.db, tenant, mailFixture('unknown-sender.eml'));
    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    const token = await csrfTokenFrom(staff, `/${tenant.slug}/staff/queue`);
    const refused = await staff.post(`/${tenant.slug}/staff/queue/mail/${unknown.intakeId}/filing`).type('form').send({ _csrf: token, customerId: String(notTheirs.id) });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Wybierz klienta, od którego pochodzi wiadomość.');
    expect(refused.text).not.toContain('Delta S.A.');
    expect(await env.db('tickets').where('tenant_id', tenant.id)).toHaveLength(0);
    expect(await env.db('mail_intake').where({ tenant_id: tenant.id, id: unknown.intakeId }).first()).toMatchObject({ status: 'unmatched' });
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const adminQueue = await admin.get(`/${tenant.slug}/staff/queue`);
    expect(adminQueue.text).toContain('Delta S.A.');
    const adminToken = await csrfTokenFrom(admin, `/${tenant.slug}/staff/queue`);
    const filed = await admin.post(`/${tenant.slug}/staff/queue/mail/${unknown.intakeId}/filing`).type('form').send({ _csrf: adminToken, customerId: String(notTheirs.id) });
    expect(filed.status).toBe(303);
    expect(await env.db('tickets').where({ tenant_id: tenant.id, customer_id: notTheirs.id })).toHaveLength(1);
  });

  it('lets a caretaker put a stranger’s message aside, keeping it; not a broken one', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const unknown = await ingest(env.db, tenant, mailFixture('unknown-sender.eml'));
    const broken = await ingest(env.db, tenant, mailFixture('broken.eml'));
    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    const queue = await staff.get(`/${tenant.slug}/staff/queue`);
    expect(queue.text).toContain('Nie masz klientów, dla których można je zarejestrować');
    const token = await csrfTokenFrom(staff, `/${tenant.slug}/staff/queue`);
    const discarded = await staff.post(`/${tenant.slug}/staff/queue/mail/${unknown.intakeId}/discard`).type('form').send({ _csrf: token });
    expect(discarded.status).toBe(303);
    expect(await env.db('mail_intake').where({ tenant_id: tenant.id, id: unknown.intakeId }).first()).toMatchObject({ status: 'discarded' });
    expect((await staff.get(`/${tenant.slug}/staff/queue`)).text).not.toContain('unknown-senders');
    expect((await staff.post(`/${tenant.slug}/staff/queue/mail/${broken.intakeId}/discard`).type('form').send({ _csrf: token })).status).toBe(404);
    expect(await env.db('mail_intake').where({ tenant_id: tenant.id, id: broken.intakeId }).first()).toMatchObject({ status: 'failed' });
  });

  it('never lets a caretaker read a client’s own e-mail that became their ticket by itself, whoever’s customer it is', async () => {
    const tenant = await makeTenant(env.db);
    await alfaWithClient(env.db, tenant);
    const filed = await ingest(env.db, tenant, mailFixture('plain.eml'));
    expect(filed.outcome).toBe('filed');
    const stranger = await signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'caretaker')).login);
    expect((await stranger.get(`/${tenant.slug}/staff/queue/mail/${filed.intakeId}/message`)).status).toBe(404);
  });

  it('refuses clients (403) and hides the message from another tenant’s staff (404)', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant);
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const unknown = await ingest(env.db, tenant, mailFixture('unknown-sender.eml'));
    const portal = await signedInAgent(env.app, tenant, client.login);
    expect((await portal.get(`/${tenant.slug}/staff/queue`)).status).toBe(403);
    expect((await portal.get(`/${tenant.slug}/staff/queue/mail/${unknown.intakeId}/message`)).status).toBe(403);
    const other = await makeTenant(env.db);
    const otherCaretaker = await makeUser(env.db, other, 'caretaker');
    const outsider = await signedInAgent(env.app, other, otherCaretaker.login);
    expect((await outsider.get(`/${other.slug}/staff/queue`)).text).not.toContain('stranger@elsewhere.example');
    expect((await outsider.get(`/${other.slug}/staff/queue/mail/${unknown.intakeId}/message`)).status).toBe(404);
    const token = await csrfTokenFrom(outsider, `/${other.slug}/staff/queue`);
    expect((await outsider.post(`/${other.slug}/staff/queue/mail/${unknown.intakeId}/discard`).type('form').send({ _csrf: token })).status).toBe(404);
    expect(await env.db('mail_intake').where({ tenant_id: tenant.id, id: unknown.intakeId }).first()).toMatchObject({ status: 'unmatched' });
  });
});
