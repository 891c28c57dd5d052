import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { moneyOf } from '../../src/lib/money.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';
import type { TestEnvironment } from '../support/environment.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent } from '../support/http.js';

/** A tenant with two admins, a customer with an approved invoice, and the first admin signed in on the payment form. */
async function paymentDesk(env: TestEnvironment) {
  const tenant = await makeTenant(env.db);
  const admin = await makeUser(env.db, tenant, 'admin');
  const secondAdmin = await makeUser(env.db, tenant, 'admin');
  const customer = await makeCustomer(env.db, tenant);
  const invoice = await enterLedgerEntry(scopeFor(env.db, tenant), { kind: 'invoice', customerId: customer.id, amount: moneyOf(50_000, 'PLN'), documentNumber: 'FV/1/2026', issueDate: '2026-11-01', dueDate: '2026-11-15' }, { isApproved: true, source: 'import' });
  const agent = await signedInAgent(env.app, tenant, admin.login);
  const csrfToken = await csrfTokenFrom(agent, `/${tenant.slug}/admin/payments/new`);
  const form = (fields: Record<string, string> = {}) => ({ _csrf: csrfToken, customerId: String(customer.id), paidOn: '2026-11-20', method: 'transfer', amount: '1 234,56', reference: 'Przelew FV/1/2026', submissionKey: randomUUID(), ...fields });
  const payments = () => env.db('ledger_entries').where({ tenant_id: tenant.id, kind: 'payment' }).orderBy('id');
  return { tenant, admin, secondAdmin, customer, invoice, agent, form, payments };
}

describeOnEachDatabase('payments in the admin panel', (env) => {
  it('enters a payment typed in Polish notation as a pending entry and lists it first, waiting for a decision', async () => {
    const { tenant, agent, form, payments, customer } = await paymentDesk(env);
    const response = await agent.post(`/${tenant.slug}/admin/payments`).type('form').send(form());
    expect(response.status).toBe(303);
    const [payment] = await payments();
    expect(payment).toMatchObject({ status: 'pending', customer_id: customer.id, document_number: 'Przelew FV/1/2026' });
    expect(Number(payment.amount)).toBe(123_456);
    expect(response.headers.location).toBe(`/${tenant.slug}/admin/ledger-entries/${payment.id}`);
    const list = await agent.get(`/${tenant.slug}/admin/payments?status=pending`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(`data-entry-id="${payment.id}"`);
  });

  it('accepts English notation and the invoice the payment pays', async () => {
    const { tenant, agent, form, payments, invoice } = await paymentDesk(env);
    expect((await agent.post(`/${tenant.slug}/admin/payments`).type('form').send(form({ amount: '1234.5', paysEntryId: String(invoice.id) }))).status).toBe(303);
    const [payment] = await payments();
    expect(Number(payment.amount)).toBe(123_450);
    expect(Number(payment.pays_entry_id)).toBe(invoice.id);
  });

  for (const [name, fields, field] of [
    ['a zero amount', { amount: '0' }, 'amount'],
    ['a negative amount', { amount: '-5,00' }, 'amount'],
    ['a malformed amount', { amount: '12,345' }, 'amount'],
    ['a bad date', { paidOn: '2026-02-30' }, 'paidOn'],
    ['an unknown customer', { customerId: '999999999' }, 'customerId'],
  ] as const) {
    it(`refuses ${name} with 422, keeps the typed values and enters nothing`, async () => {
      const { tenant, agent, form, payments } = await paymentDesk(env);
      const response = await agent.post(`/${tenant.slug}/admin/payments`).type('form').send(form(fields));
      expect(response.status).toBe(422);
      expect(fieldErrorOf(response.text, field)).toBeTruthy();
      expect(response.text).toContain('value="Przelew FV/1/2026"');
      expect(await payments()).toEqual([]);
    });
  }

  it('refuses a customer of another tenant with 422, as an unknown one', async () => {
    const { tenant, agent, form, payments } = await paymentDesk(env);
    const stranger = await makeCustomer(env.db, await makeTenant(env.db));
    const response = await agent.post(`/${tenant.slug}/admin/payments`).type('form').send(form({ customerId: String(stranger.id) }));
    expect(response.status).toBe(422);
    expect(response.text).not.toContain(stranger.name);
    expect(await payments()).toEqual([]);
  });

  it('enters one payment for twenty concurrent posts of one form', async () => {
    const { tenant, agent, form, payments } = await paymentDesk(env);
    const submitted = form();
    const responses = await Promise.all(Array.from({ length: 20 }, () => agent.post(`/${tenant.slug}/admin/payments`).type('form').send(submitted)));
    for (const response of responses) expect([303, 409]).toContain(response.status);
    expect(responses.some((response) => response.status === 303)).toBe(true);
    expect(await payments()).toHaveLength(1);
  });

  it('refuses the admin who entered a payment its approval with 403, and another admin approves it', async () => {
    const { tenant, agent, form, payments, secondAdmin } = await paymentDesk(env);
    await agent.post(`/${tenant.slug}/admin/payments`).type('form').send(form());
    const [payment] = await payments();
    const approvalPath = `/${tenant.slug}/admin/ledger-entries/${payment.id}/approval`;
    const own = await agent.post(approvalPath).type('form').send({ _csrf: await csrfTokenFrom(agent, `/${tenant.slug}/admin/ledger-entries/${payment.id}`), version: '1' });
    expect(own.status).toBe(403);
    expect(own.text).toContain('musi go zatwierdzić ktoś inny');
    expect((await payments())[0].status).toBe('pending');

    const second = await signedInAgent(env.app, tenant, secondAdmin.login);
    const approved = await second.post(approvalPath).type('form').send({ _csrf: await csrfTokenFrom(second, `/${tenant.slug}/admin/ledger-entries/${payment.id}`), version: '1' });
    expect(approved.status).toBe(303);
    expect((await payments())[0].status).toBe('approved');
  });

  it('answers 409 with the entry as it is now when it was decided meanwhile', async () => {
    const { tenant, payments, form, agent, secondAdmin } = await paymentDesk(env);
    await agent.post(`/${tenant.slug}/admin/payments`).type('form').send(form());
    const [payment] = await payments();
    const second = await signedInAgent(env.app, tenant, secondAdmin.login);
    const token = await csrfTokenFrom(second, `/${tenant.slug}/admin/ledger-entries/${payment.id}`);
    expect((await second.post(`/${tenant.slug}/admin/ledger-entries/${payment.id}/rejection`).type('form').send({ _csrf: token, version: '1', reason: 'Duplikat' })).status).toBe(303);
    const late = await second.post(`/${tenant.slug}/admin/ledger-entries/${payment.id}/approval`).type('form').send({ _csrf: token, version: '1' });
    expect(late.status).toBe(409);
    expect(late.text).toContain('data-testid="entry-notice"');
    expect((await payments())[0]).toMatchObject({ status: 'rejected', rejection_reason: 'Duplikat' });
  });

  it('refuses a rejection without a reason with 422 and leaves the entry pending', async () => {
    const { tenant, payments, form, agent, secondAdmin } = await paymentDesk(env);
    await agent.post(`/${tenant.slug}/admin/payments`).type('form').send(form());
    const [payment] = await payments();
    const second = await signedInAgent(env.app, tenant, secondAdmin.login);
    const token = await csrfTokenFrom(second, `/${tenant.slug}/admin/ledger-entries/${payment.id}`);
    const response = await second.post(`/${tenant.slug}/admin/ledger-entries/${payment.id}/rejection`).type('form').send({ _csrf: token, version: '1', reason: '  ' });
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'reason')).toBeTruthy();
    expect((await payments())[0].status).toBe('pending');
  });

  it('shows admins the count of entries waiting for a decision in the menu', async () => {
    const { tenant, agent, form } = await paymentDesk(env);
    await agent.post(`/${tenant.slug}/admin/payments`).type('form').send(form());
    const page = await agent.get(`/${tenant.slug}/admin/payments`);
    expect(page.text).toMatch(/Wpłaty|Payments/);
    expect(page.text).toMatch(/admin\/payments"[^>]*>[\s\S]{0,300}1/);
  });
});

describeOnEachDatabase("a customer's settlements for staff", (env) => {
  it('shows the balance, the overdue invoice and which payment paid it to admins and the caretaker, and not to another caretaker', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const otherCaretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const system = scopeFor(env.db, tenant);
    const invoice = await enterLedgerEntry(system, { kind: 'invoice', customerId: customer.id, amount: moneyOf(50_000, 'PLN'), documentNumber: 'FV/7/2026', issueDate: '2020-01-01', dueDate: '2020-01-15' }, { isApproved: true, source: 'import' });
    await enterLedgerEntry(system, { kind: 'payment', customerId: customer.id, amount: moneyOf(20_000, 'PLN'), paidOn: '2020-01-20', method: 'transfer', reference: 'WB/1', paysEntryId: invoice.id }, { isApproved: true, source: 'import' });
    const path = `/${tenant.slug}/staff/customers/${customer.id}/ledger`;
    for (const login of [caretaker.login, tenant.superadmin.login]) {
      const page = await (await signedInAgent(env.app, tenant, login)).get(path);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/data-testid="customer-balance">300,00/);
      expect(page.text).toContain('data-testid="days-overdue"');
      expect(page.text).toMatch(/data-testid="allocation">[\s\S]*200,00[\s\S]*WB\/1/);
    }
    expect((await (await signedInAgent(env.app, tenant, otherCaretaker.login)).get(path)).status).toBe(404);
  });
});
