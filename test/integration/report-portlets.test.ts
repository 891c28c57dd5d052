import { reportColumns, type ReportId } from '../../src/models/portlet-registry.js';
import { expect, it } from 'vitest';
import { moneyOf } from '../../src/lib/money.js';
import { calendarDateIn, toDatabaseTime } from '../../src/lib/time.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, type TestTenant } from '../support/factories.js';
import { binaryParser, pdfText } from '../support/pdf.js';
import { fieldErrorOf, signedInAgent, postForm } from '../support/http.js';
import { makeTicket } from '../support/tickets.js';

/** The form of a group's portlets with one report (and nothing else) shown, with its settings. */
function reportForm(report: ReportId, settings: Record<string, string>, columns: string[]) {
  return { mode: 'own', [`shown_${report}`]: 'on', [`position_${report}`]: '1', [`limit_${report}`]: '5', [`sort_${report}`]: 'newest', ...Object.fromEntries(columns.map((column) => [`column_${report}_${column}`, 'on'])), ...settings };
}

describeOnEachDatabase('report portlets with their pages, CSV and PDF, per group (P2–P4)', (env) => {
  async function company() {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.' });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const groupId = Number((await env.db('groups').where({ tenant_id: tenant.id, is_default: true }).first()).id);
    const tenantRow = await env.db('tenants').where('id', tenant.id).first();
    const today = calendarDateIn(env.clock.now(), tenantRow.time_zone);
    return { tenant, customer, client, admin, groupId, today };
  }
  const groupPage = (tenant: TestTenant, groupId: number) => `/${tenant.slug}/admin/groups/${groupId}/portlets`;
  /** The first day of the month `back` months before today's. */
  const monthStart = (today: string, back: number) => new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 - back, 1)).toISOString().slice(0, 10);

  async function payments(tenant: TestTenant, customerId: number, today: string) {
    const scope = scopeFor(env.db, tenant);
    const pay = (minor: number, paidOn: string, reference: string) => enterLedgerEntry(scope, { kind: 'payment', customerId, amount: moneyOf(minor, 'PLN'), paidOn, method: 'transfer', reference }, { isApproved: true, source: 'import' });
    await pay(10_000, monthStart(today, 0), 'W tym miesiącu');
    await pay(20_000, monthStart(today, 2), 'Dwa miesiące temu');
    await pay(40_000, monthStart(today, 3), 'Trzy miesiące temu');
  }

  it('refuses a report the group does not have with 403 on its page, CSV and PDF, showing none of its data', async () => {
    const { tenant, customer, client, today } = await company();
    await payments(tenant, customer.id, today);
    const agent = await signedInAgent(env.app, tenant, client.login);
    expect((await agent.get(`/${tenant.slug}/portal`)).text).not.toContain('section-paymentsReport');
    for (const path of ['payments', 'payments/csv', 'payments/pdf', 'service-tickets', 'service-tickets/csv', 'service-tickets/pdf']) {
      const response = await agent.get(`/${tenant.slug}/portal/reports/${path}`);
      expect(response.status, path).toBe(403);
      expect(response.text, path).toContain('Ten raport nie jest dostępny dla Twojej grupy.');
      expect(response.text, path).not.toContain('W tym miesiącu');
    }
  });

  it('shows exactly the months of a three-month period in the portlet and on the page, as CSV and PDF too, with the chosen columns', async () => {
    const { tenant, customer, client, admin, groupId, today } = await company();
    await payments(tenant, customer.id, today);
    const saved = await postForm(admin, groupPage(tenant, groupId), groupPage(tenant, groupId), reportForm('paymentsReport', { period_paymentsReport: 'lastMonths', months_paymentsReport: '3' }, ['paidOn', 'amount', 'reference']));
    expect(saved.status).toBe(303);
    const agent = await signedInAgent(env.app, tenant, client.login);
    const dashboard = (await agent.get(`/${tenant.slug}/portal`)).text;
    expect(dashboard).toContain('data-testid="section-paymentsReport"');
    expect(dashboard).toContain('W tym miesiącu');
    expect(dashboard).toContain('Dwa miesiące temu');
    expect(dashboard).not.toContain('Trzy miesiące temu');
    expect(dashboard).toContain('Ostatnie 3 miesiące');
    const page = await agent.get(`/${tenant.slug}/portal/reports/payments`);
    expect(page.status).toBe(200);
    expect([...page.text.matchAll(/data-testid="report-row"/g)]).toHaveLength(2);
    expect(page.text).toContain('<th scope="col">Tytuł</th>');
    expect(page.text).not.toContain('Forma płatności');
    const csv = await agent.get(`/${tenant.slug}/portal/reports/payments/csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toBe(`\uFEFFData wpłaty;Kwota;Tytuł\r\n${monthStart(today, 0)};100,00;W tym miesiącu\r\n${monthStart(today, 2)};200,00;Dwa miesiące temu\r\n`);
    const pdf = await agent.get(`/${tenant.slug}/portal/reports/payments/pdf`).buffer(true).parse(binaryParser as never);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('Historia wpłat');
    expect(text).toContain('Dwa miesiące temu');
    expect(text).not.toContain('Trzy miesiące temu');
  });

  it('shows mutual settlements of the period with the balance after each entry, the balance before it carried in', async () => {
    const { tenant, customer, client, admin, groupId, today } = await company();
    const scope = scopeFor(env.db, tenant);
    const options = { isApproved: true, source: 'import' as const };
    await enterLedgerEntry(scope, { kind: 'invoice', customerId: customer.id, amount: moneyOf(50_000, 'PLN'), documentNumber: 'FV/STARA', issueDate: monthStart(today, 5), dueDate: monthStart(today, 5) }, options);
    await enterLedgerEntry(scope, { kind: 'invoice', customerId: customer.id, amount: moneyOf(30_000, 'PLN'), documentNumber: 'FV/NOWA', issueDate: monthStart(today, 1), dueDate: monthStart(today, 0) }, options);
    await enterLedgerEntry(scope, { kind: 'payment', customerId: customer.id, amount: moneyOf(60_000, 'PLN'), paidOn: monthStart(today, 0), method: 'transfer', reference: 'Przelew' }, options);
    expect((await postForm(admin, groupPage(tenant, groupId), groupPage(tenant, groupId), { ...reportForm('settlementsReport', { period_settlementsReport: 'lastMonths', months_settlementsReport: '3', sort_settlementsReport: 'oldest' }, ['entryDate', 'documentNumber', 'charge', 'credit', 'balance']) })).status).toBe(303);
    const agent = await signedInAgent(env.app, tenant, client.login);
    const csv = await agent.get(`/${tenant.slug}/portal/reports/settlements/csv`);
    expect(csv.status).toBe(200);
    // 500,00 owed before the period; +300,00 → 800,00; −600,00 → 200,00.
    expect(csv.text).toBe(`\uFEFFData;Dokument;Obciążenie;Uznanie;Saldo\r\n${monthStart(today, 1)};FV/NOWA;300,00;;800,00\r\n${monthStart(today, 0)};Przelew;;600,00;200,00\r\n`);
    const dashboard = (await agent.get(`/${tenant.slug}/portal`)).text;
    expect(dashboard).toContain('data-testid="section-settlementsReport"');
    expect(dashboard).not.toContain('FV/STARA');
  });

  it('writes a negative balance (an overpayment) as a number in the CSV, not as escaped text', async () => {
    const { tenant, customer, client, admin, groupId, today } = await company();
    await enterLedgerEntry(scopeFor(env.db, tenant), { kind: 'payment', customerId: customer.id, amount: moneyOf(12_345, 'PLN'), paidOn: monthStart(today, 0), method: 'transfer', reference: '=HYPERLINK("x")' }, { isApproved: true, source: 'import' });
    expect((await postForm(admin, groupPage(tenant, groupId), groupPage(tenant, groupId), reportForm('settlementsReport', { period_settlementsReport: 'thisMonth', sort_settlementsReport: 'oldest' }, ['documentNumber', 'credit', 'balance']))).status).toBe(303);
    const csv = await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal/reports/settlements/csv`);
    // The reference typed as a formula is text with its apostrophe (and quoted, for its quotes); the amounts are numbers.
    expect(csv.text).toBe(`\uFEFFDokument;Uznanie;Saldo\r\n"'=HYPERLINK(""x"")";123,45;-123,45\r\n`);
  });

  it('shows what the customer owes by how long it is overdue, on the period’s last day', async () => {
    const { tenant, customer, client, admin, groupId, today } = await company();
    const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    const scope = scopeFor(env.db, tenant);
    const options = { isApproved: true, source: 'import' as const };
    await enterLedgerEntry(scope, { kind: 'invoice', customerId: customer.id, amount: moneyOf(12_300, 'PLN'), documentNumber: 'FV/45', issueDate: day(-60), dueDate: day(-45) }, options);
    await enterLedgerEntry(scope, { kind: 'invoice', customerId: customer.id, amount: moneyOf(4_500, 'PLN'), documentNumber: 'FV/1', issueDate: day(-1), dueDate: day(13) }, options);
    expect((await postForm(admin, groupPage(tenant, groupId), groupPage(tenant, groupId), reportForm('agingReport', { period_agingReport: 'thisMonth', sort_agingReport: 'currentFirst' }, ['bucket', 'amount']))).status).toBe(303);
    const csv = await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal/reports/aging/csv`);
    const lines = csv.text.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe('Przedział;Do zapłaty');
    expect(lines[1]).toBe('Przed terminem;45,00');
    expect(lines[3]).toMatch(/^31.60.*;123,00$/);
    expect(lines).toHaveLength(6);
  });

  it('lists the customer’s resolved tickets of the period with their net, VAT and gross', async () => {
    const { tenant, customer, client, admin, groupId } = await company();
    const ticket = await makeTicket(env.db, tenant, client, { title: 'Naprawa drukarki', customer });
    await env.db('tickets').where({ tenant_id: tenant.id, id: ticket.id }).update({ status: 'resolved', resolved_at: toDatabaseTime(env.clock.now()) });
    await env.db('ticket_cost_lines').insert({ tenant_id: tenant.id, ticket_id: ticket.id, kind: 'labour', description: 'Praca', quantity_thousandths: 2000, unit_price_minor: 10_000, vat_rate: '23', created_at: toDatabaseTime(env.clock.now()), updated_at: toDatabaseTime(env.clock.now()) });
    await makeTicket(env.db, tenant, client, { title: 'Jeszcze otwarte', customer });
    expect((await postForm(admin, groupPage(tenant, groupId), groupPage(tenant, groupId), reportForm('pricingReport', { period_pricingReport: 'thisYear' }, ['number', 'title', 'net', 'vat', 'gross']))).status).toBe(303);
    const page = await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal/reports/service-tickets`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Naprawa drukarki');
    expect(page.text).not.toContain('Jeszcze otwarte');
    expect(page.text).toMatch(/200,00\s*zł/);
    expect(page.text).toMatch(/46,00\s*zł/);
    expect(page.text).toMatch(/246,00\s*zł/);
  });

  it('keeps a group’s whole set, every portlet and report with a range, in the settings table of either database', async () => {
    const { tenant, admin, groupId } = await company();
    const form: Record<string, string> = { mode: 'own' };
    const ids = ['balance', 'dues', 'latestTickets', 'addTicket', 'addDocument', 'settlementsReport', 'agingReport', 'paymentsReport', 'pricingReport'] as const;
    ids.forEach((id, index) => Object.assign(form, { [`shown_${id}`]: 'on', [`position_${id}`]: String(index + 1), [`limit_${id}`]: '20' }));
    for (const id of ['settlementsReport', 'agingReport', 'paymentsReport', 'pricingReport'] as const) {
      Object.assign(form, { [`period_${id}`]: 'range', [`from_${id}`]: '2025-01-01', [`to_${id}`]: '2026-12-31', [`sort_${id}`]: id === 'settlementsReport' ? 'oldest' : id === 'agingReport' ? 'overdueFirst' : 'largest' });
      for (const column of reportColumns[id]) form[`column_${id}_${column}`] = 'on';
    }
    expect((await postForm(admin, groupPage(tenant, groupId), groupPage(tenant, groupId), form)).status).toBe(303);
    const stored = await env.db('settings').where({ tenant_id: tenant.id, level: 'group', target_id: groupId, name: 'portal.portlets' }).first();
    expect(stored.value.length).toBeGreaterThan(200);
    expect(JSON.parse(stored.value).map((choice: { id: string }) => choice.id)).toEqual([...ids]);
  });

  it('refuses a report’s settings out of their schema with the form as sent (422)', async () => {
    const { tenant, admin, groupId } = await company();
    const path = groupPage(tenant, groupId);
    const backwards = await postForm(admin, path, path, reportForm('paymentsReport', { period_paymentsReport: 'range', from_paymentsReport: '2026-05-01', to_paymentsReport: '2026-03-01' }, ['amount']));
    expect(backwards.status).toBe(422);
    expect(fieldErrorOf(backwards.text, 'to_paymentsReport')).toBe('Koniec okresu nie może być przed jego początkiem.');
    expect(backwards.text).toContain('value="2026-05-01"');
    const noColumns = await postForm(admin, path, path, reportForm('paymentsReport', { period_paymentsReport: 'thisMonth' }, []));
    expect(noColumns.status).toBe(422);
    expect(noColumns.text).toContain('Wybierz co najmniej jedną kolumnę.');
    const badMonths = await postForm(admin, path, path, reportForm('paymentsReport', { period_paymentsReport: 'lastMonths', months_paymentsReport: '-2' }, ['amount']));
    expect(fieldErrorOf(badMonths.text, 'months_paymentsReport')).toBe('Wpisz liczbę miesięcy od 1 do 36.');
    const badSort = await postForm(admin, path, path, reportForm('paymentsReport', { period_paymentsReport: 'thisMonth', sort_paymentsReport: 'random' }, ['amount']));
    expect(badSort.status).toBe(422);
    expect(await env.db('settings').where({ tenant_id: tenant.id, name: 'portal.portlets' })).toHaveLength(0);
  });
});
