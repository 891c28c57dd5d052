import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Customer } from '../../src/models/customer.js';
import type { User } from '../../src/models/user.js';
import { describeOnEachDatabase, describeOnEachDatabaseWith, type TestEnvironment } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, type Agent } from '../support/http.js';
import { categoryId, makeTicket } from '../support/tickets.js';

const samples = {
  pdf: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]),
  /** A Windows program: "MZ", then the binary header. */
  executable: Buffer.concat([Buffer.from('MZ'), Buffer.from([0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]), Buffer.alloc(256, 0)]),
};

type Upload = { name: string; content: Buffer };
type Company = { tenant: TestTenant; customer: Customer; caretaker: User; client: User; agent: Agent; staff: Agent };

const ticketIdFrom = (location: string | undefined) => Number(/\/tickets\/(\d+)$/.exec(location ?? '')?.[1]);

/** Sends a form as a browser does with enctype="multipart/form-data": the token first, then the fields, then the files. */
async function sendMultipart(agent: Agent, formPage: string, action: string, fields: Record<string, string>, files: Upload[], csrfToken?: string) {
  const token = csrfToken ?? (await csrfTokenFrom(agent, formPage));
  let request = agent.post(action).field('_csrf', token);
  for (const [name, value] of Object.entries(fields)) request = request.field(name, value);
  for (const file of files) request = request.attach('files', file.content, file.name);
  return request;
}

async function download(agent: Agent, url: string) {
  return agent
    .get(url)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

function attachmentSuite(env: TestEnvironment, isOnDisk: () => boolean) {
  async function company(): Promise<Company> {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Karolina', lastName: 'Zielińska' });
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.', caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Anna', lastName: 'Nowak' });
    return { tenant, customer, caretaker, client, agent: await signedInAgent(env.app, tenant, client.login), staff: await signedInAgent(env.app, tenant, caretaker.login) };
  }

  const filesOf = (tenant: TestTenant) => env.db('stored_files').where('tenant_id', tenant.id).orderBy('id');

  async function fileInPortal(alfa: Company, fields: Record<string, string>, files: Upload[]) {
    const slug = alfa.tenant.slug;
    return sendMultipart(alfa.agent, `/${slug}/portal/tickets/new`, `/${slug}/portal/tickets`, fields, files);
  }

  it('files a client’s ticket with its files, lists them on both pages and sends each back as a download', async () => {
    const alfa = await company();
    const slug = alfa.tenant.slug;
    const fields = { categoryId: String(await categoryId(env.db, alfa.tenant)), title: 'Nie działa drukarka', description: 'Zdjęcie i protokół w załącznikach.', submissionKey: randomUUID() };
    const response = await fileInPortal(alfa, fields, [
      { name: 'zdjęcie błędu.png', content: samples.png },
      { name: 'Protokół.pdf', content: samples.pdf },
    ]);
    expect(response.status).toBe(303);
    const ticketId = ticketIdFrom(response.headers.location);
    const files = await filesOf(alfa.tenant);
    expect(files.map((file) => [file.ticket_id, file.ticket_message_id, file.document_id, file.safe_name, file.store])).toEqual([
      [ticketId, null, null, 'zdjęcie błędu.png', isOnDisk() ? 'disk' : 'database'],
      [ticketId, null, null, 'Protokół.pdf', isOnDisk() ? 'disk' : 'database'],
    ]);
    if (isOnDisk()) expect(existsSync(path.join(env.config.filesDirectory!, String(alfa.tenant.id)))).toBe(true);

    for (const [agent, page] of [
      [alfa.agent, `/${slug}/portal/tickets/${ticketId}`],
      [alfa.staff, `/${slug}/staff/tickets/${ticketId}`],
    ] as const) {
      const shown = await agent.get(page);
      expect(shown.status).toBe(200);
      expect(shown.text).toContain('data-testid="ticket-attachments"');
      expect(shown.text).toContain(`/${slug}/files/${files[0].id}`);
      expect(shown.text).toContain('Protokół.pdf');
      expect(shown.text).toContain('1 KB');
    }
    const file = await download(alfa.staff, `/${slug}/files/${files[1].id}`);
    expect(file.status).toBe(200);
    expect(Buffer.compare(file.body as Buffer, samples.pdf)).toBe(0);
    expect(file.headers['content-disposition']).toContain('attachment;');
  });

  it('files one ticket with one set of files when the form is sent twice', async () => {
    const alfa = await company();
    const fields = { categoryId: String(await categoryId(env.db, alfa.tenant)), title: 'Podwójne kliknięcie', description: 'x', submissionKey: randomUUID() };
    const first = await fileInPortal(alfa, fields, [{ name: 'a.pdf', content: samples.pdf }]);
    const second = await fileInPortal(alfa, fields, [{ name: 'a.pdf', content: samples.pdf }]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await env.db('tickets').where('tenant_id', alfa.tenant.id)).toHaveLength(1);
    expect(await filesOf(alfa.tenant)).toHaveLength(1);
  });

  it('refuses a file of a refused type with 422, keeps the typed text, asks for the files again and stores nothing', async () => {
    const alfa = await company();
    const fields = { categoryId: String(await categoryId(env.db, alfa.tenant)), title: 'Faktura do sprawdzenia', description: 'Opis, który zostaje', submissionKey: randomUUID() };
    const response = await fileInPortal(alfa, fields, [
      { name: 'faktura.pdf', content: samples.pdf },
      { name: 'faktura.pdf.exe', content: samples.executable },
    ]);
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'files')).toContain('faktura.pdf.exe');
    expect(response.text).toContain('Faktura do sprawdzenia');
    expect(response.text).toContain('Opis, który zostaje');
    expect(response.text).toContain(fields.submissionKey);
    expect(response.text).toContain('data-testid="choose-files-again"');
    expect(await env.db('tickets').where('tenant_id', alfa.tenant.id)).toHaveLength(0);
    expect(await filesOf(alfa.tenant)).toHaveLength(0);
    if (isOnDisk()) expect(existsSync(path.join(env.config.filesDirectory!, String(alfa.tenant.id)))).toBe(false);
  });

  it('keeps no files when the ticket is refused after the files came (a category the tenant does not offer)', async () => {
    const alfa = await company();
    const response = await fileInPortal(alfa, { categoryId: '999999', title: 'Obca kategoria', description: 'x' }, [{ name: 'a.pdf', content: samples.pdf }]);
    expect(response.status).toBe(422);
    expect(response.text).toContain('data-testid="choose-files-again"');
    expect(await filesOf(alfa.tenant)).toHaveLength(0);
    if (isOnDisk()) {
      const folder = path.join(env.config.filesDirectory!, String(alfa.tenant.id));
      expect(existsSync(folder) ? readdirSync(folder, { recursive: true }).filter((name) => String(name).length > 2) : []).toHaveLength(0);
    }
  });
}

describeOnEachDatabase('attachments of tickets and their messages (T6)', (env) => {
  attachmentSuite(env, () => false);

  async function company() {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Karolina', lastName: 'Zielińska' });
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.', caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Anna', lastName: 'Nowak' });
    const ticket = await makeTicket(env.db, tenant, client);
    return { tenant, customer, caretaker, client, ticket, agent: await signedInAgent(env.app, tenant, client.login), staff: await signedInAgent(env.app, tenant, caretaker.login) };
  }

  const filesOf = (tenant: TestTenant) => env.db('stored_files').where('tenant_id', tenant.id).orderBy('id');

  it('keeps a client’s reply with its files and shows them in the conversation on both pages', async () => {
    const alfa = await company();
    const slug = alfa.tenant.slug;
    const page = `/${slug}/portal/tickets/${alfa.ticket.id}`;
    const response = await sendMultipart(alfa.agent, page, `${page}/replies`, { body: 'Dosyłam zdjęcie tabliczki.', submissionKey: randomUUID() }, [{ name: 'tabliczka.png', content: samples.png }]);
    expect(response.status).toBe(303);
    const message = await env.db('ticket_messages').where({ tenant_id: alfa.tenant.id, ticket_id: alfa.ticket.id }).first();
    const [file] = await filesOf(alfa.tenant);
    expect(file).toMatchObject({ ticket_id: alfa.ticket.id, ticket_message_id: message.id, safe_name: 'tabliczka.png', uploaded_by: alfa.client.id });
    for (const [agent, shown] of [
      [alfa.agent, page],
      [alfa.staff, `/${slug}/staff/tickets/${alfa.ticket.id}`],
    ] as const) {
      const html = (await agent.get(shown)).text;
      expect(html).toContain('data-testid="message-attachments"');
      expect(html).toContain(`/${slug}/files/${file.id}`);
      expect(html).toContain('data-testid="no-ticket-attachments"');
    }
    expect((await download(alfa.staff, `/${slug}/files/${file.id}`)).status).toBe(200);
  });

  it('adds one reply with one set of files when the reply form is sent twice', async () => {
    const alfa = await company();
    const page = `/${alfa.tenant.slug}/portal/tickets/${alfa.ticket.id}`;
    const fields = { body: 'Raz, nie dwa razy.', submissionKey: randomUUID() };
    const first = await sendMultipart(alfa.agent, page, `${page}/replies`, fields, [{ name: 'a.pdf', content: samples.pdf }]);
    const second = await sendMultipart(alfa.agent, page, `${page}/replies`, fields, [{ name: 'a.pdf', content: samples.pdf }]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(await env.db('ticket_messages').where({ tenant_id: alfa.tenant.id, ticket_id: alfa.ticket.id })).toHaveLength(1);
    expect(await filesOf(alfa.tenant)).toHaveLength(1);
  });

  it('adds one reply with one set of files when the same form arrives twice at once', async () => {
    const alfa = await company();
    const page = `/${alfa.tenant.slug}/portal/tickets/${alfa.ticket.id}`;
    const fields = { body: 'Wysłane dwa razy naraz.', submissionKey: randomUUID() };
    const token = await csrfTokenFrom(alfa.agent, page);
    const responses = await Promise.all([0, 1].map(() => sendMultipart(alfa.agent, page, `${page}/replies`, fields, [{ name: 'a.pdf', content: samples.pdf }], token)));
    expect(responses.map((response) => response.status)).toEqual([303, 303]);
    expect(await env.db('ticket_messages').where({ tenant_id: alfa.tenant.id, ticket_id: alfa.ticket.id })).toHaveLength(1);
    expect(await filesOf(alfa.tenant)).toHaveLength(1);
  });

  it('removes a ticket’s files, its messages’ included, with the ticket (the tenant-keyed foreign keys cascade)', async () => {
    const alfa = await company();
    const staffPage = `/${alfa.tenant.slug}/staff/tickets/${alfa.ticket.id}`;
    expect((await sendMultipart(alfa.staff, staffPage, `${staffPage}/messages`, { body: 'Z plikiem', submissionKey: randomUUID() }, [{ name: 'a.pdf', content: samples.pdf }])).status).toBe(303);
    expect(await filesOf(alfa.tenant)).toHaveLength(1);
    await env.db('tickets').where({ tenant_id: alfa.tenant.id, id: alfa.ticket.id }).delete();
    expect(await filesOf(alfa.tenant)).toHaveLength(0);
  });

  it('refuses a reply’s file of a refused type with 422, keeping the reply’s text and adding nothing', async () => {
    const alfa = await company();
    const page = `/${alfa.tenant.slug}/portal/tickets/${alfa.ticket.id}`;
    const response = await sendMultipart(alfa.agent, page, `${page}/replies`, { body: 'Tekst odpowiedzi zostaje', submissionKey: randomUUID() }, [{ name: 'program.exe', content: samples.executable }]);
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'files')).toContain('program.exe');
    expect(response.text).toContain('Tekst odpowiedzi zostaje');
    expect(response.text).toContain('data-testid="choose-files-again"');
    expect(await env.db('ticket_messages').where({ tenant_id: alfa.tenant.id })).toHaveLength(0);
    expect(await filesOf(alfa.tenant)).toHaveLength(0);
  });

  it('gives an internal note’s files to staff only: a client asking for one gets 404', async () => {
    const alfa = await company();
    const slug = alfa.tenant.slug;
    const staffPage = `/${slug}/staff/tickets/${alfa.ticket.id}`;
    const note = await sendMultipart(alfa.staff, staffPage, `${staffPage}/messages`, { body: 'Wycena części od hurtowni', isInternal: 'on', submissionKey: randomUUID() }, [{ name: 'wycena.pdf', content: samples.pdf }]);
    expect(note.status).toBe(303);
    const reply = await sendMultipart(alfa.staff, staffPage, `${staffPage}/messages`, { body: 'Instrukcja w załączniku', submissionKey: randomUUID() }, [{ name: 'instrukcja.pdf', content: samples.pdf }]);
    expect(reply.status).toBe(303);
    const [noteFile, replyFile] = await filesOf(alfa.tenant);
    expect(noteFile.ticket_message_id).not.toBe(replyFile.ticket_message_id);

    const staffHtml = (await alfa.staff.get(staffPage)).text;
    expect(staffHtml).toContain(`/${slug}/files/${noteFile.id}`);
    expect(staffHtml).toContain(`/${slug}/files/${replyFile.id}`);
    expect((await download(alfa.staff, `/${slug}/files/${noteFile.id}`)).status).toBe(200);

    const clientHtml = (await alfa.agent.get(`/${slug}/portal/tickets/${alfa.ticket.id}`)).text;
    expect(clientHtml).not.toContain('wycena.pdf');
    expect(clientHtml).not.toContain(`/${slug}/files/${noteFile.id}"`);
    expect(clientHtml).toContain(`/${slug}/files/${replyFile.id}`);
    expect((await download(alfa.agent, `/${slug}/files/${noteFile.id}`)).status).toBe(404);
    expect((await download(alfa.agent, `/${slug}/files/${replyFile.id}`)).status).toBe(200);
  });

  it('answers 404 to a client of another customer asking for a ticket’s attachment, as for a missing one', async () => {
    const alfa = await company();
    const slug = alfa.tenant.slug;
    const fields = { categoryId: String(await categoryId(env.db, alfa.tenant)), title: 'Z załącznikiem', description: 'x', submissionKey: randomUUID() };
    expect((await sendMultipart(alfa.agent, `/${slug}/portal/tickets/new`, `/${slug}/portal/tickets`, fields, [{ name: 'a.pdf', content: samples.pdf }])).status).toBe(303);
    const [file] = await filesOf(alfa.tenant);
    const beta = await makeCustomer(env.db, alfa.tenant, { name: 'Beta S.A.', caretaker: alfa.caretaker });
    const betaClient = await makeUser(env.db, alfa.tenant, 'client', { customer: beta });
    const betaAgent = await signedInAgent(env.app, alfa.tenant, betaClient.login);
    expect((await download(betaAgent, `/${slug}/files/${file.id}`)).status).toBe(404);
    expect((await download(betaAgent, `/${slug}/files/999999999`)).status).toBe(404);
    // a colleague at Alfa who is not its primary contact does not see Anna's ticket (A12), nor its files
    const colleague = await makeUser(env.db, alfa.tenant, 'client', { customer: alfa.customer });
    expect((await download(await signedInAgent(env.app, alfa.tenant, colleague.login), `/${slug}/files/${file.id}`)).status).toBe(404);
    // another caretaker, whose customers these are not, does not reach the assigned ticket's files either
    const otherCaretaker = await makeUser(env.db, alfa.tenant, 'caretaker');
    expect((await download(await signedInAgent(env.app, alfa.tenant, otherCaretaker.login), `/${slug}/files/${file.id}`)).status).toBe(404);
  });

  it('files staff’s ticket on a customer’s behalf with its files, and refuses a bad file with the form kept', async () => {
    const alfa = await company();
    const slug = alfa.tenant.slug;
    const formPage = `/${slug}/staff/customers/${alfa.customer.id}/tickets/new`;
    const action = `/${slug}/staff/customers/${alfa.customer.id}/tickets`;
    const fields = { categoryId: String(await categoryId(env.db, alfa.tenant)), title: 'Zgłoszenie telefoniczne', description: 'Klient przesłał zdjęcie mailem', submissionKey: randomUUID() };
    const refused = await sendMultipart(alfa.staff, formPage, action, fields, [{ name: 'zdjęcie.png', content: samples.executable }]);
    expect(refused.status).toBe(422);
    expect(fieldErrorOf(refused.text, 'files')).toContain('zdjęcie.png');
    expect(refused.text).toContain('Klient przesłał zdjęcie mailem');
    expect(refused.text).toContain('data-testid="choose-files-again"');
    const filed = await sendMultipart(alfa.staff, formPage, action, fields, [{ name: 'zdjęcie.png', content: samples.png }]);
    expect(filed.status).toBe(303);
    const ticketId = ticketIdFrom(filed.headers.location);
    const files = await filesOf(alfa.tenant);
    expect(files.map((file) => [file.ticket_id, file.ticket_message_id, file.uploaded_by])).toEqual([[ticketId, null, alfa.caretaker.id]]);
    expect((await alfa.agent.get(`/${slug}/portal/tickets/${ticketId}`)).status).toBe(404); // filed by staff, not Anna's own (A12)
    await env.db('users').where('id', alfa.client.id).update({ is_primary_contact: true });
    expect((await download(alfa.agent, `/${slug}/files/${files[0].id}`)).status).toBe(200);
  });
});

const folders: string[] = [];
describeOnEachDatabaseWith(
  'attachments of tickets, files in a folder (T6, FILES_DIR)',
  () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ebok-ticket-files-'));
    folders.push(folder);
    return { FILES_DIR: folder };
  },
  (env) => attachmentSuite(env, () => true),
);
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});
