import { expect, it } from 'vitest';
import { moneyOf } from '../../src/lib/money.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor } from '../support/factories.js';
import { fieldErrorOf, signedInAgent, type Agent } from '../support/http.js';
import { binaryParser, pdfText } from '../support/pdf.js';
import { agingEdgesFixture, reportDay, reportFixture, reportPeriod } from '../support/receivables.js';

const period = `from=${reportPeriod.from}&to=${reportPeriod.to}`;
const download = (agent: Agent, path: string) => agent.get(path).buffer(true).parse(binaryParser as never);
/** The rows of a report table: each row's customer id and the machine values of its amounts. */
const amountsOf = (html: string, testid: string) => {
  const table = html.slice(html.indexOf(`data-testid="${testid}"`));
  return [...table.matchAll(/<tr role="row"([^>]*)>([\s\S]*?)<\/tr>/g)].slice(1).map((row) => [/data-customer-id="(\d+)"/.exec(row[1]!)?.[1] ?? 'totals', ...[...row[2]!.matchAll(/<data class="money" value="([^"]+)"/g)].map((match) => match[1])]);
};

describeOnEachDatabase('money reports for staff (M5, M9)', (env) => {
  it('shows an admin every customer’s period with the totals, and a caretaker only their own', async () => {
    const { tenant, caretaker, alfa, beta, formula } = await reportFixture(env.db);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = await admin.get(`/${tenant.slug}/staff/reports/balances?${period}`);
    expect(page.status).toBe(200);
    expect(amountsOf(page.text, 'balance-report')).toEqual([
      [String(formula.id), '0.00', '0.00', '0.00', '0.00', '0.00', '0.00'],
      [String(alfa.id), '600.00', '550.00', '300.00', '100.00', '750.00', '750.00'],
      [String(beta.id), '1230.45', '0.00', '0.00', '0.00', '1230.45', '1230.45'],
      ['totals', '1830.45', '550.00', '300.00', '100.00', '1980.45', '1980.45'],
    ]);
    expect(page.text).toContain(`href="/${tenant.slug}/staff/customers/${alfa.id}/report?from=2026-11-01&amp;to=2026-11-30"`);
    expect(page.text).toContain(`href="/${tenant.slug}/staff/reports/balances.csv?from=2026-11-01&amp;to=2026-11-30"`);
    expect((await admin.get(`/${tenant.slug}/staff`)).text).toContain(`href="/${tenant.slug}/staff/reports/balances"`);
    expect((await admin.get(`/${tenant.slug}/staff/customers`)).text).toContain(`href="/${tenant.slug}/staff/reports/balances"`);
    const own = await (await signedInAgent(env.app, tenant, caretaker.login)).get(`/${tenant.slug}/staff/reports/balances?${period}`);
    expect(amountsOf(own.text, 'balance-report').map((row) => row[0])).toEqual([String(alfa.id), 'totals']);
    expect(own.text).not.toContain('name="caretaker"');
  });

  it('refuses clients every report and a caretaker another caretaker’s customer', async () => {
    const { tenant, alfa, formula } = await reportFixture(env.db);
    const client = await makeUser(env.db, tenant, 'client', { customer: alfa });
    const agent = await signedInAgent(env.app, tenant, client.login);
    for (const path of ['reports/balances', 'reports/balances.csv', 'reports/balances.pdf', 'reports/aging', 'reports/aging.csv', 'reports/aging.pdf', `customers/${alfa.id}/report`, `customers/${alfa.id}/report.csv`, `customers/${alfa.id}/report.pdf`]) {
      expect((await agent.get(`/${tenant.slug}/staff/${path}`)).status, path).toBe(403);
    }
    const caretaker = await signedInAgent(env.app, tenant, (await env.db('users').where('id', (await env.db('customers').where('id', alfa.id).first()).caretaker_id).first()).login);
    for (const path of ['report', 'report.csv', 'report.pdf']) expect((await caretaker.get(`/${tenant.slug}/staff/customers/${formula.id}/${path}`)).status, path).toBe(404);
    const stranger = await makeTenant(env.db);
    const strangerAdmin = await signedInAgent(env.app, stranger, stranger.superadmin.login);
    expect((await strangerAdmin.get(`/${stranger.slug}/staff/customers/${alfa.id}/report`)).status).toBe(404);
  });

  it('exports the report as CSV: byte order mark, Polish header, amounts as numbers (negative too), a formula name escaped', async () => {
    const { tenant, formula } = await reportFixture(env.db);
    // An overpayment: the formula customer's balance is −50,00 at the end of November.
    await enterLedgerEntry(scopeFor(env.db, tenant), { kind: 'payment', customerId: formula.id, amount: moneyOf(5_000, 'PLN'), paidOn: '2026-11-15', method: 'transfer', reference: '=1+1' }, { isApproved: true, source: 'import' });
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const response = await download(admin, `/${tenant.slug}/staff/reports/balances.csv?${period}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = (response.body as Buffer).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('\uFEFFKlient;Numer w systemie FK;Opiekun;Saldo na początek;Obciążenia;Wpłaty;Korekty in minus;Saldo na koniec;Po terminie dziś');
    expect(lines[1]).toBe(`'=HYPERLINK(""http://evil.test"",""x"")";;Test caretaker;0,00;0,00;50,00;0,00;-50,00;0,00`.replace(/^'/, `"'`));
    expect(lines[2]).toBe('Alfa Łódź;;Karolina Zielińska;600,00;550,00;300,00;100,00;750,00;750,00');
    expect(lines).toHaveLength(5);
    const english = await signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'admin', { locale: 'en' })).login);
    const englishText = ((await download(english, `/${tenant.slug}/staff/reports/balances.csv?${period}`)).body as Buffer).toString('utf8');
    expect(englishText.split('\r\n')[2]).toBe('Alfa Łódź,,Karolina Zielińska,600.00,550.00,300.00,100.00,750.00,750.00');
    const exported = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'report.exported' }).select('details');
    expect(exported.map((row) => JSON.parse(String(row.details)))).toContainEqual({ report: 'balances', format: 'csv', from: '2026-11-01', to: '2026-11-30' });
  });

  it('prints the report as a PDF with the provider, the period, Polish letters and the totals', async () => {
    const { tenant } = await reportFixture(env.db);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const response = await download(admin, `/${tenant.slug}/staff/reports/balances.pdf?${period}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(response.body as Buffer);
    for (const expected of ['Należności i wpłaty klientów', 'Żółta Firma', '1.11.2026 – 30.11.2026', 'Alfa Łódź', 'Karolina Zielińska', 'Razem (3 klientów)', '1980,45 zł']) expect(text, expected).toContain(expected);
  });

  it('gives one customer’s report with the running balance, as a page, CSV and PDF', async () => {
    const { tenant, caretaker, alfa } = await reportFixture(env.db);
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const ledger = await agent.get(`/${tenant.slug}/staff/customers/${alfa.id}/ledger`);
    expect(ledger.text).toContain(`href="/${tenant.slug}/staff/customers/${alfa.id}/report"`);
    const page = await agent.get(`/${tenant.slug}/staff/customers/${alfa.id}/report?${period}`);
    expect(page.status).toBe(200);
    expect([...page.text.matchAll(/data-entry-id="\d+"[\s\S]*?<\/tr>/g)].map((row) => [...row[0].matchAll(/value="([^"]+)"/g)].map((match) => match[1]).at(-1))).toEqual(['1100.00', '1150.00', '1050.00', '750.00']);
    expect(page.text).toMatch(/data-testid="report-opening">600,00/);
    const csv = ((await download(agent, `/${tenant.slug}/staff/customers/${alfa.id}/report.csv?${period}`)).body as Buffer).toString('utf8').split('\r\n');
    expect(csv[1]).toBe('2026-11-03;Faktura;FV/A/2;2026-11-17;500,00;;1100,00');
    expect(csv[4]).toBe('2026-11-20;Wpłata;przelew 2;;;300,00;750,00');
    const pdf = await pdfText((await download(agent, `/${tenant.slug}/staff/customers/${alfa.id}/report.pdf?${period}`)).body as Buffer);
    for (const expected of ['Raport rozliczeń: Alfa Łódź', 'Saldo na początek: 600,00 zł', 'FV/A/2', '750,00 zł']) expect(pdf, expected).toContain(expected);
  });

  it('ages receivables with invoices at the buckets’ edges, draws their chart, and exports them', async () => {
    const tenant = await makeTenant(env.db);
    const edges = await agingEdgesFixture(env.db, tenant, 'Krawędź Śląska');
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = await admin.get(`/${tenant.slug}/staff/reports/aging?day=${reportDay}`);
    expect(page.status).toBe(200);
    expect(amountsOf(page.text, 'aging-report')).toEqual([
      [String(edges.id), '1.00', '6.00', '24.00', '96.00', '128.00', '255.00'],
      ['totals', '1.00', '6.00', '24.00', '96.00', '128.00', '255.00'],
    ]);
    const bars = [...page.text.matchAll(/<g data-bucket="(\w+)">\s*<rect[^>]* height="([\d.]+)"/g)].map((match) => [match[1], Number(match[2])]);
    expect(bars).toEqual([['current', 1.3], ['days1to30', 7.5], ['days31to60', 30], ['days61to90', 120], ['over90', 160]]);
    expect(page.text).not.toContain('<script');
    const csv = ((await download(admin, `/${tenant.slug}/staff/reports/aging.csv?day=${reportDay}`)).body as Buffer).toString('utf8').split('\r\n');
    expect(csv[1]).toBe('Krawędź Śląska;;;1,00;6,00;24,00;96,00;128,00;255,00');
    const pdf = await pdfText((await download(admin, `/${tenant.slug}/staff/reports/aging.pdf?day=${reportDay}`)).body as Buffer);
    for (const expected of ['Wiekowanie należności', 'Krawędź Śląska', 'Razem (1 klient)', '128,00 zł', '255,00 zł', '1.12.2026']) expect(pdf, expected).toContain(expected);
  });

  it('answers a filter it cannot use with 422 and the form as typed, and pages the rest', async () => {
    const { tenant, alfa, beta } = await reportFixture(env.db);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const bad = await admin.get(`/${tenant.slug}/staff/reports/balances?from=2026-13-40&to=2026-11-30&sort=name-asc`);
    expect(bad.status).toBe(422);
    expect(fieldErrorOf(bad.text, 'from')).toBe('Wpisz datę w formacie RRRR-MM-DD.');
    expect(bad.text).toContain('value="2026-13-40"');
    const reversed = await admin.get(`/${tenant.slug}/staff/reports/aging?day=jutro`);
    expect(reversed.status).toBe(422);
    const overdue = await admin.get(`/${tenant.slug}/staff/reports/balances?${period}&overdue=1&sort=closing-desc`);
    expect(amountsOf(overdue.text, 'balance-report').map((row) => row[0])).toEqual([String(beta.id), String(alfa.id), 'totals']);
  });
});
