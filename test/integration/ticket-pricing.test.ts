import { expect, it } from 'vitest';
import { changeTicketStatus, addStaffMessage } from '../../src/models/ticket-workflow.js';
import type { TestEnvironment } from '../support/environment.js';
import { formOf } from './customers-helpers.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, userScope, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, type Agent, postForm } from '../support/http.js';
import { binaryParser, pdfText } from '../support/pdf.js';
import { makeTicket } from '../support/tickets.js';

/** A customer with a caretaker and a client, a ticket of the client's handled by the caretaker, and both signed in. */
async function pricingSetting(env: TestEnvironment) {
  const tenant = await makeTenant(env.db);
  const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Grażyna', lastName: 'Żółkiewska' });
  const customer = await makeCustomer(env.db, tenant, { caretaker, name: 'Łódzka Spółdzielnia Mieszkaniowa' });
  const client = await makeUser(env.db, tenant, 'client', { customer });
  const ticket = await makeTicket(env.db, tenant, client, { title: 'Wózek widłowy nie podnosi', description: 'Podnośnik opada po załadunku.' });
  const staff = await signedInAgent(env.app, tenant, caretaker.login);
  const portal = await signedInAgent(env.app, tenant, client.login);
  return { tenant, caretaker, customer, client, ticket, staff, portal };
}

const staffPage = (tenant: TestTenant, id: number) => `/${tenant.slug}/staff/tickets/${id}`;
const portalPage = (tenant: TestTenant, id: number) => `/${tenant.slug}/portal/tickets/${id}`;

const post = postForm;

const linesOf = (env: TestEnvironment, tenant: TestTenant, ticketId: number) => env.db('ticket_cost_lines').where({ tenant_id: tenant.id, ticket_id: ticketId }).orderBy('id');
const labour = { kind: 'labour', description: 'Naprawa siłownika', quantity: '1,5', unitPrice: '120,00', vatRate: '23' };
const part = { kind: 'part', description: 'Uszczelka żółta', quantity: '2', unitPrice: '49.99', vatRate: '8' };
const fee = { kind: 'fee', description: 'Dojazd do klienta', quantity: '', unitPrice: '100', vatRate: '23' };

async function addLine(agent: Agent, tenant: TestTenant, ticketId: number, fields: Record<string, string>) {
  const page = staffPage(tenant, ticketId);
  return post(agent, page, `${page}/cost-lines`, fields);
}

async function moveTo(env: TestEnvironment, tenant: TestTenant, ticketId: number, to: 'resolved' | 'closed') {
  const version = Number((await env.db('tickets').where({ tenant_id: tenant.id, id: ticketId }).first()).version);
  await changeTicketStatus(scopeFor(env.db, tenant), ticketId, { to, version, mover: 'staff' });
}

const download = (agent: Agent, path: string) => agent.get(path).buffer(true).parse(binaryParser as never);

describeOnEachDatabase('pricing a ticket', (env) => {
  it('adds labour, a part and a fee, stores them exactly and shows the totals per VAT rate', async () => {
    const { tenant, ticket, staff } = await pricingSetting(env);
    for (const line of [labour, part, fee]) expect((await addLine(staff, tenant, ticket.id, line)).status).toBe(303);
    const rows = await linesOf(env, tenant, ticket.id);
    expect(rows.map((row) => [row.kind, Number(row.quantity_thousandths), Number(row.unit_price_minor), row.vat_rate])).toEqual([
      ['labour', 1500, 12000, '23'],
      ['part', 2000, 4999, '8'],
      ['fee', 1000, 10000, '23'],
    ]);
    const page = (await staff.get(staffPage(tenant, ticket.id))).text;
    // 23%: 180.00 + 100.00 = 280.00 net, 64.40 VAT; 8%: 99.98 net, 8.00 VAT; together 379.98 + 72.40 = 452.38.
    expect(page).toContain('Naprawa siłownika');
    expect(page).toContain('1,5 godz.');
    expect(page).toMatch(/<data class="money" value="452.38" data-currency="PLN" data-testid="pricing-gross">452,38\u00a0zł<\/data>/);
    expect(page).toContain('value="72.40"');
    const audit = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'ticket.cost_line_added' });
    expect(audit).toHaveLength(3);
    expect(JSON.parse(audit[0].details)).toEqual({ costLineId: rows[0].id, kind: 'labour' });
  });

  it('refuses bad input with 422 in the user’s language, keeps the typed values and writes nothing', async () => {
    const { tenant, ticket, staff } = await pricingSetting(env);
    const tooPrecise = await addLine(staff, tenant, ticket.id, { ...labour, quantity: '1,555', unitPrice: '12,345', vatRate: '7' });
    expect(tooPrecise.status).toBe(422);
    expect(fieldErrorOf(tooPrecise.text, 'quantity')).toContain('najwyżej dwa miejsca po przecinku');
    expect(fieldErrorOf(tooPrecise.text, 'unitPrice')).toContain('Podaj kwotę');
    expect(fieldErrorOf(tooPrecise.text, 'vatRate')).toBe('Wybierz stawkę VAT z listy.');
    expect(tooPrecise.text).toContain('value="1,555"');
    expect(tooPrecise.text).toContain('value="Naprawa siłownika"');
    const empty = await addLine(staff, tenant, ticket.id, { kind: 'part', description: ' ', quantity: '', unitPrice: '', vatRate: '23' });
    expect(empty.status).toBe(422);
    for (const field of ['description', 'quantity', 'unitPrice']) expect(fieldErrorOf(empty.text, field), field).toBeTruthy();
    const ambiguous = await addLine(staff, tenant, ticket.id, { ...part, unitPrice: '1,234.56' });
    expect(ambiguous.status).toBe(422);
    const zeroHours = await addLine(staff, tenant, ticket.id, { ...labour, quantity: '0' });
    expect(fieldErrorOf(zeroHours.text, 'quantity')).toContain('większa od zera');
    expect(await linesOf(env, tenant, ticket.id)).toEqual([]);
  });

  it('adds one line when the same form is sent twice', async () => {
    const { tenant, ticket, staff } = await pricingSetting(env);
    const fields = { ...labour, submissionKey: '6f1d3b7e-8c55-4b8e-9a51-2f0c1f3c9a10' };
    const page = staffPage(tenant, ticket.id);
    const token = await csrfTokenFrom(staff, page);
    const send = () => staff.post(`${page}/cost-lines`).type('form').send({ _csrf: token, ...fields });
    const answers = await Promise.all([send(), send()]);
    expect(answers.map((answer) => answer.status)).toEqual([303, 303]);
    expect(await linesOf(env, tenant, ticket.id)).toHaveLength(1);
  });

  /** A cost line that a member of staff opens for editing, and an admin who can change it meanwhile. */
  async function lineOpenedByTwo() {
    const { tenant, ticket, staff } = await pricingSetting(env);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    await addLine(staff, tenant, ticket.id, labour);
    const [line] = await linesOf(env, tenant, ticket.id);
    const edit = `${staffPage(tenant, ticket.id)}/cost-lines/${line.id}/edit`;
    const update = `${staffPage(tenant, ticket.id)}/cost-lines/${line.id}`;
    return { tenant, ticket, staff, admin, edit, update, opened: formOf((await staff.get(edit)).text) };
  }

  it('answers the second of two staff changing the same line with 409 and a form that keeps both people’s work when saved as it stands (issue 14)', async () => {
    const { tenant, ticket, staff, admin, edit, update, opened } = await lineOpenedByTwo();
    expect(opened).toMatchObject({ quantity: '1,5', unitPrice: '120,00', version: '1' });
    expect((await post(admin, edit, update, { ...labour, quantity: '2', version: '1', base: formOf((await admin.get(edit)).text).base! })).status).toBe(303);
    const stale = await staff.post(update).type('form').send({ ...opened, unitPrice: '150,00' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('W międzyczasie ktoś zmienił tę pozycję.');
    expect(stale.text).toContain('ilość 2 godz.');
    expect(stale.text).not.toContain('data-testid="cost-line-clashes"');
    // The form holds the admin's quantity and this user's price, at the stored version.
    const merged = formOf(stale.text);
    expect(merged).toMatchObject({ quantity: '2', unitPrice: '150,00', version: '2' });
    expect(await linesOf(env, tenant, ticket.id)).toMatchObject([{ quantity_thousandths: 2000, unit_price_minor: 12000, version: 2 }]);
    expect((await staff.post(update).type('form').send(merged)).status).toBe(303);
    expect(await linesOf(env, tenant, ticket.id)).toMatchObject([{ quantity_thousandths: 2000, unit_price_minor: 15000, version: 3 }]);
    // The same values sent again (a double click) count as saved.
    expect((await staff.post(update).type('form').send(merged)).status).toBe(303);
    const changed = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'ticket.cost_line_changed' });
    expect(changed.map((entry) => JSON.parse(entry.details).fields)).toEqual([['quantityThousandths'], ['unitPriceMinor']]);
  });

  it('names a field both people changed on the conflict page, with this user’s value in the form and the stored one above it', async () => {
    const { tenant, ticket, staff, admin, edit, update, opened } = await lineOpenedByTwo();
    expect((await admin.post(update).type('form').send({ ...formOf((await admin.get(edit)).text), unitPrice: '130,00', description: 'Naprawa siłownika drzwi' })).status).toBe(303);
    const stale = await staff.post(update).type('form').send({ ...opened, unitPrice: '150,00' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Te pola zmieniła także druga osoba: Cena jednostkowa netto.');
    expect(stale.text).toContain('Zapisana teraz: Naprawa siłownika drzwi');
    expect(formOf(stale.text)).toMatchObject({ description: 'Naprawa siłownika drzwi', unitPrice: '150,00', version: '2' });
    expect(await linesOf(env, tenant, ticket.id)).toMatchObject([{ description: 'Naprawa siłownika drzwi', unit_price_minor: 13000, version: 2 }]);
  });

  it('removes a line only at the version the page showed, and a second removal is no error', async () => {
    const { tenant, ticket, staff } = await pricingSetting(env);
    await addLine(staff, tenant, ticket.id, labour);
    const [line] = await linesOf(env, tenant, ticket.id);
    const page = staffPage(tenant, ticket.id);
    await env.db('ticket_cost_lines').where({ tenant_id: tenant.id, id: line.id }).update({ version: 2 });
    const stale = await post(staff, page, `${page}/cost-lines/${line.id}/removal`, { version: '1' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('nie została usunięta');
    expect(await linesOf(env, tenant, ticket.id)).toHaveLength(1);
    expect((await post(staff, page, `${page}/cost-lines/${line.id}/removal`, { version: '2' })).status).toBe(303);
    expect(await linesOf(env, tenant, ticket.id)).toEqual([]);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'ticket.cost_line_removed' })).toHaveLength(1);
  });

  it('freezes the pricing of a closed ticket: no form, and a late add is 409 with nothing written', async () => {
    const { tenant, ticket, staff } = await pricingSetting(env);
    await addLine(staff, tenant, ticket.id, labour);
    const [line] = await linesOf(env, tenant, ticket.id);
    const page = staffPage(tenant, ticket.id);
    const token = await csrfTokenFrom(staff, page);
    await moveTo(env, tenant, ticket.id, 'closed');
    const shown = (await staff.get(page)).text;
    expect(shown).toContain('data-testid="pricing-frozen"');
    expect(shown).not.toContain('data-testid="cost-line-form"');
    const late = await staff.post(`${page}/cost-lines`).type('form').send({ _csrf: token, ...part });
    expect(late.status).toBe(409);
    expect(late.text).toContain('jego wyceny nie można już zmienić');
    expect((await staff.post(`${page}/cost-lines/${line.id}`).type('form').send({ _csrf: token, ...labour, quantity: '3', version: '1' })).status).toBe(409);
    expect((await staff.post(`${page}/cost-lines/${line.id}/removal`).type('form').send({ _csrf: token, version: '1' })).status).toBe(409);
    expect(await linesOf(env, tenant, ticket.id)).toMatchObject([{ quantity_thousandths: 1500 }]);
  });

  it('lets only staff who work the ticket price it: a caretaker whose customer’s ticket an admin gave someone else gets 403', async () => {
    const { tenant, ticket, staff, caretaker } = await pricingSetting(env);
    const colleague = await makeUser(env.db, tenant, 'caretaker');
    await env.db('tickets').where({ tenant_id: tenant.id, id: ticket.id }).update({ assignee_id: colleague.id });
    const page = staffPage(tenant, ticket.id);
    expect((await staff.get(page)).text).not.toContain('data-testid="cost-line-form"');
    const refused = await post(staff, page, `${page}/cost-lines`, labour);
    expect(refused.status).toBe(403);
    expect(await linesOf(env, tenant, ticket.id)).toEqual([]);
    // The colleague who handles it may, and so may an admin; the refused caretaker still reads the pricing.
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    expect((await addLine(admin, tenant, ticket.id, labour)).status).toBe(303);
    expect((await staff.get(page)).text).toContain('Naprawa siłownika');
    expect(caretaker.id).not.toBe(colleague.id);
  });

  it('shows the client no prices before the ticket is resolved, and refuses the report then', async () => {
    const { tenant, ticket, staff, portal } = await pricingSetting(env);
    await addLine(staff, tenant, ticket.id, labour);
    const page = (await portal.get(portalPage(tenant, ticket.id))).text;
    expect(page).not.toContain('data-testid="ticket-pricing"');
    expect(page).not.toContain('Naprawa siłownika');
    const report = await portal.get(`${portalPage(tenant, ticket.id)}/service-report`);
    expect(report.status).toBe(403);
    expect(report.text).toContain('gdy zgłoszenie zostanie rozwiązane');
  });

  it('shows the client the priced lines of a resolved ticket and gives the service report in Polish, without internal notes', async () => {
    const { tenant, ticket, staff, portal, caretaker } = await pricingSetting(env);
    for (const line of [labour, part, fee]) await addLine(staff, tenant, ticket.id, line);
    await addStaffMessage(userScope(env.db, caretaker), ticket.id, { body: 'Wymieniono siłownik, klient zadowolony.', isInternal: false });
    await addStaffMessage(userScope(env.db, caretaker), ticket.id, { body: 'Tajna notatka: klient zalega z płatnościami.', isInternal: true });
    await moveTo(env, tenant, ticket.id, 'resolved');
    const page = (await portal.get(portalPage(tenant, ticket.id))).text;
    expect(page).toContain('data-testid="ticket-pricing"');
    expect(page).toContain('452,38');
    expect(page).not.toContain('remove-cost-line');
    const report = await download(portal, `${portalPage(tenant, ticket.id)}/service-report`);
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toBe('application/pdf');
    expect(report.headers['content-disposition']).toContain(`raport-serwisowy-${ticket.number.replace('/', '-')}.pdf`);
    const text = await pdfText(report.body as Buffer);
    expect(text).toContain(`Raport serwisowy zgłoszenia ${ticket.number}`);
    expect(text).toContain('Łódzka Spółdzielnia Mieszkaniowa');
    expect(text).toContain('Grażyna Żółkiewska');
    expect(text).toContain('Wózek widłowy nie podnosi');
    expect(text).toContain('Uszczelka żółta');
    expect(text).toContain('Wymieniono siłownik, klient zadowolony.');
    expect(text).toContain('Razem 379,98 zł 72,40 zł 452,38 zł');
    expect(text).not.toContain('Tajna notatka');
  });

  it('gives staff the same report, in English for an English reader, still without internal notes', async () => {
    const { tenant, ticket, staff, caretaker } = await pricingSetting(env);
    await addLine(staff, tenant, ticket.id, { ...labour, unitPrice: '1 234,56', quantity: '1' });
    await addStaffMessage(userScope(env.db, caretaker), ticket.id, { body: 'Tajna notatka dla biura.', isInternal: true });
    const admin = await makeUser(env.db, tenant, 'admin', { locale: 'en' });
    const english = await signedInAgent(env.app, tenant, admin.login);
    const report = await download(english, `${staffPage(tenant, ticket.id)}/service-report`);
    expect(report.status).toBe(200);
    const text = await pdfText(report.body as Buffer);
    expect(text).toContain(`Service report of ticket ${ticket.number}`);
    // 1,234.56 net at 23%: 283.95 VAT (283.9488 rounded), 1,518.51 gross.
    expect(text).toContain('Total PLN 1,234.56 PLN 283.95 PLN 1,518.51');
    expect(text).not.toContain('Tajna notatka');
  });

  it('hides another customer’s ticket and its report from a client with a 404', async () => {
    const { tenant, ticket, staff } = await pricingSetting(env);
    await addLine(staff, tenant, ticket.id, labour);
    await moveTo(env, tenant, ticket.id, 'resolved');
    const stranger = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, stranger.login);
    expect((await agent.get(`${portalPage(tenant, ticket.id)}/service-report`)).status).toBe(404);
    const otherTenant = await makeTenant(env.db);
    expect(otherTenant.id).not.toBe(tenant.id);
  });
});
