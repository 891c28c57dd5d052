import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { customerMatchesAtMost, customerOfReference, customerPicker, listedCustomersAtMost } from '../../src/models/customer-choices.js';
import type { TestEnvironment } from '../support/environment.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, userScope } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent } from '../support/http.js';
import { ingest, mailFixture } from '../support/mail-intake.js';
import { toDatabaseTime } from '../../src/lib/time.js';
import { insertCustomers, insertInBatches, insertLedgerEntries, makePageWorld } from '../support/page-data.js';

/**
 * A provider past the picker's list: the page world's caretaker with "Alfa Serwis" and 200 customers
 * "Beta Firma 000000…199" (numbers Beta-000000…, tax ids 1000000004 + 7n); a second caretaker with two
 * customers of their own; an inactive customer; and another tenant's customer of the same number.
 */
async function bigProvider(env: TestEnvironment) {
  const world = await makePageWorld(env.db);
  await insertCustomers(env.db, world, listedCustomersAtMost, 'Beta');
  const otherCaretaker = await makeUser(env.db, world.tenant, 'caretaker');
  const gamma = await makeCustomer(env.db, world.tenant, { name: 'Gamma Dom', caretaker: otherCaretaker });
  await makeCustomer(env.db, world.tenant, { name: 'Gamma Ogród', caretaker: otherCaretaker });
  const inactive = await makeCustomer(env.db, world.tenant, { name: 'Beta Firma zamknięta', caretaker: world.caretaker });
  await env.db('customers').where({ tenant_id: world.tenant.id, id: inactive.id }).update({ is_active: false });
  const elsewhere = await makeTenant(env.db);
  const stranger = await makeCustomer(env.db, elsewhere, { name: 'Beta Firma obca' });
  await env.db('customers').where({ tenant_id: elsewhere.id, id: stranger.id }).update({ customer_number: 'Beta-000042', tax_id: '5260250995' });
  const beta = async (index: number) => {
    const row = await env.db('customers').where({ tenant_id: world.tenant.id, customer_number: `Beta-${String(index).padStart(6, '0')}` }).first();
    return { id: Number(row.id), name: String(row.name), taxId: String(row.tax_id) };
  };
  return { world, otherCaretaker, gamma, inactive, stranger, beta };
}

/** A client account for each of the 200 Beta customers (batched: the verbs would hash 200 passwords). */
async function giveBetaAccounts(env: TestEnvironment, world: Awaited<ReturnType<typeof makePageWorld>>): Promise<void> {
  const now = toDatabaseTime(new Date());
  const customers = await env.db('customers').where({ tenant_id: world.tenant.id }).where('customer_number', 'like', 'Beta-%').select('id');
  await insertInBatches(env.db, 'users', customers.map((customer: { id: number }, index: number) => ({ tenant_id: world.tenant.id, login: `beta-client-${world.tenant.id}-${index}`, email: null, first_name: 'Jan', last_name: `Beta ${index}`, role: 'client', customer_id: customer.id, password_hash: null, is_active: true, created_at: now, updated_at: now })));
}

describeOnEachDatabase('choosing one customer among many (forms and filters at scale)', (env) => {
  it('lists every customer the actor sees while they are few, and turns to a search past that', async () => {
    const world = await makePageWorld(env.db);
    const few = await customerPicker(userScope(env.db, world.admin), { isActiveOnly: true });
    expect(few).toEqual({ kind: 'list', customers: [expect.objectContaining({ id: world.customer.id, name: 'Alfa Serwis' })] });
    await insertCustomers(env.db, world, listedCustomersAtMost - 1, 'Beta');
    expect((await customerPicker(userScope(env.db, world.admin), { isActiveOnly: true })).kind).toBe('list');
    await insertCustomers(env.db, world, 1, 'Delta');
    const many = await customerPicker(userScope(env.db, world.admin), { isActiveOnly: true });
    expect(many).toEqual({ kind: 'search', search: '', chosen: null, matches: [], isCapped: false });
  });

  it('finds customers by the start of the name, the number or the tax id, in name order, at most twenty', async () => {
    const { world, beta, inactive } = await bigProvider(env);
    const admin = userScope(env.db, world.admin);
    const byName = await customerPicker(admin, { isActiveOnly: true, search: '  beta firma 00001 ' });
    expect(byName.kind === 'search' && byName.matches.map((match) => match.name)).toEqual(Array.from({ length: 10 }, (_, index) => `Beta Firma 0000${10 + index}`));
    expect(byName).toMatchObject({ search: 'beta firma 00001', isCapped: false, chosen: null });
    const wide = await customerPicker(admin, { isActiveOnly: true, search: 'Beta' });
    expect(wide).toMatchObject({ isCapped: true });
    expect(wide.kind === 'search' && wide.matches).toHaveLength(customerMatchesAtMost);
    const fortySecond = await beta(42);
    const byNumber = await customerPicker(admin, { isActiveOnly: true, search: 'Beta-000042' });
    expect(byNumber).toMatchObject({ matches: [{ id: fortySecond.id, name: 'Beta Firma 000042', customerNumber: 'Beta-000042', taxId: fortySecond.taxId, city: 'Kraków' }] });
    const byTaxId = await customerPicker(admin, { isActiveOnly: true, search: fortySecond.taxId });
    expect(byTaxId.kind === 'search' && byTaxId.matches.map((match) => match.id)).toEqual([fortySecond.id]);
    // Entering something for a customer offers active ones only; a filter finds the inactive one too.
    const closed = await customerPicker(admin, { isActiveOnly: true, search: 'Beta Firma z' });
    expect(closed).toMatchObject({ matches: [] });
    const closedInFilter = await customerPicker(admin, { isActiveOnly: false, search: 'Beta Firma z', chosenId: inactive.id });
    expect(closedInFilter).toMatchObject({ matches: [{ id: inactive.id }], chosen: { id: inactive.id, name: 'Beta Firma zamknięta' } });
    expect(await customerPicker(admin, { isActiveOnly: true, chosenId: inactive.id })).toMatchObject({ chosen: null });
  });

  it('never offers, finds or takes as chosen a customer out of the actor’s reach', async () => {
    const { world, otherCaretaker, gamma, stranger } = await bigProvider(env);
    const caretaker = userScope(env.db, world.caretaker);
    expect(await customerPicker(caretaker, { isActiveOnly: false, search: 'Gamma', chosenId: gamma.id })).toMatchObject({ kind: 'search', matches: [], chosen: null });
    expect(await customerPicker(userScope(env.db, world.admin), { isActiveOnly: false, chosenId: stranger.id, search: 'Beta Firma o' })).toMatchObject({ matches: [], chosen: null });
    // The other caretaker has two customers: a list of just those.
    const own = await customerPicker(userScope(env.db, otherCaretaker), { isActiveOnly: true });
    expect(own.kind === 'list' && own.customers.map((customer) => customer.name)).toEqual(['Gamma Dom', 'Gamma Ogród']);
    // A client sees only its own customer.
    expect(await customerPicker(userScope(env.db, world.client), { isActiveOnly: false })).toEqual({ kind: 'list', customers: [expect.objectContaining({ id: world.customer.id })] });
  });

  it('takes a customer by its exact number or tax id (dashes allowed), and says when none or several have it', async () => {
    const { world, beta, gamma, stranger } = await bigProvider(env);
    const admin = userScope(env.db, world.admin);
    const seventh = await beta(7);
    expect(await customerOfReference(admin, ' Beta-000007 ', { isActiveOnly: true })).toMatchObject({ id: seventh.id });
    const dashed = `${seventh.taxId.slice(0, 3)}-${seventh.taxId.slice(3, 6)}-${seventh.taxId.slice(6, 8)}-${seventh.taxId.slice(8)}`;
    expect(await customerOfReference(admin, dashed, { isActiveOnly: true })).toMatchObject({ id: seventh.id });
    expect(await customerOfReference(admin, `PL ${dashed}`, { isActiveOnly: true })).toMatchObject({ id: seventh.id });
    expect(await customerOfReference(admin, 'beta-000007', { isActiveOnly: true })).toMatchObject({ id: seventh.id });
    expect(await customerOfReference(admin, 'Beta-00000', { isActiveOnly: true })).toBe('none');
    // Another tenant's tax id is nobody's here.
    expect(stranger.id).toBeGreaterThan(0);
    expect(await customerOfReference(admin, '5260250995', { isActiveOnly: true })).toBe('none');
    await env.db('customers').where({ tenant_id: world.tenant.id, id: gamma.id }).update({ customer_number: seventh.taxId });
    expect(await customerOfReference(admin, seventh.taxId, { isActiveOnly: true })).toBe('several');
    expect(await customerOfReference(userScope(env.db, world.caretaker), seventh.taxId, { isActiveOnly: true })).toMatchObject({ id: seventh.id });
  });

  it('filters the payments list by a customer found by a search, the page light however many customers there are', async () => {
    const { world, beta } = await bigProvider(env);
    await insertLedgerEntries(env.db, world, 3);
    const admin = await signedInAgent(env.app, world.tenant, world.admin.login);
    const slug = world.tenant.slug;
    const page = await admin.get(`/${slug}/admin/payments?status=approved`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Beta Firma 000100');
    expect(page.text).toContain('data-testid="filter-customer-search"');
    const searched = await admin.get(`/${slug}/admin/payments?status=approved&customerSearch=${encodeURIComponent('Beta Firma 00001')}`);
    expect(searched.text).toContain('Pasuje 10 klientów: wybierz jednego.');
    const twelfth = await beta(12);
    expect(searched.text).toContain(`href="/${slug}/admin/payments?status=approved&amp;customer=${twelfth.id}">Beta Firma 000012</a>`);
    const none = await admin.get(`/${slug}/admin/payments?customerSearch=Zeta`);
    expect(none.text).toContain('Żaden klient nie pasuje do „Zeta”.');
    expect(none.text).toContain('value="Zeta"');
    // One match is taken at once; the list is then that customer's.
    const alone = await admin.get(`/${slug}/admin/payments?status=approved&customerSearch=Alfa`);
    expect(alone.status).toBe(302);
    expect(alone.headers.location).toBe(`/${slug}/admin/payments?status=approved&customer=${world.customer.id}`);
    const chosen = await admin.get(alone.headers.location!);
    expect(chosen.text).toContain('<strong>Alfa Serwis</strong>');
    expect(chosen.text).toContain(`<input type="hidden" name="customer" value="${world.customer.id}">`);
    expect(chosen.text).toContain(`href="/${slug}/admin/payments?status=approved" data-testid="filter-customer-change">Wybierz innego klienta</a>`);
    expect(chosen.text).toContain('Liczba znalezionych zapisów: 3');
    expect((await admin.get(`/${slug}/admin/payments?status=approved&customer=${twelfth.id}`)).text).toContain('Liczba znalezionych zapisów: 0');
    const english = await signedInAgent(env.app, world.tenant, (await makeUser(env.db, world.tenant, 'admin', { locale: 'en' })).login);
    const englishPage = await english.get(`/${slug}/admin/payments?customerSearch=Beta`);
    expect(englishPage.text).toContain('More than 20 customers match; the first 20 are shown.');
  });

  it('enters a payment and an invoice for a customer found above the form; without one, the form comes back (422) with its values', async () => {
    const { world, beta } = await bigProvider(env);
    const admin = await signedInAgent(env.app, world.tenant, world.admin.login);
    const slug = world.tenant.slug;
    const blank = await admin.get(`/${slug}/admin/payments/new`);
    expect(blank.text).toContain('data-testid="choose-customer-search"');
    expect(blank.text).toContain('Najpierw znajdź i wybierz klienta powyżej.');
    expect(blank.text).not.toContain('name="customerId"');
    const thirtieth = await beta(30);
    const found = await admin.get(`/${slug}/admin/payments/new?customerSearch=Beta-000030`);
    expect(found.headers.location).toBe(`/${slug}/admin/payments/new?customer=${thirtieth.id}`);
    const form = await admin.get(found.headers.location!);
    expect(form.text).toContain(`<input type="hidden" name="customerId" value="${thirtieth.id}">`);
    expect(form.text).toContain('Beta Firma 000030');
    const token = await csrfTokenFrom(admin, found.headers.location!);
    const payment = { _csrf: token, paidOn: '2026-11-30', method: 'transfer', amount: '150,00', reference: 'Wpłata', paysEntryId: '', submissionKey: randomUUID() };
    const withoutCustomer = await admin.post(`/${slug}/admin/payments`).type('form').send({ ...payment, customerId: '' });
    expect(withoutCustomer.status).toBe(422);
    expect(withoutCustomer.text).toContain('Najpierw znajdź i wybierz klienta powyżej.');
    expect(withoutCustomer.text).toContain('Wybierz klienta.');
    expect(withoutCustomer.text).toContain('value="150,00"');
    // What was typed goes through the search above the form and comes back with the customer found.
    expect(withoutCustomer.text).toContain('<input type="hidden" name="amount" value="150,00">');
    const carried = await admin.get(`/${slug}/admin/payments/new?customerSearch=Beta-000030&amount=${encodeURIComponent('150,00')}&reference=Wp%C5%82ata&paidOn=2026-11-30`);
    expect(carried.headers.location).toBe(`/${slug}/admin/payments/new?paidOn=2026-11-30&amount=150%2C00&reference=Wp%C5%82ata&customer=${thirtieth.id}`);
    const carriedBack = await admin.get(carried.headers.location!);
    expect(carriedBack.text).toContain('value="150,00"');
    expect(carriedBack.text).toContain('value="Wpłata"');
    expect(carriedBack.text).toContain('value="2026-11-30"');
    const badAmount = await admin.post(`/${slug}/admin/payments`).type('form').send({ ...payment, customerId: String(thirtieth.id), amount: 'abc' });
    expect(badAmount.status).toBe(422);
    expect(fieldErrorOf(badAmount.text, 'amount')).toBeTruthy();
    expect(badAmount.text).toContain(`<input type="hidden" name="customerId" value="${thirtieth.id}">`);
    expect(badAmount.text).toContain('<strong>Beta Firma 000030</strong>');
    expect((await admin.post(`/${slug}/admin/payments`).type('form').send({ ...payment, customerId: String(thirtieth.id) })).status).toBe(303);
    expect(await env.db('ledger_entries').where({ tenant_id: world.tenant.id, customer_id: thirtieth.id, kind: 'payment', amount: 15_000 })).toHaveLength(1);

    const invoiceSearch = await admin.get(`/${slug}/admin/invoices/new?customerSearch=${encodeURIComponent('Beta Firma 00003')}`);
    expect(invoiceSearch.status).toBe(200);
    expect(invoiceSearch.text).toContain(`href="/${slug}/admin/invoices/new?customer=${thirtieth.id}">Beta Firma 000030</a>`);
    // The invoice's typed values go through its search too.
    const invoiceCarried = await admin.get(`/${slug}/admin/invoices/new?customerSearch=${encodeURIComponent('Beta Firma 00003')}&documentNumber=FV%2F9&amount=${encodeURIComponent('99,00')}`);
    expect(invoiceCarried.text).toContain('<input type="hidden" name="documentNumber" value="FV/9">');
    expect(invoiceCarried.text).toContain(`href="/${slug}/admin/invoices/new?documentNumber=FV%2F9&amp;amount=99%2C00&amp;customer=${thirtieth.id}">Beta Firma 000030</a>`);
    expect((await admin.get(`/${slug}/admin/invoices/new?documentNumber=FV%2F9&customer=${thirtieth.id}`)).text).toContain('value="FV/9"');
    const invoiceForm = await admin.get(`/${slug}/admin/invoices/new?customer=${thirtieth.id}`);
    expect(invoiceForm.text).toContain(`<input type="hidden" name="customerId" value="${thirtieth.id}">`);
    expect(invoiceForm.text).toContain(`href="/${slug}/admin/invoices/new" data-testid="invoice-customer-change">Wybierz innego klienta</a>`);
    const invoiceToken = await csrfTokenFrom(admin, `/${slug}/admin/invoices/new?customer=${thirtieth.id}`);
    const invoice = { _csrf: invoiceToken, documentNumber: 'FV/30/2026', issueDate: '2026-11-02', dueDate: '', amount: '99,00', description: '', submissionKey: randomUUID() };
    const invoiceWithout = await admin.post(`/${slug}/admin/invoices`).type('form').send({ ...invoice, customerId: '' });
    expect(invoiceWithout.status).toBe(422);
    expect(invoiceWithout.text).toContain('value="FV/30/2026"');
    expect(invoiceWithout.text).toContain('data-testid="choose-customer-search"');
    expect((await admin.post(`/${slug}/admin/invoices`).type('form').send({ ...invoice, customerId: String(thirtieth.id) })).status).toBe(303);
  });

  it('filters a caretaker’s tasks by one of their customers found by a search, never another caretaker’s', async () => {
    const { world } = await bigProvider(env);
    const caretaker = await signedInAgent(env.app, world.tenant, world.caretaker.login);
    const slug = world.tenant.slug;
    const found = await caretaker.get(`/${slug}/staff/tasks?customerSearch=Alfa&due=overdue`);
    expect(found.status).toBe(302);
    expect(found.headers.location).toBe(`/${slug}/staff/tasks?customer=${world.customer.id}&due=overdue`);
    const tasks = await caretaker.get(found.headers.location!);
    expect(tasks.text).toContain('<strong>Alfa Serwis</strong>');
    expect(tasks.text).toContain(`href="/${slug}/staff/tasks?due=overdue" data-testid="filter-customer-change">Wybierz innego klienta</a>`);
    const gamma = await caretaker.get(`/${slug}/staff/tasks?customerSearch=Gamma`);
    expect(gamma.status).toBe(200);
    expect(gamma.text).toContain('Żaden klient nie pasuje do „Gamma”.');
  });

  it('files an unknown sender’s message for the customer whose number or tax id staff type, and refuses what names none or several (422)', async () => {
    const { world, beta, gamma } = await bigProvider(env);
    const slug = world.tenant.slug;
    const unknown = await ingest(env.db, world.tenant, mailFixture('unknown-sender.eml'));
    const caretaker = await signedInAgent(env.app, world.tenant, world.caretaker.login);
    const queue = await caretaker.get(`/${slug}/staff/queue`);
    expect(queue.text).toContain('Numer klienta lub NIP');
    expect(queue.text).not.toContain('Beta Firma 000100');
    const token = await csrfTokenFrom(caretaker, `/${slug}/staff/queue`);
    const file = (reference: string) => caretaker.post(`/${slug}/staff/queue/mail/${unknown.intakeId}/filing`).type('form').send({ _csrf: token, customerReference: reference });
    const empty = await file(' ');
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Wpisz numer klienta lub NIP klienta, od którego jest wiadomość.');
    // Another caretaker's customer is not one this caretaker can choose: the same answer as nobody's number.
    await env.db('customers').where({ tenant_id: world.tenant.id, id: gamma.id }).update({ customer_number: 'G-1' });
    const others = await file('G-1');
    expect(others.status).toBe(422);
    expect(others.text).toContain('Żaden z klientów, których możesz wybrać, nie ma takiego numeru ani NIP.');
    expect(others.text).toContain('value="G-1"');
    const ninth = await beta(9);
    const fifth = await beta(5);
    await env.db('customers').where({ tenant_id: world.tenant.id, id: fifth.id }).update({ customer_number: ninth.taxId });
    const several = await file(ninth.taxId);
    expect(several.status).toBe(422);
    expect(several.text).toContain('Ten NIP lub numer ma więcej niż jeden klient: wpisz numer klienta.');
    expect(await env.db('tickets').where({ tenant_id: world.tenant.id, source: 'email' })).toHaveLength(0);
    const filed = await file('Beta-000009');
    expect(filed.status).toBe(303);
    const ticket = await env.db('tickets').where({ tenant_id: world.tenant.id, source: 'email' }).first();
    expect(ticket).toMatchObject({ customer_id: ninth.id, filed_by: world.caretaker.id });

    // The admins' mail page takes the same field.
    const second = await ingest(env.db, world.tenant, Buffer.from(mailFixture('unknown-sender.eml').toString('latin1').replace('unknown-0001@', 'unknown-0002@'), 'latin1'));
    const admin = await signedInAgent(env.app, world.tenant, world.admin.login);
    const adminToken = await csrfTokenFrom(admin, `/${slug}/admin/mail-intake`);
    const byAdmin = await admin.post(`/${slug}/admin/mail-intake/${second.intakeId}/filing`).type('form').send({ _csrf: adminToken, customerReference: 'G-1' });
    expect(byAdmin.status).toBe(303);
    expect(await env.db('tickets').where({ tenant_id: world.tenant.id, source: 'email', customer_id: gamma.id })).toHaveLength(1);
  });

  it('filters the accounts panel by a customer with portal accounts: a list while few have them, a search past that', async () => {
    const { world, beta } = await bigProvider(env);
    const slug = world.tenant.slug;
    const admin = await signedInAgent(env.app, world.tenant, world.admin.login);
    // Only Alfa has a client account: the filter lists it alone, not the 200 customers without one.
    const few = await admin.get(`/${slug}/admin/accounts`);
    expect(few.text).toMatch(new RegExp(`<option value="${world.customer.id}"[^>]*>Alfa Serwis</option>`));
    expect(few.text).not.toContain('Beta Firma 000001');
    await giveBetaAccounts(env, world);
    const many = await admin.get(`/${slug}/admin/accounts?customerSearch=${encodeURIComponent('Beta Firma 00002')}`);
    expect(many.status).toBe(200);
    expect(many.text).not.toContain('>Alfa Serwis</option>');
    expect(many.text).toContain('data-testid="filter-customer-search"');
    const twentieth = await beta(20);
    expect(many.text).toContain(`href="/${slug}/admin/accounts?sort=name&amp;direction=asc&amp;customer=${twentieth.id}">Beta Firma 000020</a>`);
    const chosen = await admin.get(`/${slug}/admin/accounts?customer=${twentieth.id}`);
    expect(chosen.text).toContain('<strong>Beta Firma 000020</strong>');
    expect(chosen.text).toContain('Beta 20');
    expect(chosen.text).not.toContain('Beta 21<');
  });

  it('addresses an announcement to a customer named by its number or tax id, among those with portal accounts; none or several is 422 with the form back', async () => {
    const { world, beta, gamma } = await bigProvider(env);
    await giveBetaAccounts(env, world);
    const slug = world.tenant.slug;
    const admin = await signedInAgent(env.app, world.tenant, world.admin.login);
    const form = await admin.get(`/${slug}/admin/announcements/new`);
    expect(form.text).toContain('Klient: numer lub NIP');
    expect(form.text).not.toContain('Beta Firma 000100');
    const token = await csrfTokenFrom(admin, `/${slug}/admin/announcements/new`);
    const publishAt = new Date(Date.now() + 60_000).toISOString().slice(0, 16);
    const send = (fields: Record<string, string>) => admin.post(`/${slug}/admin/announcements`).type('form').send({ _csrf: token, title: 'Przerwa w dostawie', body: 'Jutro od 8:00.', audience: 'customer', publishAt, ...fields });
    const nobody = await send({ customerReference: 'Beta-999999' });
    expect(nobody.status).toBe(422);
    expect(fieldErrorOf(nobody.text, 'customerId')).toBe('Żaden klient z kontami w portalu nie ma takiego numeru ani NIP.');
    expect(nobody.text).toContain('value="Przerwa w dostawie"');
    expect(nobody.text).toContain('value="Beta-999999"');
    // Gamma has no portal account: no one would read it.
    await env.db('customers').where({ tenant_id: world.tenant.id, id: gamma.id }).update({ customer_number: 'G-7' });
    expect((await send({ customerReference: 'G-7' })).status).toBe(422);
    const fortieth = await beta(40);
    const sent = await send({ customerReference: fortieth.taxId });
    expect(sent.status).toBe(303);
    const announcement = await env.db('announcements').where({ tenant_id: world.tenant.id, title: 'Przerwa w dostawie' }).first();
    expect(announcement).toMatchObject({ audience: 'customer', customer_id: fortieth.id });
    const edit = await admin.get(`/${slug}/admin/announcements/${announcement.id}/edit`);
    expect(edit.text).toContain(`<input type="hidden" name="customerId" value="${fortieth.id}">`);
    expect(edit.text).toContain('<strong>Beta Firma 000040</strong>');
    expect(edit.text).toContain('Inny klient: numer lub NIP');
    // Another audience ignores what was typed in the customer's field.
    expect((await send({ audience: 'all', customerReference: 'nonsense', title: 'Do wszystkich' })).status).toBe(303);
  });
});
