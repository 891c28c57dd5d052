import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { moneyOf } from '../../src/lib/money.js';
import { duesOf } from '../../src/models/customer-balance.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';
import type { TestEnvironment } from '../support/environment.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, renewConfigurationVersion, scopeFor } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent } from '../support/http.js';

/** A tenant with two admins and a customer, the first admin signed in on the invoice form. */
async function invoiceDesk(env: TestEnvironment) {
  const tenant = await makeTenant(env.db);
  const admin = await makeUser(env.db, tenant, 'admin');
  const secondAdmin = await makeUser(env.db, tenant, 'admin');
  const customer = await makeCustomer(env.db, tenant);
  const agent = await signedInAgent(env.app, tenant, admin.login);
  const csrfToken = await csrfTokenFrom(agent, `/${tenant.slug}/admin/invoices/new`);
  const form = (fields: Record<string, string> = {}) => ({ _csrf: csrfToken, customerId: String(customer.id), documentNumber: 'FV/7/2026', issueDate: '2026-11-02', dueDate: '2026-11-16', amount: '2 460,00', description: 'Serwis listopad', submissionKey: randomUUID(), ...fields });
  const invoices = () => env.db('ledger_entries').where({ tenant_id: tenant.id, kind: 'invoice' }).orderBy('id');
  return { tenant, admin, secondAdmin, customer, agent, form, invoices };
}

describeOnEachDatabase('invoices and corrections entered by admins (M1)', (env) => {
  it('enters an invoice as a pending entry, audited, that counts only once another admin approves it', async () => {
    const { tenant, customer, agent, form, invoices, secondAdmin } = await invoiceDesk(env);
    const response = await agent.post(`/${tenant.slug}/admin/invoices`).type('form').send(form());
    expect(response.status).toBe(303);
    const [invoice] = await invoices();
    expect(invoice).toMatchObject({ status: 'pending', customer_id: customer.id, document_number: 'FV/7/2026', description: 'Serwis listopad', source: 'manual' });
    expect(String(invoice.entry_date).slice(0, 10)).toBe('2026-11-02');
    expect(String(invoice.due_date).slice(0, 10)).toBe('2026-11-16');
    expect(Number(invoice.amount)).toBe(246_000);
    expect(response.headers.location).toBe(`/${tenant.slug}/admin/ledger-entries/${invoice.id}`);
    const [audit] = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'ledger_entry.entered', subject_id: invoice.id });
    expect(JSON.parse(audit.details)).toMatchObject({ kind: 'invoice', customer: customer.id });

    const today = '2026-12-01';
    expect((await duesOf(scopeFor(env.db, tenant), customer.id, today)).balance.minor).toBe(0n);
    // The one who entered it may not approve it (payments.approval = other by default).
    const own = await agent.post(`/${tenant.slug}/admin/ledger-entries/${invoice.id}/approval`).type('form').send({ _csrf: await csrfTokenFrom(agent, `/${tenant.slug}/admin/ledger-entries/${invoice.id}`), version: '1' });
    expect(own.status).toBe(403);
    const second = await signedInAgent(env.app, tenant, secondAdmin.login);
    const approval = await second.post(`/${tenant.slug}/admin/ledger-entries/${invoice.id}/approval`).type('form').send({ _csrf: await csrfTokenFrom(second, `/${tenant.slug}/admin/ledger-entries/${invoice.id}`), version: '1' });
    expect(approval.status).toBe(303);
    expect((await duesOf(scopeFor(env.db, tenant), customer.id, today)).balance.minor).toBe(246_000n);
  });

  it('is offered on the customer’s settlements tab with the customer chosen', async () => {
    const { tenant, customer, agent } = await invoiceDesk(env);
    const tab = await agent.get(`/${tenant.slug}/staff/customers/${customer.id}/ledger`);
    expect(tab.text).toContain(`href="/${tenant.slug}/admin/invoices/new?customer=${customer.id}"`);
    const form = await agent.get(`/${tenant.slug}/admin/invoices/new?customer=${customer.id}`);
    expect(form.text).toMatch(new RegExp(`<option value="${customer.id}" selected>`));
  });

  it('makes an invoice without a due date due the tenant’s payment term after its issue date', async () => {
    const { tenant, agent, form, invoices } = await invoiceDesk(env);
    await env.db('tenants').where('id', tenant.id).update({ payment_term_days: 30 });
    await renewConfigurationVersion(env.db, tenant);
    const page = await agent.get(`/${tenant.slug}/admin/invoices/new`);
    expect(page.text).toContain('Bez terminu faktura jest płatna 30 dni po dacie wystawienia');
    expect((await agent.post(`/${tenant.slug}/admin/invoices`).type('form').send(form({ dueDate: '', issueDate: '2026-12-20' }))).status).toBe(303);
    const [invoice] = await invoices();
    expect(String(invoice.due_date).slice(0, 10)).toBe('2027-01-19');
  });

  for (const [name, fields, field, message] of [
    ['a due date before the issue date', { dueDate: '2026-11-01' }, 'dueDate', 'Termin płatności nie może być wcześniejszy niż data wystawienia.'],
    ['a zero amount', { amount: '0' }, 'amount', 'Podaj kwotę większą od zera.'],
    ['a negative amount', { amount: '-100,00' }, 'amount', 'Podaj kwotę większą od zera.'],
    ['a malformed amount', { amount: '12,345' }, 'amount', 'Podaj kwotę, na przykład 1 234,56 lub 1234.56.'],
    ['no invoice number', { documentNumber: ' ' }, 'documentNumber', undefined],
    ['an unknown customer', { customerId: '999999999' }, 'customerId', 'Wybierz klienta.'],
  ] as const) {
    it(`refuses ${name} with 422, keeps the typed values and enters nothing`, async () => {
      const { tenant, agent, form, invoices } = await invoiceDesk(env);
      const response = await agent.post(`/${tenant.slug}/admin/invoices`).type('form').send(form(fields));
      expect(response.status).toBe(422);
      const shown = fieldErrorOf(response.text, field);
      expect(shown).toBeTruthy();
      if (message) expect(shown).toBe(message);
      expect(response.text).toContain('Serwis listopad');
      expect(await invoices()).toEqual([]);
    });
  }

  it('refuses a second invoice with a number already entered (422), and takes it again once the first is rejected', async () => {
    const { tenant, agent, form, invoices, secondAdmin } = await invoiceDesk(env);
    expect((await agent.post(`/${tenant.slug}/admin/invoices`).type('form').send(form())).status).toBe(303);
    const taken = await agent.post(`/${tenant.slug}/admin/invoices`).type('form').send(form());
    expect(taken.status).toBe(422);
    expect(fieldErrorOf(taken.text, 'documentNumber')).toBe('Faktura o numerze FV/7/2026 jest już wprowadzona. Sprawdź numer.');
    expect(await invoices()).toHaveLength(1);
    const [first] = await invoices();
    const second = await signedInAgent(env.app, tenant, secondAdmin.login);
    const rejection = await second.post(`/${tenant.slug}/admin/ledger-entries/${first.id}/rejection`).type('form').send({ _csrf: await csrfTokenFrom(second, `/${tenant.slug}/admin/ledger-entries/${first.id}`), version: '1', reason: 'Zły klient' });
    expect(rejection.status).toBe(303);
    expect((await agent.post(`/${tenant.slug}/admin/invoices`).type('form').send(form())).status).toBe(303);
    expect(await invoices()).toHaveLength(2);
  });

  it('enters one invoice for a form sent again and for ten concurrent posts of one form', async () => {
    const { tenant, agent, form, invoices } = await invoiceDesk(env);
    const submitted = form();
    const first = await agent.post(`/${tenant.slug}/admin/invoices`).type('form').send(submitted);
    const again = await agent.post(`/${tenant.slug}/admin/invoices`).type('form').send(submitted);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await invoices()).toHaveLength(1);
    const concurrent = form({ documentNumber: 'FV/8/2026' });
    const responses = await Promise.all(Array.from({ length: 10 }, () => agent.post(`/${tenant.slug}/admin/invoices`).type('form').send(concurrent)));
    for (const response of responses) expect([303, 409]).toContain(response.status);
    expect(await invoices()).toHaveLength(2);
  });

  it('corrects an approved invoice by a pending correction pointing at it, which lowers the balance once approved; the invoice stays as it was', async () => {
    const { tenant, customer, agent, secondAdmin } = await invoiceDesk(env);
    const invoice = await enterLedgerEntry(scopeFor(env.db, tenant), { kind: 'invoice', customerId: customer.id, amount: moneyOf(50_000, 'PLN'), documentNumber: 'FV/1/2026', issueDate: '2026-11-01', dueDate: '2026-11-15' }, { isApproved: true, source: 'import' });
    const before = await env.db('ledger_entries').where({ tenant_id: tenant.id, id: invoice.id }).first();
    const entryPage = await agent.get(`/${tenant.slug}/admin/ledger-entries/${invoice.id}`);
    expect(entryPage.text).toContain(`href="/${tenant.slug}/admin/ledger-entries/${invoice.id}/corrections/new"`);
    const formPage = await agent.get(`/${tenant.slug}/admin/ledger-entries/${invoice.id}/corrections/new`);
    expect(formPage.status).toBe(200);
    const csrfToken = await csrfTokenFrom(agent, `/${tenant.slug}/admin/ledger-entries/${invoice.id}/corrections/new`);
    const fields = { _csrf: csrfToken, direction: 'lower', amount: '120,50', date: '2026-11-20', description: 'Faktura korygująca FVK/1/2026', submissionKey: randomUUID() };

    const refused = await agent.post(`/${tenant.slug}/admin/ledger-entries/${invoice.id}/corrections`).type('form').send({ ...fields, amount: '0' });
    expect(refused.status).toBe(422);
    expect(fieldErrorOf(refused.text, 'amount')).toBe('Podaj kwotę większą od zera.');

    const response = await agent.post(`/${tenant.slug}/admin/ledger-entries/${invoice.id}/corrections`).type('form').send(fields);
    expect(response.status).toBe(303);
    const correction = await env.db('ledger_entries').where({ tenant_id: tenant.id, kind: 'correction' }).first();
    expect(correction).toMatchObject({ status: 'pending', customer_id: customer.id, corrects_entry_id: invoice.id, description: 'Faktura korygująca FVK/1/2026' });
    expect(Number(correction.amount)).toBe(-12_050);
    const today = '2026-12-01';
    expect((await duesOf(scopeFor(env.db, tenant), customer.id, today)).balance.minor).toBe(50_000n);

    const second = await signedInAgent(env.app, tenant, secondAdmin.login);
    const approval = await second.post(`/${tenant.slug}/admin/ledger-entries/${correction.id}/approval`).type('form').send({ _csrf: await csrfTokenFrom(second, `/${tenant.slug}/admin/ledger-entries/${correction.id}`), version: '1' });
    expect(approval.status).toBe(303);
    expect((await duesOf(scopeFor(env.db, tenant), customer.id, today)).balance.minor).toBe(37_950n);
    // The invoice's record stays as it was; only what it keeps open of itself follows the correction.
    const { open_amount: openBefore, ...recordBefore } = before;
    const { open_amount: openAfter, ...recordAfter } = await env.db('ledger_entries').where({ tenant_id: tenant.id, id: invoice.id }).first();
    expect(recordAfter).toEqual(recordBefore);
    expect([Number(openBefore), Number(openAfter)]).toEqual([50_000, 37_950]);
  });

  it('raises what is owed with a correction in that direction', async () => {
    const { tenant, customer, agent } = await invoiceDesk(env);
    const invoice = await enterLedgerEntry(scopeFor(env.db, tenant), { kind: 'invoice', customerId: customer.id, amount: moneyOf(50_000, 'PLN'), documentNumber: 'FV/1/2026', issueDate: '2026-11-01', dueDate: '2026-11-15' }, { isApproved: true, source: 'import' });
    const csrfToken = await csrfTokenFrom(agent, `/${tenant.slug}/admin/ledger-entries/${invoice.id}/corrections/new`);
    expect((await agent.post(`/${tenant.slug}/admin/ledger-entries/${invoice.id}/corrections`).type('form').send({ _csrf: csrfToken, direction: 'raise', amount: '10', date: '2026-11-20', description: 'Dopłata' })).status).toBe(303);
    expect(Number((await env.db('ledger_entries').where({ tenant_id: tenant.id, kind: 'correction' }).first()).amount)).toBe(1_000);
  });

  it('refuses a correction that takes an invoice or a payment below zero, counting the corrections approved before it (422)', async () => {
    const { tenant, customer, agent } = await invoiceDesk(env);
    const system = scopeFor(env.db, tenant);
    const invoice = await enterLedgerEntry(system, { kind: 'invoice', customerId: customer.id, amount: moneyOf(10_000, 'PLN'), documentNumber: 'FV/9/2026', issueDate: '2026-11-01', dueDate: '2026-11-15' }, { isApproved: true, source: 'import' });
    await enterLedgerEntry(system, { kind: 'correction', correctsEntryId: invoice.id, amount: moneyOf(-4_000, 'PLN'), date: '2026-11-10', description: 'Rabat' }, { isApproved: true, source: 'import' });
    const path = `/${tenant.slug}/admin/ledger-entries/${invoice.id}/corrections`;
    const csrfToken = await csrfTokenFrom(agent, `${path}/new`);
    const tooMuch = await agent.post(path).type('form').send({ _csrf: csrfToken, direction: 'lower', amount: '60,01', date: '2026-11-20', description: 'Za dużo', submissionKey: randomUUID() });
    expect(tooMuch.status).toBe(422);
    expect(fieldErrorOf(tooMuch.text, 'amount')).toBe('Korekta nie może zmniejszyć kwoty dokumentu poniżej zera (licząc jego wcześniejsze korekty).');
    expect(await env.db('ledger_entries').where({ tenant_id: tenant.id, kind: 'correction', status: 'pending' })).toHaveLength(0);
    expect((await agent.post(path).type('form').send({ _csrf: csrfToken, direction: 'lower', amount: '60,00', date: '2026-11-20', description: 'Do zera', submissionKey: randomUUID() })).status).toBe(303);
    const payment = await enterLedgerEntry(system, { kind: 'payment', customerId: customer.id, amount: moneyOf(5_000, 'PLN'), paidOn: '2026-11-20', method: 'transfer' }, { isApproved: true, source: 'import' });
    const paymentPath = `/${tenant.slug}/admin/ledger-entries/${payment.id}/corrections`;
    const raisedTooMuch = await agent.post(paymentPath).type('form').send({ _csrf: csrfToken, direction: 'raise', amount: '50,01', date: '2026-11-21', description: 'Zwrot', submissionKey: randomUUID() });
    expect(raisedTooMuch.status).toBe(422);
  });

  it('offers no correction of a pending entry or of a correction: 409 with the entry as it is, nothing entered', async () => {
    const { tenant, customer, agent } = await invoiceDesk(env);
    const system = scopeFor(env.db, tenant);
    const pending = await enterLedgerEntry(system, { kind: 'payment', customerId: customer.id, amount: moneyOf(1_000, 'PLN'), paidOn: '2026-11-20', method: 'transfer' });
    const invoice = await enterLedgerEntry(system, { kind: 'invoice', customerId: customer.id, amount: moneyOf(5_000, 'PLN'), documentNumber: 'FV/1/2026', issueDate: '2026-11-01', dueDate: '2026-11-15' }, { isApproved: true, source: 'import' });
    const correction = await enterLedgerEntry(system, { kind: 'correction', correctsEntryId: invoice.id, amount: moneyOf(-500, 'PLN'), date: '2026-11-20', description: 'Rabat' }, { isApproved: true, source: 'import' });
    expect((await agent.get(`/${tenant.slug}/admin/ledger-entries/${pending.id}`)).text).not.toContain('/corrections/new');
    const csrfToken = await csrfTokenFrom(agent, `/${tenant.slug}/admin/ledger-entries/${invoice.id}`);
    const countBefore = (await env.db('ledger_entries').where({ tenant_id: tenant.id })).length;
    for (const id of [pending.id, correction.id]) {
      expect((await agent.get(`/${tenant.slug}/admin/ledger-entries/${id}/corrections/new`)).status).toBe(409);
      const response = await agent.post(`/${tenant.slug}/admin/ledger-entries/${id}/corrections`).type('form').send({ _csrf: csrfToken, direction: 'lower', amount: '1', date: '2026-11-21', description: 'Nie' });
      expect(response.status).toBe(409);
      expect(response.text).toContain('Skorygować można tylko zatwierdzoną fakturę lub wpłatę');
    }
    expect(await env.db('ledger_entries').where({ tenant_id: tenant.id })).toHaveLength(countBefore);
  });
});
