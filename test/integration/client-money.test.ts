import { expect, it } from 'vitest';
import { formatMoney, moneyOf } from '../../src/lib/money.js';
import { calendarDateIn, formatCalendarDate } from '../../src/lib/time.js';
import type { Customer } from '../../src/models/customer.js';
import { enterLedgerEntry, type NewInvoice, type NewPayment, type PaymentMethod } from '../../src/models/ledger.js';
import { barHeight } from '../../src/presenters/money-chart.js';
import { describeOnEachDatabase, type TestEnvironment } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, userScope, type TestTenant } from '../support/factories.js';
import { signedInAgent, type Agent } from '../support/http.js';

/** The day `days` after (or before) a calendar date. */
function dayAfter(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Everything between the first element with the test id and its closing tag (enough for a cell or a span). */
function textOfTestid(html: string, testid: string): string[] {
  return [...html.matchAll(new RegExp(`data-testid="${testid}"[^>]*>([\\s\\S]*?)</`, 'g'))].map((match) => match[1]!.replace(/<[^>]+>/g, '').trim());
}

describeOnEachDatabase('the client’s money pages', (env: TestEnvironment) => {
  type Company = { tenant: TestTenant; customer: Customer; agent: Agent; today: string };
  const pln = (minor: number) => moneyOf(minor, 'PLN');
  const zl = (minor: number, locale = 'pl') => formatMoney(minor, 'PLN', locale);

  async function company(options: { locale?: string; tenant?: TestTenant } = {}): Promise<Company> {
    const tenant = options.tenant ?? (await makeTenant(env.db));
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.' });
    const client = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Anna', locale: options.locale ?? 'pl' });
    return { tenant, customer, agent: await signedInAgent(env.app, tenant, client.login), today: calendarDateIn(env.clock.now(), tenant.timeZone) };
  }

  const ledgerOf = (who: Company) => scopeFor(env.db, who.tenant);
  const invoice = (who: Company, amount: number, issueDate: string, dueDate: string, documentNumber: string) =>
    enterLedgerEntry(ledgerOf(who), { kind: 'invoice', customerId: who.customer.id, amount: pln(amount), documentNumber, issueDate, dueDate } satisfies NewInvoice, { isApproved: true, source: 'import' });
  const payment = (who: Company, amount: number, paidOn: string, extra: Partial<NewPayment> = {}) =>
    enterLedgerEntry(ledgerOf(who), { kind: 'payment', customerId: who.customer.id, amount: pln(amount), paidOn, method: 'transfer' as PaymentMethod, reference: `Wpłata ${amount}`, ...extra } satisfies NewPayment, { isApproved: true, source: 'import' });

  it('shows the balance to pay, each open invoice with what is left and how long overdue, the totals and the next due date', async () => {
    const alfa = await company();
    const { today } = alfa;
    await invoice(alfa, 100_000, dayAfter(today, -40), dayAfter(today, -10), 'FV/1/2026');
    await invoice(alfa, 50_000, dayAfter(today, -5), dayAfter(today, 9), 'FV/2/2026');
    await invoice(alfa, 20_000, dayAfter(today, -3), dayAfter(today, 20), 'FV/3/2026');
    // Paid in part: 30 000 of the first (due first) is paid.
    await payment(alfa, 30_000, dayAfter(today, -2));
    // A pending payment counts for nothing and is not shown.
    await enterLedgerEntry(ledgerOf(alfa), { kind: 'payment', customerId: alfa.customer.id, amount: pln(99_900), paidOn: today, method: 'cash' });

    const page = await alfa.agent.get(`/${alfa.tenant.slug}/portal/settlements`);
    expect(page.status).toBe(200);
    expect(textOfTestid(page.text, 'balance-state')).toEqual(['Do zapłaty']);
    expect(textOfTestid(page.text, 'balance-amount')).toEqual([zl(140_000)]);
    expect(textOfTestid(page.text, 'due-total')).toEqual([zl(140_000)]);
    expect(textOfTestid(page.text, 'overdue-total')).toEqual([zl(70_000)]);
    expect(textOfTestid(page.text, 'overdue-count')).toEqual(['1 faktura po terminie']);
    expect(textOfTestid(page.text, 'next-due-date')).toEqual([formatCalendarDate(dayAfter(today, 9), 'pl')]);
    expect(textOfTestid(page.text, 'invoice-number')).toEqual(['FV/1/2026', 'FV/2/2026', 'FV/3/2026']);
    expect(textOfTestid(page.text, 'invoice-outstanding')).toEqual([zl(70_000), zl(50_000), zl(20_000)]);
    // Overdue is said in words, and the row is marked for the highlight.
    expect(textOfTestid(page.text, 'invoice-state')).toEqual(['po terminie 10 dni', 'w terminie', 'w terminie']);
    expect(page.text.match(/<tr[^>]*class="is-overdue"[^>]*>/g)).toHaveLength(1);
    expect(page.text).toMatch(/<tr[^>]* data-invoice="\d+" class="is-overdue"/);
    expect(page.text).not.toContain(zl(99_900));
    // What is due can be paid and what is overdue printed from here.
    expect(page.text).toContain(`href="/${alfa.tenant.slug}/portal/payment-order/new" data-testid="payment-order-link"`);
    expect(page.text).toContain(`href="/${alfa.tenant.slug}/portal/arrears-statement" data-testid="arrears-statement-link"`);
  });

  it('says an overpayment in words with its amount, and that nothing is due', async () => {
    const alfa = await company();
    await invoice(alfa, 10_000, dayAfter(alfa.today, -20), dayAfter(alfa.today, -6), 'FV/9');
    await payment(alfa, 12_550, dayAfter(alfa.today, -1));
    const page = await alfa.agent.get(`/${alfa.tenant.slug}/portal/settlements`);
    expect(textOfTestid(page.text, 'balance-state')).toEqual(['Nadpłata']);
    expect(textOfTestid(page.text, 'balance-amount')).toEqual([zl(2_550)]);
    expect(textOfTestid(page.text, 'dues-empty')).toEqual(['Nie masz żadnych należności.']);
    // Nothing overdue: no arrears statement to offer.
    expect(page.text).not.toContain('data-testid="arrears-statement-link"');
  });

  it('shows the empty states of a customer with no ledger yet, in Polish and in English', async () => {
    const polish = await company();
    const page = await polish.agent.get(`/${polish.tenant.slug}/portal/settlements`);
    expect(textOfTestid(page.text, 'balance-state')).toEqual(['Nic do zapłaty']);
    expect(textOfTestid(page.text, 'dues-empty')).toEqual(['Nie masz żadnych należności.']);
    expect(textOfTestid(page.text, 'next-due-date')).toEqual(['brak']);
    const history = await polish.agent.get(`/${polish.tenant.slug}/portal/payments`);
    expect(textOfTestid(history.text, 'payments-empty')).toEqual(['Nie ma jeszcze żadnych zaksięgowanych wpłat.']);

    const english = await company({ locale: 'en' });
    const englishPage = await english.agent.get(`/${english.tenant.slug}/portal/settlements`);
    expect(textOfTestid(englishPage.text, 'balance-state')).toEqual(['Nothing to pay']);
    expect(textOfTestid(englishPage.text, 'dues-empty')).toEqual(['You have nothing to pay.']);
    expect(textOfTestid(englishPage.text, 'balance-amount')).toEqual([zl(0, 'en')]);
  });

  it('writes amounts and states in English for an English reader', async () => {
    const alfa = await company({ locale: 'en' });
    await invoice(alfa, 123_456, dayAfter(alfa.today, -30), dayAfter(alfa.today, -1), 'INV-1');
    const page = await alfa.agent.get(`/${alfa.tenant.slug}/portal/settlements`);
    expect(textOfTestid(page.text, 'balance-state')).toEqual(['To pay']);
    expect(textOfTestid(page.text, 'invoice-outstanding')).toEqual([zl(123_456, 'en')]);
    expect(textOfTestid(page.text, 'invoice-state')).toEqual(['overdue by 1 day']);
  });

  it('lists approved payments newest first with the invoices each paid and what is left over', async () => {
    const alfa = await company();
    const { today } = alfa;
    const first = await invoice(alfa, 10_000, dayAfter(today, -60), dayAfter(today, -45), 'FV/A');
    const second = await invoice(alfa, 20_000, dayAfter(today, -50), dayAfter(today, -30), 'FV/B');
    const older = await payment(alfa, 15_000, dayAfter(today, -40), { method: 'cash', reference: 'KP/1' });
    const newer = await payment(alfa, 20_000, dayAfter(today, -20), { method: 'transfer', reference: 'Przelew za FV/B' });

    const page = await alfa.agent.get(`/${alfa.tenant.slug}/portal/payments`);
    expect(page.status).toBe(200);
    expect([...page.text.matchAll(/data-payment="(\d+)"/g)].map((match) => Number(match[1]))).toEqual([newer.id, older.id]);
    expect(textOfTestid(page.text, 'payment-amount')).toEqual([zl(20_000), zl(15_000)]);
    expect(textOfTestid(page.text, 'payment-method')).toEqual(['przelew', 'gotówka']);
    // The older payment paid FV/A whole and 5 000 of FV/B; the newer one the remaining 15 000 of FV/B, 5 000 left over.
    const rowOf = (id: number) => new RegExp(`data-payment="${id}"[\\s\\S]*?</tr>`).exec(page.text)![0];
    expect(rowOf(older.id)).toContain(`data-invoice="${first.id}">FV/A: `);
    expect(textOfTestid(rowOf(older.id), 'paid-amount')).toEqual([zl(10_000), zl(5_000)]);
    expect(rowOf(newer.id)).toContain(`data-invoice="${second.id}">FV/B: `);
    expect(textOfTestid(rowOf(newer.id), 'paid-amount')).toEqual([zl(15_000)]);
    expect(rowOf(newer.id)).toContain('nadpłata do rozliczenia');
    expect(rowOf(older.id)).not.toContain('nadpłata do rozliczenia');
  });

  it('filters payments by dates and method, keeps the filter when paging, and pages twenty at a time', async () => {
    const alfa = await company();
    const start = dayAfter(alfa.today, -100);
    for (let day = 0; day < 25; day += 1) await payment(alfa, 1_000 + day, dayAfter(start, day), { method: day % 5 === 0 ? 'card' : 'transfer' });

    const all = await alfa.agent.get(`/${alfa.tenant.slug}/portal/payments`);
    expect(textOfTestid(all.text, 'payments-count')).toEqual(['Zaksięgowano 25 wpłat.']);
    expect(textOfTestid(all.text, 'payment-amount')).toHaveLength(20);
    expect(all.text).toContain('rel="next"');
    const second = await alfa.agent.get(`/${alfa.tenant.slug}/portal/payments?page=2`);
    expect(textOfTestid(second.text, 'payment-amount')).toEqual([1_004, 1_003, 1_002, 1_001, 1_000].map((minor) => zl(minor)));

    const cards = await alfa.agent.get(`/${alfa.tenant.slug}/portal/payments?method=card`);
    expect(textOfTestid(cards.text, 'payment-amount')).toEqual([1_020, 1_015, 1_010, 1_005, 1_000].map((minor) => zl(minor)));
    expect(textOfTestid(cards.text, 'payments-count')).toEqual(['Filtr pasuje do 5 wpłat.']);

    const from = dayAfter(start, 3);
    const to = dayAfter(start, 5);
    const period = await alfa.agent.get(`/${alfa.tenant.slug}/portal/payments?from=${from}&to=${to}`);
    expect(textOfTestid(period.text, 'payment-amount')).toEqual([1_005, 1_004, 1_003].map((minor) => zl(minor)));

    const long = await alfa.agent.get(`/${alfa.tenant.slug}/portal/payments?from=${start}&page=2`);
    expect(textOfTestid(long.text, 'payments-count')).toEqual(['Filtr pasuje do 25 wpłat.']);
    expect(textOfTestid(long.text, 'payment-amount')).toHaveLength(5);
    expect(long.text).toContain(`href="/${alfa.tenant.slug}/portal/payments?from=${start}" rel="prev"`);
  });

  it('answers a date that is no date with 422 and the form as typed, applying the rest of the filter', async () => {
    const alfa = await company();
    await payment(alfa, 7_000, dayAfter(alfa.today, -3), { method: 'cash' });
    await payment(alfa, 8_000, dayAfter(alfa.today, -2), { method: 'transfer' });
    const response = await alfa.agent.get(`/${alfa.tenant.slug}/portal/payments?from=2026-02-30&method=cash`);
    expect(response.status).toBe(422);
    expect(response.text).toContain('value="2026-02-30"');
    expect(response.text).toContain('Podaj datę w formacie RRRR-MM-DD');
    expect(response.text).toMatch(/<option value="cash" selected/);
    expect(textOfTestid(response.text, 'payment-amount')).toEqual([zl(7_000)]);

    const reversed = await alfa.agent.get(`/${alfa.tenant.slug}/portal/payments?from=2026-05-01&to=2026-04-01`);
    expect(reversed.status).toBe(422);
    expect(reversed.text).toContain('Data końcowa nie może być wcześniejsza niż początkowa.');
    const unknownMethod = await alfa.agent.get(`/${alfa.tenant.slug}/portal/payments?method=bitcoin`);
    expect(unknownMethod.status).toBe(422);
  });

  it('draws charges and payments per month as bars proportional to their amounts, with months named and a table of the same numbers', async () => {
    const alfa = await company();
    const thisMonth = alfa.today.slice(0, 7);
    const lastMonthDay = dayAfter(`${thisMonth}-01`, -1);
    const lastMonth = lastMonthDay.slice(0, 7);
    // Last month: charged 40 000, paid 10 000; this month: charged 20 000 and raised by a correction of 5 000, paid 30 000.
    await invoice(alfa, 40_000, lastMonthDay, dayAfter(lastMonthDay, 14), 'FV/old');
    await payment(alfa, 10_000, lastMonthDay);
    const fresh = await invoice(alfa, 20_000, `${thisMonth}-01`, dayAfter(`${thisMonth}-01`, 14), 'FV/new');
    await enterLedgerEntry(ledgerOf(alfa), { kind: 'correction', correctsEntryId: fresh.id, amount: pln(5_000), date: `${thisMonth}-01`, description: 'Dopłata' }, { isApproved: true, source: 'import' });
    await payment(alfa, 30_000, `${thisMonth}-01`);

    const page = await alfa.agent.get(`/${alfa.tenant.slug}/portal/payments`);
    const svg = /<svg[\s\S]*?<\/svg>/.exec(page.text)![0];
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/<title id="money-chart-title">Obciążenia i wpłaty od [^<]+<\/title>/);
    // Twelve months, the last one this month.
    const months = [...svg.matchAll(/<g data-month="(\d{4}-\d{2})">/g)].map((match) => match[1]);
    expect(months).toHaveLength(12);
    expect(months.at(-1)).toBe(thisMonth);
    expect(months.at(-2)).toBe(lastMonth);
    const heightsOf = (month: string) => {
      const group = new RegExp(`<g data-month="${month}">[\\s\\S]*?</g>`).exec(svg)![0];
      const height = (kind: string) => Number(new RegExp(`money-chart__bar--${kind}"[^>]*height="([\\d.]+)"`).exec(group)![1]);
      return { charges: height('charges'), payments: height('payments') };
    };
    // The largest amount (40 000) is the full height; the others in proportion to it.
    const full = barHeight(40_000n, 40_000n);
    expect(heightsOf(lastMonth)).toEqual({ charges: full, payments: full / 4 });
    expect(heightsOf(thisMonth)).toEqual({ charges: (full * 25) / 40, payments: (full * 3) / 4 });
    expect(heightsOf(months[0]!)).toEqual({ charges: 0, payments: 0 });
    // Month names in the reader's language under the bars.
    const monthName = new Intl.DateTimeFormat('pl', { month: 'short', timeZone: 'UTC' }).format(new Date(`${thisMonth}-01T00:00:00Z`));
    expect(svg).toContain(`>${monthName}</text>`);
    // The table beside it says the same.
    const table = /data-testid="money-chart-table"[\s\S]*?<\/table>/.exec(page.text)![0];
    const row = (month: string) => [...new RegExp(`<tr data-month="${month}">([\\s\\S]*?)</tr>`).exec(table)![1]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((match) => match[1]);
    expect(row(lastMonth)).toEqual([zl(40_000), zl(10_000)]);
    expect(row(thisMonth)).toEqual([zl(25_000), zl(30_000)]);
  });

  it('draws the months of the filtered period', async () => {
    const alfa = await company({ locale: 'en' });
    const page = await alfa.agent.get(`/${alfa.tenant.slug}/portal/payments?from=2026-01-15&to=2026-03-02`);
    const months = [...page.text.matchAll(/<g data-month="(\d{4}-\d{2})">/g)].map((match) => match[1]);
    expect(months).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(page.text).toContain('>Jan</text>');
    expect(page.text).toContain('>2026</text>');
    expect(page.text).toContain('There were no charges or payments in this period.');
  });

  it('shows a client its own customer’s money only, whatever customer the address names, and nothing across tenants', async () => {
    const alfa = await company();
    const beta = await company({ tenant: alfa.tenant });
    const elsewhere = await company();
    await invoice(alfa, 77_700, dayAfter(alfa.today, -20), dayAfter(alfa.today, -1), 'FV/ALFA');
    const alfaPayment = await payment(alfa, 11_100, dayAfter(alfa.today, -2), { reference: 'Tylko Alfa' });
    // The same numbers in another tenant, for a customer with the same id there or not.
    await invoice(elsewhere, 88_800, dayAfter(elsewhere.today, -20), dayAfter(elsewhere.today, -1), 'FV/ELSE');

    for (const path of ['/settlements', `/settlements?customerId=${alfa.customer.id}`, '/payments', `/payments?customerId=${alfa.customer.id}&customer=${alfa.customer.id}`, `?customerId=${alfa.customer.id}`]) {
      const response = await beta.agent.get(`/${beta.tenant.slug}/portal${path}`);
      expect(response.status, path).toBeLessThan(300);
      for (const leak of ['FV/ALFA', 'Tylko Alfa', zl(77_700), zl(11_100), 'FV/ELSE', zl(88_800)]) expect(response.text, `${path}: ${leak}`).not.toContain(leak);
    }
    expect((await beta.agent.get(`/${beta.tenant.slug}/portal/payments`)).text).not.toContain(`data-payment="${alfaPayment.id}"`);
    // Alfa's client in another tenant's address is not signed in there.
    const across = await alfa.agent.get(`/${elsewhere.tenant.slug}/portal/settlements`);
    expect(across.status).not.toBe(200);
    // The models refuse the same through a client's scope.
    const { listPayments } = await import('../../src/models/payment-history.js');
    const betaClient = await env.db('users').where({ tenant_id: beta.tenant.id, customer_id: beta.customer.id }).first();
    const betaScope = userScope(env.db, { id: betaClient.id, tenantId: beta.tenant.id, role: 'client', customerId: beta.customer.id });
    expect((await listPayments(betaScope, alfa.customer.id, {}, { page: 1, perPage: 20, offset: 0 })).rows).toEqual([]);
  });

  it('puts the balance and what is due on the client’s start page, overdue marked in words', async () => {
    const alfa = await company();
    const overdue = await invoice(alfa, 30_000, dayAfter(alfa.today, -30), dayAfter(alfa.today, -3), 'FV/10');
    for (let index = 0; index < 5; index += 1) await invoice(alfa, 1_000, alfa.today, dayAfter(alfa.today, 10 + index), `FV/2${index}`);
    const page = await alfa.agent.get(`/${alfa.tenant.slug}/portal`);
    expect(page.status).toBe(200);
    expect(textOfTestid(page.text, 'portlet-balance-state')).toEqual(['Do zapłaty']);
    expect(textOfTestid(page.text, 'portlet-balance-amount')).toEqual([zl(35_000)]);
    const dues = /data-testid="section-dues"[\s\S]*?<\/section>/.exec(page.text)![0];
    expect(dues).toMatch(new RegExp(`<li class="is-overdue" data-testid="portlet-due-${overdue.id}">`));
    expect(dues).toContain('po terminie 3 dni');
    expect(dues.match(/data-testid="portlet-due-/g)).toHaveLength(4);
    expect(textOfTestid(dues, 'portlet-dues-more')).toEqual(['…i jeszcze 2 faktury w rozliczeniach.']);
    expect(dues).toContain(`href="/${alfa.tenant.slug}/portal/settlements"`);

    const empty = await company();
    const emptyPage = await empty.agent.get(`/${empty.tenant.slug}/portal`);
    expect(textOfTestid(emptyPage.text, 'portlet-balance-state')).toEqual(['Nic do zapłaty']);
    expect(textOfTestid(emptyPage.text, 'portlet-dues-empty')).toEqual(['Nie masz żadnych należności.']);
  });

  it('lists Settlements in the client’s menu and keeps the payment history under it', async () => {
    const alfa = await company();
    const page = await alfa.agent.get(`/${alfa.tenant.slug}/portal/payments`);
    expect(page.text).toMatch(new RegExp(`<a href="/${alfa.tenant.slug}/portal/settlements"[^>]*aria-current="page"[^>]*>Rozliczenia</a>`));
  });
});
