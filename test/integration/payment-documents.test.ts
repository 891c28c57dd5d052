import { expect, it } from 'vitest';
import { calendarDateIn } from '../../src/lib/time.js';
import { moneyOf } from '../../src/lib/money.js';
import { qrMatrixOf } from '../../src/lib/qr.js';
import { enterLedgerEntry, type NewInvoice } from '../../src/models/ledger.js';
import { findPaymentDocumentData } from '../../src/models/payment-documents.js';
import { paymentOrderOf, paymentOrderPdf } from '../../src/presenters/payment-order-pdf.js';
import { presentationFor } from '../../src/presenters/presentation.js';
import type { TestEnvironment } from '../support/environment.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, userScope } from '../support/factories.js';
import { fieldErrorOf, signedInAgent, type Agent } from '../support/http.js';
import { binaryParser, pdfText } from '../support/pdf.js';
import { decodeQr } from '../support/qr.js';

const invoiceOf = (customerId: number, amount: number, dueDate: string, documentNumber: string): NewInvoice => ({ kind: 'invoice', customerId, amount: moneyOf(amount, 'PLN'), documentNumber, issueDate: '2026-10-01', dueDate });
const download = (agent: Agent, path: string) => agent.get(path).buffer(true).parse(binaryParser as never);
const account = '61109010140000071219812874';

/** A tenant with a customer "Łódzka Spółka" owing two overdue invoices (1 000,00 and 234,56 zł) and one due in 2031, its client and caretaker. */
async function customerWithDues(env: TestEnvironment) {
  const tenant = await makeTenant(env.db, { name: 'Żółta Firma' });
  const caretaker = await makeUser(env.db, tenant, 'caretaker');
  const customer = await makeCustomer(env.db, tenant, { name: 'Łódzka Spółka', caretaker });
  await env.db('customers').where({ tenant_id: tenant.id, id: customer.id }).update({ street: 'ul. Świętokrzyska 5', postal_code: '90-001', city: 'Łódź' });
  const system = scopeFor(env.db, tenant);
  for (const invoice of [invoiceOf(customer.id, 100_000, '2026-10-15', 'FV/1/2026'), invoiceOf(customer.id, 23_456, '2026-11-01', 'FV/2/2026'), invoiceOf(customer.id, 50_000, '2031-01-15', 'FV/3/2026')]) {
    await enterLedgerEntry(system, invoice, { isApproved: true, source: 'import' });
  }
  const client = await makeUser(env.db, tenant, 'client', { customer });
  return { tenant, caretaker, customer, client, today: calendarDateIn(env.clock.now(), 'Europe/Warsaw') };
}

describeOnEachDatabase('payment orders and arrears statements', (env) => {
  it('prints the payment order with the account, amount in words, title and a 2D code that reads back as the ZBP text', async () => {
    const { tenant, customer, client, today } = await customerWithDues(env);
    const data = await findPaymentDocumentData(userScope(env.db, client), customer.id, today);
    const withAccount = { ...data, recipient: { ...data.recipient, bankAccount: account, taxId: '5260250274' } };
    const order = paymentOrderOf(withAccount, 123_456, 'Wpłata');
    expect(order.title).toBe('FV/1/2026, FV/2/2026');
    expect(order.codeText).toBe(`5260250274|PL|${account}|123456|Żółta Firma|FV/1/2026, FV/2/2026|||`);
    expect(decodeQr(qrMatrixOf(order.codeText!))).toBe(order.codeText);

    const t = env.deps.i18n.getFixedT('pl');
    const text = await pdfText(await paymentOrderPdf(order, { presentation: presentationFor(t, 'pl', tenant.timeZone), locale: 'pl', now: env.clock.now() }));
    expect(text).toContain('Polecenie przelewu');
    expect(text).toContain('61 1090 1014 0000 0712 1981 2874');
    // Polish writes four digits without grouping (1234,56), five and more with it.
    expect(text).toContain('1234,56 zł');
    expect(text).toContain('jeden tysiąc dwieście trzydzieści cztery złote 56/100');
    expect(text).toContain('Łódzka Spółka');
    expect(text).toContain('ul. Świętokrzyska 5, 90-001 Łódź');
    expect(text).toContain('FV/1/2026, FV/2/2026');
  });

  it('lets a client download the whole balance due as a payment order in English', async () => {
    const { tenant, client } = await customerWithDues(env);
    await env.db('users').where({ tenant_id: tenant.id, id: client.id }).update({ locale: 'en' });
    const agent = await signedInAgent(env.app, tenant, client.login);
    const form = await agent.get(`/${tenant.slug}/portal/payment-order/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('The whole balance due (PLN');
    const response = await download(agent, `/${tenant.slug}/portal/payment-order?choice=balance`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(response.body as Buffer);
    // The balance: 1 000,00 + 234,56 + 500,00 (the one not yet due counts too).
    expect(text).toContain('Amount');
    expect(text).toContain('1,734.56');
    expect(text).toContain('one thousand seven hundred and thirty-four zlotys 56/100');
    expect(text).toContain('FV/1/2026, FV/2/2026, FV/3/2026');
  });

  it('refuses a typed amount that is no amount, not above zero or above the limit, with the form and the value back (422)', async () => {
    const { tenant, client } = await customerWithDues(env);
    const agent = await signedInAgent(env.app, tenant, client.login);
    for (const [amount, message] of [['abc', 'Wpisz kwotę, np. 1 234,56.'], ['0', 'Wpisz kwotę większą od zera.'], ['-5', 'Wpisz kwotę większą od zera.'], ['1000000,01', 'Wpisz kwotę nie większą niż 1 000 000,00 zł.'], ['', 'Wpisz kwotę do zapłaty.']] as const) {
      const response = await agent.get(`/${tenant.slug}/portal/payment-order`).query({ choice: 'other', amount });
      expect(response.status, amount).toBe(422);
      expect(fieldErrorOf(response.text, 'amount')?.replace(/[\u00a0\u202f]/g, ' '), amount).toBe(message);
      expect(response.text).toContain(`value="${amount}"`);
    }
    // The address without the form's fields is the form (a bookmark), not a refusal.
    expect((await agent.get(`/${tenant.slug}/portal/payment-order`)).text).toContain('data-testid="payment-order-form"');
    const typed = await download(agent, `/${tenant.slug}/portal/payment-order?choice=other&amount=${encodeURIComponent('1 000,5')}`);
    expect(typed.status).toBe(200);
    const text = await pdfText(typed.body as Buffer);
    expect(text).toContain('1000,50 zł');
    expect(text).toContain('FV/1/2026, FV/2/2026');
    expect(text).not.toContain('FV/3/2026');
  });

  it('prints the arrears statement with the overdue invoices, their days overdue and the total', async () => {
    const { tenant, customer, caretaker, client, today } = await customerWithDues(env);
    const days = (from: string) => Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
    for (const [login, path] of [[client.login, `/${tenant.slug}/portal/arrears-statement`], [caretaker.login, `/${tenant.slug}/staff/customers/${customer.id}/arrears-statement`]] as const) {
      const response = await download(await signedInAgent(env.app, tenant, login), path);
      expect(response.status, login).toBe(200);
      const text = await pdfText(response.body as Buffer);
      expect(text).toContain('Zestawienie zaległości');
      expect(text).toContain('Łódzka Spółka');
      expect(text).toMatch(new RegExp(`FV/1/2026 1\\.10\\.2026 15\\.10\\.2026 1000,00 zł ${days('2026-10-15')}`));
      expect(text).toMatch(new RegExp(`FV/2/2026 1\\.10\\.2026 1\\.11\\.2026 234,56 zł ${days('2026-11-01')}`));
      expect(text).toContain('Razem po terminie 1234,56 zł');
      expect(text).not.toContain('FV/3/2026');
    }
  });

  it('hides another customer’s documents from a caretaker who does not look after it (404) and lets staff print its payment order', async () => {
    const { tenant, customer, caretaker } = await customerWithDues(env);
    const other = await makeCustomer(env.db, tenant, { name: 'Inny klient' });
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    expect((await agent.get(`/${tenant.slug}/staff/customers/${other.id}/arrears-statement`)).status).toBe(404);
    expect((await agent.get(`/${tenant.slug}/staff/customers/${other.id}/payment-order?choice=balance`)).status).toBe(404);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    expect((await admin.get(`/${tenant.slug}/staff/customers/${customer.id}/payment-order/new`)).status).toBe(200);
    // A customer that owes nothing has no balance to pay: the form says to type an amount.
    const nothingDue = await admin.get(`/${tenant.slug}/staff/customers/${other.id}/payment-order?choice=balance`);
    expect(nothingDue.status).toBe(422);
    expect(fieldErrorOf(nothingDue.text, 'choice')).toBe('Nie ma teraz nic do zapłaty: wybierz inną kwotę i ją wpisz.');
    const order = await download(admin, `/${tenant.slug}/staff/customers/${customer.id}/payment-order?choice=other&amount=10`);
    expect(order.status).toBe(200);
    expect(await pdfText(order.body as Buffer)).toContain('dziesięć złotych 00/100');
  });
});
