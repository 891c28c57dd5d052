import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent } from '../support/http.js';
import { alfaWithClient, ingest, mailFixture } from '../support/mail-intake.js';

describeOnEachDatabase('the incoming e-mail page (T9)', (env) => {
  it('lists an unknown sender’s message and a broken one to admins, with the sender, the error and the raw message to download', async () => {
    const tenant = await makeTenant(env.db);
    await alfaWithClient(env.db, tenant);
    const unknown = await ingest(env.db, tenant, mailFixture('unknown-sender.eml'));
    const broken = await ingest(env.db, tenant, mailFixture('broken.eml'));
    const filed = await ingest(env.db, tenant, mailFixture('plain.eml'));
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = await admin.get(`/${tenant.slug}/admin/mail-intake`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Poczta przychodząca');
    expect(page.text).toContain(`data-testid="mail-intake-${unknown.intakeId}"`);
    expect(page.text).toContain('stranger@elsewhere.example');
    expect(page.text).toContain('Nieznany nadawca');
    expect(page.text).toContain(`data-testid="mail-intake-${broken.intakeId}"`);
    expect(page.text).toContain('Wiadomość nie podaje adresu nadawcy (From).');
    expect(page.text).not.toContain(`data-testid="mail-intake-${filed.intakeId}"`);
    const download = await admin.get(`/${tenant.slug}/admin/mail-intake/${broken.intakeId}/message`).buffer(true).parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('message/rfc822');
    expect(download.headers['content-disposition']).toContain('attachment');
    expect((download.body as Buffer).equals(mailFixture('broken.eml'))).toBe(true);
  });

  it('files an unknown sender’s message for the customer an admin chooses, with a note naming the address, once', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant, { name: 'Beta S.A.' });
    const unknown = await ingest(env.db, tenant, mailFixture('unknown-sender.eml'));
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const token = await csrfTokenFrom(admin, `/${tenant.slug}/admin/mail-intake`);
    const missing = await admin.post(`/${tenant.slug}/admin/mail-intake/${unknown.intakeId}/filing`).type('form').send({ _csrf: token, customerId: '' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Wybierz klienta, od którego pochodzi wiadomość.');
    const response = await admin.post(`/${tenant.slug}/admin/mail-intake/${unknown.intakeId}/filing`).type('form').send({ _csrf: token, customerId: String(customer.id) });
    expect(response.status).toBe(303);
    const ticket = await env.db('tickets').where({ tenant_id: tenant.id, customer_id: customer.id }).first();
    expect(ticket).toMatchObject({ source: 'email', status: 'new', assignee_id: null, title: 'Zapytanie ofertowe', filed_by: tenant.superadmin.id });
    expect(response.headers.location).toBe(`/${tenant.slug}/staff/tickets/${ticket.id}`);
    const note = await env.db('ticket_messages').where({ tenant_id: tenant.id, ticket_id: ticket.id }).first();
    expect(note).toMatchObject({ body: 'Przyszło e-mailem od nieznanego nadawcy: stranger@elsewhere.example' });
    expect(Boolean(note.is_internal)).toBe(true);
    const again = await admin.post(`/${tenant.slug}/admin/mail-intake/${unknown.intakeId}/filing`).type('form').send({ _csrf: token, customerId: String(customer.id) });
    expect(again.status).toBe(303);
    expect(await env.db('tickets').where('tenant_id', tenant.id)).toHaveLength(1);
    const ticketPage = await admin.get(response.headers.location!);
    expect(ticketPage.text).toContain('Przyszło e-mailem od nieznanego nadawcy: stranger@elsewhere.example');
  });

  it('puts a message aside, keeping it, and takes it off the list', async () => {
    const tenant = await makeTenant(env.db);
    const unknown = await ingest(env.db, tenant, mailFixture('unknown-sender.eml'));
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const token = await csrfTokenFrom(admin, `/${tenant.slug}/admin/mail-intake`);
    const response = await admin.post(`/${tenant.slug}/admin/mail-intake/${unknown.intakeId}/discard`).type('form').send({ _csrf: token });
    expect(response.status).toBe(303);
    expect(await env.db('mail_intake').where({ tenant_id: tenant.id, id: unknown.intakeId }).first()).toMatchObject({ status: 'discarded' });
    expect((await admin.get(`/${tenant.slug}/admin/mail-intake`)).text).not.toContain('stranger@elsewhere.example');
  });

  it('refuses the page and the download to a caretaker, and hides another tenant’s message with a 404', async () => {
    const tenant = await makeTenant(env.db);
    const unknown = await ingest(env.db, tenant, mailFixture('unknown-sender.eml'));
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    expect((await staff.get(`/${tenant.slug}/admin/mail-intake`)).status).toBe(403);
    expect((await staff.get(`/${tenant.slug}/admin/mail-intake/${unknown.intakeId}/message`)).status).toBe(403);
    const other = await makeTenant(env.db);
    const otherAdmin = await signedInAgent(env.app, other, other.superadmin.login);
    expect((await otherAdmin.get(`/${other.slug}/admin/mail-intake/${unknown.intakeId}/message`)).status).toBe(404);
  });
});
