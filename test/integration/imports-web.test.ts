import { expect, it } from 'vitest';
import { moneyOf } from '../../src/lib/money.js';
import { createCustomer } from '../../src/models/customer.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';
import { describeOnEachDatabase, type TestEnvironment } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent, type Agent } from '../support/http.js';
import { csvText, importText, invoiceHeader, numberedCustomer, paymentHeader } from '../support/imports.js';

async function signedInAdmin(env: TestEnvironment, tenant: TestTenant, locale = 'pl') {
  const admin = await makeUser(env.db, tenant, 'admin', { locale });
  return { admin, agent: await signedInAgent(env.app, tenant, admin.login) };
}

async function upload(agent: Agent, tenant: TestTenant, fields: Record<string, string>, file?: { name: string; content: Buffer }) {
  const token = await csrfTokenFrom(agent, `/${tenant.slug}/admin/imports`);
  let request = agent.post(`/${tenant.slug}/admin/imports`).field('_csrf', token);
  for (const [name, value] of Object.entries(fields)) request = request.field(name, value);
  if (file) request = request.attach('file', file.content, file.name);
  return request;
}

/**
 * The import's page once its job has run. The job is run here (env.deliverMail runs what is due),
 * but on the MySQL database that test files share, another file's runner may have claimed it a
 * moment before and still be running it: the page is asked again until it stops refreshing (5 s at most).
 */
async function pageOnceJobRan(env: TestEnvironment, agent: Agent, page: string) {
  for (let attempt = 0; ; attempt += 1) {
    await env.deliverMail();
    const shown = await agent.get(page);
    if (shown.headers.refresh === undefined || attempt >= 50) return shown;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeOnEachDatabase('the import page', (env) => {
  it('queues an uploaded file, shows its progress while it waits, and its result once the job has run', async () => {
    const tenant = await makeTenant(env.db);
    const { admin, agent } = await signedInAdmin(env, tenant);
    const { customerNumber } = await numberedCustomer(env.db, tenant);
    const file = csvText([invoiceHeader, ['FV-1', customerNumber!, 'FV/1', '2026-03-01', '2026-03-31', '300,00', '', ''], ['FV-2', customerNumber!, 'FV/2', '2026-03-01', '2026-02-01', '10', '', '']]);

    const posted = await upload(agent, tenant, { kind: 'invoices', mode: 'dry-run' }, { name: 'faktury.csv', content: Buffer.from(file) });
    expect(posted.status).toBe(303);
    const page = posted.headers.location as string;
    expect(page).toMatch(new RegExp(`^/${tenant.slug}/admin/imports/\\d+$`));
    const waiting = await agent.get(page);
    expect(waiting.status).toBe(200);
    expect(waiting.headers.refresh).toBe('3');
    expect(waiting.text).toContain('data-status="queued"');

    const finished = await pageOnceJobRan(env, agent, page);
    expect(finished.headers.refresh).toBeUndefined();
    expect(finished.text).toContain('data-status="refused"');
    expect(finished.text).toContain('Wiersze: 2 z 2, dotąd błędne: 1');
    expect(finished.text).toMatch(/data-line="3"[\s\S]*Termin płatności 2026-02-01 jest wcześniejszy niż data wystawienia 2026-03-01/);
    expect(finished.text).toContain('Niczego nie zapisano.');
    expect(await env.db('ledger_entries').where('tenant_id', tenant.id)).toEqual([]);

    const list = await agent.get(`/${tenant.slug}/admin/imports`);
    expect(list.text).toContain('faktury.csv');
    expect(list.text).toContain('Wiersze: 2; nowe: 1, zmienione: 0, bez zmian: 0, błędne: 1');
    const audit = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'import.checked' }).first();
    expect(audit).toMatchObject({ actor_id: admin.id });
    expect(JSON.parse(audit.details)).toMatchObject({ kind: 'invoices', rows: 2, created: 1, errors: 1 });
    // The file is gone from the store once read.
    expect(await env.db('imports').where('tenant_id', tenant.id).first('store_key')).toEqual({ store_key: null });
  });

  it('imports a good file for real, in English too', async () => {
    const tenant = await makeTenant(env.db);
    const { admin, agent } = await signedInAdmin(env, tenant, 'en');
    const { customerNumber } = await numberedCustomer(env.db, tenant);
    const file = csvText([paymentHeader, ['KP-1', customerNumber!, '2026-03-10', '12.50', 'card', '', '']]);
    const posted = await upload(agent, tenant, { kind: 'payments', mode: 'import' }, { name: 'payments.csv', content: Buffer.from(file) });
    const finished = await pageOnceJobRan(env, agent, posted.headers.location as string);
    expect(finished.text).toContain('data-status="done"');
    expect(finished.text).toContain('Imported.');
    expect(await env.db('ledger_entries').where({ tenant_id: tenant.id, status: 'approved', external_id: 'KP-1' })).toHaveLength(1);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'import.completed', actor_id: admin.id })).toHaveLength(1);
  });

  it('gives the form back with 422 without a file or a kind', async () => {
    const tenant = await makeTenant(env.db);
    const { agent } = await signedInAdmin(env, tenant, 'en');
    const response = await upload(agent, tenant, { mode: 'import' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Choose what the file holds.');
    expect(response.text).toContain('Choose a CSV file.');
    expect(response.text).toContain('id="mode-import" name="mode" value="import" checked');
    expect(await env.db('imports').where('tenant_id', tenant.id)).toEqual([]);
  });

  for (const role of ['client', 'caretaker'] as const) {
    it(`refuses a ${role} the import and export pages with 403`, async () => {
      const tenant = await makeTenant(env.db);
      const user = await makeUser(env.db, tenant, role);
      const agent = await signedInAgent(env.app, tenant, user.login);
      for (const path of ['imports', 'exports/customers.csv', 'exports/invoices.csv', 'exports/payments.csv']) expect((await agent.get(`/${tenant.slug}/admin/${path}`)).status, path).toBe(403);
      const token = await csrfTokenFrom(agent, `/${tenant.slug}/${role === 'client' ? 'portal' : 'staff'}`);
      const posted = await agent.post(`/${tenant.slug}/admin/imports`).field('_csrf', token).field('kind', 'customers').attach('file', Buffer.from('customer_number;name\r\nK/1;X\r\n'), 'c.csv');
      expect(posted.status).toBe(403);
      expect(await env.db('imports').where('tenant_id', tenant.id)).toEqual([]);
    });
  }
});

describeOnEachDatabase('exports', (env) => {
  it('write customers, invoices and payments that import back unchanged, formula characters and the portal’s own entries included', async () => {
    const tenant = await makeTenant(env.db);
    const { agent } = await signedInAdmin(env, tenant);
    const scope = scopeFor(env.db, tenant);
    const alfa = await createCustomer(scope, { name: '=Alfa sp. z o.o.', customerNumber: 'K/1', taxId: '1234563218', city: 'Łódź', phone: '+48 600 100 200', bankAccount: '70109010140000000000001001' });
    await createCustomer(scope, { name: 'Beta; "cudzysłów"', customerNumber: 'K/2', caretakerId: tenant.superadmin.id, email: 'beta@example.test' });
    await importText(env.db, tenant, 'invoices', csvText([invoiceHeader, ['FV-1', 'K/1', 'FV/1', '2026-03-01', '2026-03-31', '1 234,56', '', "'-rabat"]]));
    // An invoice and a payment entered in the portal (no external id): exported as ebok:<id>.
    const invoice = await enterLedgerEntry(scope, { kind: 'invoice', customerId: alfa.id, amount: moneyOf(5000, 'PLN'), documentNumber: 'FV/2', issueDate: '2026-03-02', dueDate: '2026-03-20' }, { isApproved: true });
    await enterLedgerEntry(scope, { kind: 'payment', customerId: alfa.id, amount: moneyOf(2000, 'PLN'), paidOn: '2026-03-05', method: 'transfer', reference: '@przelew', paysEntryId: invoice.id }, { isApproved: true });
    // A pending payment is not exported.
    await enterLedgerEntry(scope, { kind: 'payment', customerId: alfa.id, amount: moneyOf(100, 'PLN'), paidOn: '2026-03-06', method: 'cash' });

    const customers = await agent.get(`/${tenant.slug}/admin/exports/customers.csv`).buffer(true).parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(customers.status).toBe(200);
    expect(customers.headers['content-type']).toBe('text/csv; charset=utf-8');
    const customerText = (customers.body as Buffer).toString('utf8');
    expect(customerText).toContain("K/1;'=Alfa sp. z o.o.;PL;1234563218;;;Łódź;PL;;'+48 600 100 200;70109010140000000000001001;\r\n");
    expect(customerText).toContain(`K/2;"Beta; ""cudzysłów""";PL;;;;;PL;beta@example.test;;;owner@${tenant.slug}.example\r\n`);
    const invoices = (await agent.get(`/${tenant.slug}/admin/exports/invoices.csv`)).text;
    expect(invoices).toContain("FV-1;K/1;FV/1;2026-03-01;2026-03-31;1234,56;PLN;'-rabat\r\n");
    expect(invoices).toContain(`ebok:${invoice.id};K/1;FV/2;2026-03-02;2026-03-20;50,00;PLN;\r\n`);
    const payments = (await agent.get(`/${tenant.slug}/admin/exports/payments.csv`)).text;
    expect(payments.trim().split('\r\n')).toHaveLength(2);

    expect(await importText(env.db, tenant, 'customers', customers.body as Buffer, { isDryRun: true })).toMatchObject({ status: 'done', created: 0, changed: 0, unchanged: 2 });
    expect(await importText(env.db, tenant, 'invoices', invoices, { isDryRun: true })).toMatchObject({ status: 'done', created: 0, unchanged: 2 });
    expect(await importText(env.db, tenant, 'payments', payments, { isDryRun: true })).toMatchObject({ status: 'done', created: 0, unchanged: 1 });
    const exported = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'export.downloaded' }).orderBy('id');
    expect(exported.map((row) => JSON.parse(row.details))).toEqual([
      { kind: 'customers', rows: 2 },
      { kind: 'invoices', rows: 2 },
      { kind: 'payments', rows: 1 },
    ]);
  });
});
