import { decode } from 'bysquare/pay';
import { expect, it } from 'vitest';
import { virtualBankAccount, formatBankAccount } from '../../src/lib/bank-account.js';
import { moneyOf } from '../../src/lib/money.js';
import { qrMatrixOf } from '../../src/lib/qr.js';
import { calendarDateIn } from '../../src/lib/time.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';
import { findPaymentDocumentData } from '../../src/models/payment-documents.js';
import { paymentOrderOf } from '../../src/presenters/payment-order-pdf.js';
import type { TestEnvironment } from '../support/environment.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, userScope } from '../support/factories.js';
import { signedInAgent, type Agent } from '../support/http.js';
import { binaryParser, pdfText } from '../support/pdf.js';
import { decodeQr } from '../support/qr.js';

const download = (agent: Agent, path: string) => agent.get(path).buffer(true).parse(binaryParser as never);
const account = '61109010140000071219812874';
const slovakIban = 'SK3112000000198742637541';

/** A tenant with its billing details, a customer owing one invoice of 1 234,56 (overdue), and its client. */
async function billedCustomer(env: TestEnvironment, billing: Record<string, unknown> = {}, currency = 'PLN') {
  const tenant = await makeTenant(env.db, { name: 'Portal Demo' });
  await env.db('tenants').where('id', tenant.id).update({ legal_name: 'Żółta Firma sp. z o.o.', legal_street: 'ul. Piękna 7', legal_postal_code: '00-950', legal_city: 'Warszawa', tax_country: 'PL', tax_id: '5260250274', bank_account: account, currency, ...billing });
  const customer = await makeCustomer(env.db, tenant, { name: 'Łódzka Spółka' });
  await enterLedgerEntry(scopeFor(env.db, tenant), { kind: 'invoice', customerId: customer.id, amount: moneyOf(123_456, currency), documentNumber: '2026017', issueDate: '2026-10-01', dueDate: '2026-10-15' }, { isApproved: true, source: 'import' });
  const client = await makeUser(env.db, tenant, 'client', { customer });
  const setCustomerNumber = (number: string | null) => env.db('customers').where({ tenant_id: tenant.id, id: customer.id }).update({ customer_number: number });
  return { tenant, customer, client, setCustomerNumber, today: calendarDateIn(env.clock.now(), 'Europe/Warsaw') };
}

describeOnEachDatabase('billing details on payment orders and statements (D7, M3, M4, M8)', (env) => {
  it('prints the tenant’s legal name, address and account on the payment order, with a ZBP code that carries the account', async () => {
    const { tenant, customer, client, today } = await billedCustomer(env);
    const order = await download(await signedInAgent(env.app, tenant, client.login), `/${tenant.slug}/portal/payment-order?choice=balance`);
    expect(order.status).toBe(200);
    const text = await pdfText(order.body as Buffer);
    expect(text).toContain('Żółta Firma sp. z o.o.');
    expect(text).toContain('ul. Piękna 7, 00-950 Warszawa');
    expect(text).toContain('61 1090 1014 0000 0712 1981 2874');
    expect(text).not.toContain('Portal Demo');
    expect(text).toContain('Zeskanuj w aplikacji banku');

    const data = await findPaymentDocumentData(userScope(env.db, client), customer.id, today);
    const built = paymentOrderOf(data, 123_456, 'Wpłata');
    expect(built.codeKind).toBe('zbp');
    expect(decodeQr(qrMatrixOf(built.codeText!))).toBe(`5260250274|PL|${account}|123456|Żółta Firma sp. z o.|2026017|||`);
  });

  it('puts the customer’s own virtual account on the order, the statement and the settlements page when the tenant has them on', async () => {
    const { tenant, customer, client, setCustomerNumber, today } = await billedCustomer(env, { has_virtual_accounts: true, virtual_account_prefix: '10901014' });
    await setCustomerNumber('4711');
    const own = virtualBankAccount('10901014', '4711');
    const agent = await signedInAgent(env.app, tenant, client.login);

    const order = await pdfText((await download(agent, `/${tenant.slug}/portal/payment-order?choice=balance`)).body as Buffer);
    expect(order).toContain(formatBankAccount(own));
    expect(order).not.toContain(formatBankAccount(account));
    const built = paymentOrderOf(await findPaymentDocumentData(userScope(env.db, client), customer.id, today), 123_456, 'Wpłata');
    expect(decodeQr(qrMatrixOf(built.codeText!))?.split('|')[2]).toBe(own);

    const statement = await pdfText((await download(agent, `/${tenant.slug}/portal/arrears-statement`)).body as Buffer);
    expect(statement).toContain(`Rachunek do wpłat (indywidualny rachunek klienta): ${formatBankAccount(own)}`);

    const settlements = await agent.get(`/${tenant.slug}/portal/settlements`);
    expect(settlements.text).toContain('Twój indywidualny numer rachunku');
    expect(settlements.text).toContain(formatBankAccount(own));

    // A customer number that is not digits has no virtual account: the tenant's is shown.
    await setCustomerNumber('K/0001');
    const fallback = await agent.get(`/${tenant.slug}/portal/settlements`);
    expect(fallback.text).toContain(formatBankAccount(account));
    expect(fallback.text).not.toContain(formatBankAccount(own));
  });

  it('heads the arrears statement with the tenant’s legal data, NIP and account', async () => {
    const { tenant, client } = await billedCustomer(env);
    const text = await pdfText((await download(await signedInAgent(env.app, tenant, client.login), `/${tenant.slug}/portal/arrears-statement`)).body as Buffer);
    expect(text).toContain('Żółta Firma sp. z o.o., ul. Piękna 7, 00-950 Warszawa');
    expect(text).toContain('NIP dostawcy: 526-025-02-74');
    expect(text).toContain('Rachunek do wpłat: 61 1090 1014 0000 0712 1981 2874');
  });

  it('gives an EUR tenant’s order a PAY by square code that decodes to its IBAN, amount, symbol and name, instead of the ZBP one', async () => {
    const { tenant, customer, client, today } = await billedCustomer(env, { bank_account: slovakIban, tax_country: 'SK', tax_id: 'SK2020123456' }, 'EUR');
    const built = paymentOrderOf(await findPaymentDocumentData(userScope(env.db, client), customer.id, today), 123_456, 'Platba');
    expect(built.codeKind).toBe('payBySquare');
    // The code the PDF draws reads back as the same text, which the format's decoder opens.
    expect(decodeQr(qrMatrixOf(built.codeText!))).toBe(built.codeText);
    const [payment] = decode(built.codeText!).payments;
    expect(payment).toMatchObject({ amount: 1234.56, currencyCode: 'EUR', variableSymbol: '2026017', paymentNote: '2026017', bankAccounts: [{ iban: slovakIban }], beneficiary: { name: 'Zolta Firma sp. z o.o.' } });

    const text = await pdfText((await download(await signedInAgent(env.app, tenant, client.login), `/${tenant.slug}/portal/payment-order?choice=balance`)).body as Buffer);
    expect(text).toContain('SK31 1200 0000 1987 4263 7541');
    expect(text).toContain('PAY by square');
  });

  it('prints no account and no code while the tenant has given no account', async () => {
    const { customer, client, today } = await billedCustomer(env, { bank_account: null });
    const built = paymentOrderOf(await findPaymentDocumentData(userScope(env.db, client), customer.id, today), 123_456, 'Wpłata');
    expect(built).toMatchObject({ account: null, codeKind: null, codeText: null });
  });
});
