import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Customer } from '../../src/models/customer.js';
import type { User } from '../../src/models/user.js';
import { describeOnEachDatabase, describeOnEachDatabaseWith, type TestEnvironment } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent, type Agent } from '../support/http.js';

/** Files as a person would send them: what their names say, and what they really are. */
const samples = {
  pdf: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]),
  csv: Buffer.from('numer;kwota\n2026/000123;150,00\n', 'utf8'),
  /** A Windows program: "MZ", then the binary header. */
  executable: Buffer.concat([Buffer.from('MZ'), Buffer.from([0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]), Buffer.alloc(256, 0)]),
};

const megabyte = 1024 * 1024;

function documentSuite(env: TestEnvironment, isOnDisk: () => boolean) {
  type Company = { tenant: TestTenant; customer: Customer; caretaker: User; client: User; agent: Agent };

  async function company(options: { isPrimaryContact?: boolean } = {}): Promise<Company> {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.', caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Anna', lastName: 'Nowak' });
    if (options.isPrimaryContact) await env.db('users').where('id', client.id).update({ is_primary_contact: true });
    return { tenant, customer, caretaker, client, agent: await signedInAgent(env.app, tenant, client.login) };
  }

  type Upload = { name: string; content: Buffer };

  /** Sends the "add document" form as a browser does: the token first, then the fields, then the files. */
  async function addDocument(who: Pick<Company, 'agent' | 'tenant'>, fields: Record<string, string>, files: Upload[], csrfToken?: string) {
    const token = csrfToken ?? (await csrfTokenFrom(who.agent, `/${who.tenant.slug}/portal/documents`));
    let request = who.agent.post(`/${who.tenant.slug}/portal/documents`).field('_csrf', token);
    for (const [name, value] of Object.entries(fields)) request = request.field(name, value);
    for (const file of files) request = request.attach('files', file.content, file.name);
    return request;
  }

  const documentsOf = (customer: Customer) => env.db('documents').where('customer_id', customer.id).orderBy('id');
  const filesOf = (tenant: TestTenant) => env.db('stored_files').where('tenant_id', tenant.id).orderBy('id');
  const blobsOf = (tenant: TestTenant) => env.db('file_blobs').where('tenant_id', tenant.id);

  async function expectNothingStored(alfa: Company) {
    expect(await documentsOf(alfa.customer)).toHaveLength(0);
    expect(await filesOf(alfa.tenant)).toHaveLength(0);
    expect(await blobsOf(alfa.tenant)).toHaveLength(0);
    if (isOnDisk()) expect(existsSync(path.join(env.config.filesDirectory!, String(alfa.tenant.id)))).toBe(false);
  }

  it('adds a document with its files, lists it and sends each file back as a download', async () => {
    const alfa = await company();
    const response = await addDocument(alfa, { title: 'Protokół odbioru', description: 'Podpisany przez obie strony' }, [
      { name: 'Protokół serwisu.pdf', content: samples.pdf },
      { name: 'zdjęcie.png', content: samples.png },
    ]);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${alfa.tenant.slug}/portal/documents`);

    const [document] = await documentsOf(alfa.customer);
    expect(document).toMatchObject({ title: 'Protokół odbioru', description: 'Podpisany przez obie strony', added_by: alfa.client.id });
    const files = await filesOf(alfa.tenant);
    expect(files.map((file) => [file.safe_name, file.media_type, file.size, file.store])).toEqual([
      ['Protokół serwisu.pdf', 'application/pdf', samples.pdf.length, isOnDisk() ? 'disk' : 'database'],
      ['zdjęcie.png', 'image/png', samples.png.length, isOnDisk() ? 'disk' : 'database'],
    ]);
    expect(await blobsOf(alfa.tenant)).toHaveLength(isOnDisk() ? 0 : 2);
    if (isOnDisk()) expect(readdirSync(path.join(env.config.filesDirectory!, String(alfa.tenant.id)), { recursive: true }).length).toBeGreaterThan(0);

    const page = await alfa.agent.get(`/${alfa.tenant.slug}/portal/documents`);
    expect(page.text).toContain('Protokół odbioru');
    expect(page.text).toContain('Dodano dokument.');
    expect(page.text).toContain(`/${alfa.tenant.slug}/files/${files[0].id}`);

    const download = await alfa.agent.get(`/${alfa.tenant.slug}/files/${files[0].id}`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(download.status).toBe(200);
    expect(Buffer.compare(download.body as Buffer, samples.pdf)).toBe(0);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="Protokol serwisu.pdf"; filename*=UTF-8''Protok%C3%B3%C5%82%20serwisu.pdf`);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['cache-control']).toContain('no-store');
  });

  it('keeps a file of several megabytes whole, in chunks of the store', async () => {
    const alfa = await company();
    const content = Buffer.concat([samples.pdf, Buffer.alloc(3 * megabyte + 12345, 0x41)]);
    expect((await addDocument(alfa, { title: 'Duży skan' }, [{ name: 'skan.pdf', content }])).status).toBe(303);
    if (!isOnDisk()) expect(await blobsOf(alfa.tenant)).toHaveLength(4);
    const [file] = await filesOf(alfa.tenant);
    const download = await alfa.agent.get(`/${alfa.tenant.slug}/files/${file.id}`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(Buffer.compare(download.body as Buffer, content)).toBe(0);
  });

  it('audits the document with ids and the number of files, never the names', async () => {
    const alfa = await company();
    await addDocument(alfa, { title: 'Umowa Jana Kowalskiego' }, [{ name: 'umowa-kowalski.pdf', content: samples.pdf }]);
    const entry = await env.db('audit_log').where({ tenant_id: alfa.tenant.id, action: 'document.added' }).first();
    expect(entry).toMatchObject({ actor_id: alfa.client.id, subject_type: 'customer', subject_id: alfa.customer.id });
    expect(JSON.parse(entry.details)).toEqual({ documentId: (await documentsOf(alfa.customer))[0].id, files: 1 });
    expect(entry.details).not.toContain('Kowalsk');
  });

  it('refuses a program renamed to .pdf with 422 naming the file, keeps the title and stores nothing', async () => {
    const alfa = await company();
    const response = await addDocument(alfa, { title: 'Faktura', description: 'Do zapłaty' }, [{ name: 'faktura.pdf', content: samples.executable }]);
    expect(response.status).toBe(422);
    expect(response.text).toContain('Nie można przyjąć pliku „faktura.pdf”');
    expect(response.text).toContain('value="Faktura"');
    expect(response.text).toContain('Do zapłaty');
    expect(response.text).toContain('data-testid="choose-files-again"');
    await expectNothingStored(alfa);
  });

  it('refuses a file of 11 MB with 422, cut off at the limit, and stores nothing', async () => {
    const alfa = await company();
    const content = Buffer.concat([samples.pdf, Buffer.alloc(11 * megabyte, 0x20)]);
    const response = await addDocument(alfa, { title: 'Skan umowy' }, [{ name: 'umowa.pdf', content }]);
    expect(response.status).toBe(422);
    expect(response.text).toContain('Plik „umowa.pdf” jest większy niż 10 MB.');
    expect(response.text).toContain('value="Skan umowy"');
    await expectNothingStored(alfa);
  });

  it('refuses six files with 422 and stores none of them', async () => {
    const alfa = await company();
    const six = Array.from({ length: 6 }, (_, index) => ({ name: `strona-${index + 1}.pdf`, content: samples.pdf }));
    const response = await addDocument(alfa, { title: 'Sześć stron' }, six);
    expect(response.status).toBe(422);
    expect(response.text).toContain('Można dodać najwyżej 5 plików naraz.');
    expect(response.text).toContain('value="Sześć stron"');
    await expectNothingStored(alfa);
  });

  it('takes five files, the most a submission may carry', async () => {
    const alfa = await company();
    const five = Array.from({ length: 5 }, (_, index) => ({ name: `strona-${index + 1}.pdf`, content: samples.pdf }));
    expect((await addDocument(alfa, { title: 'Pięć stron' }, five)).status).toBe(303);
    expect(await filesOf(alfa.tenant)).toHaveLength(5);
  });

  it('asks for a title and at least one file, and keeps what was typed', async () => {
    const alfa = await company();
    const noFile = await addDocument(alfa, { title: 'Bez pliku' }, []);
    expect(noFile.status).toBe(422);
    expect(noFile.text).toContain('Wybierz co najmniej jeden plik.');
    expect(noFile.text).toContain('value="Bez pliku"');
    const noTitle = await addDocument(alfa, { title: ' ', description: 'Opis bez tytułu' }, [{ name: 'a.csv', content: samples.csv }]);
    expect(noTitle.status).toBe(422);
    expect(noTitle.text).toContain('To pole jest wymagane.');
    expect(noTitle.text).toContain('Opis bez tytułu');
    const tooLong = await addDocument(alfa, { title: 'x'.repeat(201) }, [{ name: 'a.csv', content: samples.csv }]);
    expect(tooLong.status).toBe(422);
    await expectNothingStored(alfa);
  });

  it('adds one document when the same form is sent twice', async () => {
    const alfa = await company();
    const fields = { title: 'Dwuklik', submissionKey: '7f9c1a52-3f55-4a47-9d7e-0d3c8a1b2c3d' };
    // One form page, sent twice at once (a double click).
    const token = await csrfTokenFrom(alfa.agent, `/${alfa.tenant.slug}/portal/documents`);
    const [first, second] = await Promise.all([
      addDocument(alfa, fields, [{ name: 'a.pdf', content: samples.pdf }], token),
      addDocument(alfa, fields, [{ name: 'a.pdf', content: samples.pdf }], token),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(await documentsOf(alfa.customer)).toHaveLength(1);
    expect(await filesOf(alfa.tenant)).toHaveLength(1);
    if (isOnDisk()) expect(readdirSync(path.join(env.config.filesDirectory!, String(alfa.tenant.id)), { recursive: true }).filter((name) => String(name).length > 2)).toHaveLength(1);
  });

  it('refuses a multipart form without its token, or with the token after the files, and writes nothing', async () => {
    const alfa = await company();
    const url = `/${alfa.tenant.slug}/portal/documents`;
    const noToken = await alfa.agent.post(url).field('title', 'Bez tokenu').attach('files', samples.pdf, 'a.pdf');
    expect(noToken.status).toBe(403);
    const token = await csrfTokenFrom(alfa.agent, url);
    const late = await alfa.agent.post(url).field('title', 'Token na końcu').attach('files', samples.pdf, 'a.pdf').field('_csrf', token);
    expect(late.status).toBe(403);
    const wrong = await alfa.agent.post(url).field('_csrf', 'x'.repeat(43)).field('title', 'Zły token').attach('files', samples.pdf, 'a.pdf');
    expect(wrong.status).toBe(403);
    // A form that breaks (too many fields) before its token is shown is refused as one without it.
    let broken = alfa.agent.post(url);
    for (let field = 0; field < 60; field += 1) broken = broken.field(`extra${field}`, 'x');
    expect((await broken.field('_csrf', token).attach('files', samples.pdf, 'a.pdf')).status).toBe(403);
    await expectNothingStored(alfa);
  });

  it('refuses a multipart request to a route that takes no files, token or not', async () => {
    const alfa = await company();
    const token = await csrfTokenFrom(alfa.agent, `/${alfa.tenant.slug}/portal/company/change-requests/new`);
    const response = await alfa.agent.post(`/${alfa.tenant.slug}/portal/company/change-requests`).field('_csrf', token).field('city', 'Kraków');
    expect(response.status).toBe(403);
    expect(await env.db('customer_change_requests').where('customer_id', alfa.customer.id)).toHaveLength(0);
  });

  it('shows a client its own documents, and a primary contact all of the company’s', async () => {
    const alfa = await company();
    await addDocument(alfa, { title: 'Dokument Anny' }, [{ name: 'a.pdf', content: samples.pdf }]);
    const [file] = await filesOf(alfa.tenant);
    const colleague = await makeUser(env.db, alfa.tenant, 'client', { customer: alfa.customer });
    const colleagueAgent = await signedInAgent(env.app, alfa.tenant, colleague.login);
    expect((await colleagueAgent.get(`/${alfa.tenant.slug}/portal/documents`)).text).not.toContain('Dokument Anny');
    expect((await colleagueAgent.get(`/${alfa.tenant.slug}/files/${file.id}`)).status).toBe(404);

    const primary = await makeUser(env.db, alfa.tenant, 'client', { customer: alfa.customer });
    await env.db('users').where('id', primary.id).update({ is_primary_contact: true });
    const primaryAgent = await signedInAgent(env.app, alfa.tenant, primary.login);
    const page = await primaryAgent.get(`/${alfa.tenant.slug}/portal/documents`);
    expect(page.text).toContain('Dokument Anny');
    expect(page.text).toContain('Anna Nowak');
    expect((await primaryAgent.get(`/${alfa.tenant.slug}/files/${file.id}`)).status).toBe(200);
  });

  it('answers 404 to a client of another customer who opens a file by its id, as for a missing one', async () => {
    const alfa = await company();
    await addDocument(alfa, { title: 'Poufne' }, [{ name: 'a.pdf', content: samples.pdf }]);
    const [file] = await filesOf(alfa.tenant);
    const beta = await makeUser(env.db, alfa.tenant, 'client');
    const betaAgent = await signedInAgent(env.app, alfa.tenant, beta.login);
    const response = await betaAgent.get(`/${alfa.tenant.slug}/files/${file.id}`);
    expect(response.status).toBe(404);
    expect(response.headers['content-disposition']).toBeUndefined();
    expect((await betaAgent.get(`/${alfa.tenant.slug}/files/${file.id + 100000}`)).status).toBe(404);
    expect((await betaAgent.get(`/${alfa.tenant.slug}/portal/documents`)).text).not.toContain('Poufne');
  });

  it('shows the customer’s caretaker the documents on the customer record; another caretaker gets 404', async () => {
    const alfa = await company();
    await addDocument(alfa, { title: 'Dla opiekuna' }, [{ name: 'dane.csv', content: samples.csv }]);
    const [file] = await filesOf(alfa.tenant);
    expect(file.media_type).toBe('text/csv');
    const caretakerAgent = await signedInAgent(env.app, alfa.tenant, alfa.caretaker.login);
    const tab = await caretakerAgent.get(`/${alfa.tenant.slug}/staff/customers/${alfa.customer.id}/documents`);
    expect(tab.status).toBe(200);
    expect(tab.text).toContain('Dla opiekuna');
    expect(tab.text).toContain('aria-current="page">Dokumenty<');
    const download = await caretakerAgent.get(`/${alfa.tenant.slug}/files/${file.id}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('text/csv; charset=utf-8');

    const other = await makeUser(env.db, alfa.tenant, 'caretaker');
    const otherAgent = await signedInAgent(env.app, alfa.tenant, other.login);
    expect((await otherAgent.get(`/${alfa.tenant.slug}/staff/customers/${alfa.customer.id}/documents`)).status).toBe(404);
    expect((await otherAgent.get(`/${alfa.tenant.slug}/files/${file.id}`)).status).toBe(404);
    const admin = await makeUser(env.db, alfa.tenant, 'admin');
    expect((await (await signedInAgent(env.app, alfa.tenant, admin.login)).get(`/${alfa.tenant.slug}/files/${file.id}`)).status).toBe(200);
  });

  it('says so when a customer has no documents', async () => {
    const alfa = await company();
    expect((await alfa.agent.get(`/${alfa.tenant.slug}/portal/documents`)).text).toContain('data-testid="documents-empty"');
  });
}

describeOnEachDatabase('documents of a customer, files in the database (T6)', (env) => documentSuite(env, () => false));

const folders: string[] = [];
describeOnEachDatabaseWith(
  'documents of a customer, files in a folder (T6, FILES_DIR)',
  () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ebok-files-'));
    folders.push(folder);
    return { FILES_DIR: folder };
  },
  (env) => documentSuite(env, () => true),
);
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describeOnEachDatabase('the page of one document (T6)', (env) => {
  it('shows the client its document with its files, and staff the same from the customer record', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Anna', lastName: 'Nowak' });
    const agent = await signedInAgent(env.app, tenant, client.login);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/portal/documents`);
    await agent.post(`/${tenant.slug}/portal/documents`).field('_csrf', token).field('title', 'Zdjęcia awarii').field('description', 'Linia 1\nLinia 2').attach('files', samples.png, 'awaria.png');
    const document = await env.db('documents').where('customer_id', customer.id).first();

    const list = await agent.get(`/${tenant.slug}/portal/documents`);
    expect(list.text).toContain(`href="/${tenant.slug}/portal/documents/${document.id}"`);
    const page = await agent.get(`/${tenant.slug}/portal/documents/${document.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Zdjęcia awarii');
    expect(page.text).toContain('awaria.png');
    expect(page.text).toContain('Anna Nowak');

    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    const staffPage = await staff.get(`/${tenant.slug}/staff/documents/${document.id}`);
    expect(staffPage.status).toBe(200);
    expect(staffPage.text).toContain(`/${tenant.slug}/staff/customers/${customer.id}/documents`);

    const stranger = await makeUser(env.db, tenant, 'client');
    expect((await (await signedInAgent(env.app, tenant, stranger.login)).get(`/${tenant.slug}/portal/documents/${document.id}`)).status).toBe(404);
    const otherCaretaker = await makeUser(env.db, tenant, 'caretaker');
    expect((await (await signedInAgent(env.app, tenant, otherCaretaker.login)).get(`/${tenant.slug}/staff/documents/${document.id}`)).status).toBe(404);
  });
});
