import { expect, it } from 'vitest';
import { renderMail } from '../../src/lib/mail-templates.js';
import { requestCustomerChange, type CustomerData } from '../../src/models/change-request.js';
import type { Customer } from '../../src/models/customer.js';
import type { Tenant } from '../../src/models/tenant.js';
import type { User } from '../../src/models/user.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, uniqueName, userScope } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, formErrorOf, signedInAgent, type Agent } from '../support/http.js';

const current: CustomerData = { street: 'ul. Stara 1', postalCode: '00-001', city: 'Warszawa', country: 'PL', taxCountry: 'PL', taxId: '1234563218', bankAccount: null };

/** The cells of the comparison's row of a field (before, now, requested), each as the HTML inside it. */
function comparisonRow(html: string, field: string): string[] {
  const comparison = html.slice(html.indexOf('data-testid="comparison"'));
  const row = comparison.split('<tr').find((candidate) => candidate.includes(`>${field}</span></th>`)) ?? '';
  return [...row.matchAll(/<td[^>]*><span class="data-table__value">(.*?)<\/span><\/td>/g)].map((match) => match[1]!);
}

describeOnEachDatabase('change requests of customer data, the staff’s side (A13)', (env) => {
  async function customerWithData(tenant: Tenant, caretaker?: User): Promise<Customer> {
    const customer = await makeCustomer(env.db, tenant, { name: uniqueName('Alfa'), caretaker });
    await env.db('customers').where('id', customer.id).update({ street: 'ul. Stara 1', postal_code: '00-001', city: 'Warszawa', country: 'PL', tax_id: '1234563218' });
    return customer;
  }

  /** A client of the customer asks for a change, as the portal form would; returns the request id. */
  async function requestFor(tenant: Tenant, customer: Customer, changes: Partial<CustomerData>, clientOverrides: { locale?: string } = {}) {
    const client = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Anna', lastName: 'Kowalska', ...clientOverrides });
    const id = await requestCustomerChange(userScope(env.db, client), customer.id, { ...current, ...changes });
    return { id, client };
  }

  async function staffAgent(tenant: Tenant, role: 'caretaker' | 'admin', user?: User): Promise<Agent> {
    return signedInAgent(env.app, tenant, (user ?? (await makeUser(env.db, tenant, role))).login);
  }

  const requestPath = (tenant: Tenant, id: number) => `/${tenant.slug}/staff/change-requests/${id}`;

  async function decide(agent: Agent, tenant: Tenant, id: number, decision: 'approval' | 'rejection', fields: Record<string, string> = {}) {
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/staff`);
    return agent.post(`${requestPath(tenant, id)}/${decision}`).type('form').send({ _csrf: token, ...fields });
  }

  const customerRow = (customer: Customer) => env.db('customers').where('id', customer.id).first();
  const requestRow = (id: number) => env.db('customer_change_requests').where('id', id).first();
  const outboxOf = (tenant: Tenant) => env.db('outbox').where('tenant_id', tenant.id).orderBy('id');
  const auditOf = (tenant: Tenant, action: string) => env.db('audit_log').where({ tenant_id: tenant.id, action });

  it('lists pending requests with their counts: a caretaker sees their customers’ only, an admin all', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const cared = await customerWithData(tenant, caretaker);
    const other = await customerWithData(tenant);
    await requestFor(tenant, cared, { city: 'Kraków' });
    await requestFor(tenant, other, { city: 'Gdańsk' });
    const decided = await requestFor(tenant, cared, { street: 'ul. Nowa 2' });
    await env.db('customer_change_requests').where('id', decided.id).update({ status: 'rejected', decided_at: '2025-01-01 10:00:00', decision_reason: 'no' });

    const forCaretaker = await (await staffAgent(tenant, 'caretaker', caretaker)).get(`/${tenant.slug}/staff/change-requests`);
    expect(forCaretaker.status).toBe(200);
    expect(forCaretaker.text).toContain(cared.name);
    expect(forCaretaker.text).not.toContain(other.name);
    expect(forCaretaker.text).toContain('data-testid="count-pending">Oczekujące (1)<');
    expect(forCaretaker.text).toContain('data-testid="count-decided">Rozpatrzone (1)<');

    const admin = await staffAgent(tenant, 'admin');
    const forAdmin = await admin.get(`/${tenant.slug}/staff/change-requests`);
    expect(forAdmin.text).toContain(cared.name);
    expect(forAdmin.text).toContain(other.name);
    expect(forAdmin.text).toContain('Oczekujące (2)');
    expect(forAdmin.text).toContain('<span class="data-table__value">Miejscowość</span>');
    const decidedList = await admin.get(`/${tenant.slug}/staff/change-requests?status=decided`);
    expect(decidedList.text).toContain('Ulica i numer');
    expect(decidedList.text).toContain('odrzucony');
    expect(decidedList.text).not.toContain(other.name);
  });

  it('shows the values before, now and requested side by side', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await customerWithData(tenant);
    const { id } = await requestFor(tenant, customer, { street: 'ul. Nowa 2', taxId: '5260250274' });
    const page = await (await staffAgent(tenant, 'admin')).get(requestPath(tenant, id));
    expect(page.status).toBe(200);
    expect(comparisonRow(page.text, 'Ulica i numer')).toEqual(['ul. Stara 1', 'ul. Stara 1', '<strong>ul. Nowa 2</strong>']);
    expect(comparisonRow(page.text, 'NIP / numer podatkowy')).toEqual(['123-456-32-18', '123-456-32-18', '<strong>526-025-02-74</strong>']);
    expect(page.text).not.toContain('Miejscowość');
    expect(page.text).not.toContain('data-testid="changed-since"');
    expect(page.text).toContain('/approval"');
    expect(page.text).toContain('/rejection"');
  });

  it('approves: the customer gets the requested fields and a new version in the same step, the client an e-mail in their language', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Piotr', lastName: 'Opiekun' });
    const customer = await customerWithData(tenant, caretaker);
    const { id, client } = await requestFor(tenant, customer, { street: 'ul. Nowa 2', bankAccount: '61109010140000071219812874' }, { locale: 'en' });
    const before = await customerRow(customer);
    const agent = await staffAgent(tenant, 'caretaker', caretaker);

    const response = await decide(agent, tenant, id, 'approval');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(requestPath(tenant, id));
    const after = await customerRow(customer);
    expect(after).toMatchObject({ street: 'ul. Nowa 2', bank_account: '61109010140000071219812874', city: 'Warszawa', tax_id: '1234563218' });
    expect(Number(after.version)).toBe(Number(before.version) + 1);
    expect(await requestRow(id)).toMatchObject({ status: 'approved', decided_by: caretaker.id, decision_reason: null });
    expect((await requestRow(id)).decided_at).not.toBeNull();
    const page = await agent.get(requestPath(tenant, id));
    expect(page.text).toContain('Wniosek został zatwierdzony, a zmiany wprowadzone do kartoteki.');
    expect(page.text).not.toContain('/approval"');

    const audit = await auditOf(tenant, 'customer.change_approved');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: caretaker.id, subject_id: customer.id });
    const mail = await outboxOf(tenant);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ recipient: client.email, locale: 'en', template: 'change-request-approved' });
    expect(Number(mail[0].customer_id)).toBe(customer.id);
    const rendered = renderMail(env.deps.i18n, { to: mail[0].recipient, locale: mail[0].locale, template: mail[0].template, data: JSON.parse(mail[0].data) });
    expect(rendered.subject).toBe(`Tenant ${tenant.slug}: change request approved`);
    expect(rendered.text).toContain(`Hello Anna,\n\nThe request to change the details of ${customer.name} has been approved`);
    expect(rendered.text).toContain(`${env.config.baseUrl}/${tenant.slug}/portal/company`);
  });

  it('rejects only with a reason of at most 500 characters, keeps the record, and tells the client why, in the portal and by e-mail', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await customerWithData(tenant);
    const { id, client } = await requestFor(tenant, customer, { city: 'Kraków' });
    const before = await customerRow(customer);
    const admin = await staffAgent(tenant, 'admin');

    for (const [reason, message] of [['   ', 'Podaj powód odrzucenia: klient go zobaczy.'], ['r'.repeat(501), 'To pole może mieć najwyżej 500 znaków.']]) {
      const refused = await decide(admin, tenant, id, 'rejection', { reason: reason! });
      expect(refused.status).toBe(422);
      expect(fieldErrorOf(refused.text, 'reason')).toBe(message);
      expect((await requestRow(id)).status).toBe('pending');
    }
    const response = await decide(admin, tenant, id, 'rejection', { reason: 'Adres nie zgadza się z KRS.' });
    expect(response.status).toBe(303);
    expect(await customerRow(customer)).toEqual(before);
    expect(await requestRow(id)).toMatchObject({ status: 'rejected', decision_reason: 'Adres nie zgadza się z KRS.' });
    expect(await auditOf(tenant, 'customer.change_rejected')).toHaveLength(1);
    const [mail] = await outboxOf(tenant);
    expect(mail).toMatchObject({ recipient: client.email, locale: 'pl', template: 'change-request-rejected' });
    const rendered = renderMail(env.deps.i18n, { to: mail.recipient, locale: mail.locale, template: mail.template, data: JSON.parse(mail.data) });
    expect(rendered.subject).toBe(`Tenant ${tenant.slug}: wniosek o zmianę danych odrzucony`);
    expect(rendered.text).toContain('Uzasadnienie: Adres nie zgadza się z KRS.');

    const portal = await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal/company`);
    const history = portal.text.slice(portal.text.indexOf('data-testid="decided-requests"'));
    expect(history).toContain('odrzucony');
    expect(history).toContain('Uzasadnienie: Adres nie zgadza się z KRS.');
    expect(history).toContain('<td>Warszawa</td><td>Kraków</td>');
    expect(portal.text).toContain('Żaden wniosek nie czeka na zatwierdzenie.');
  });

  it('warns when the customer changed since the request, and applies only the requested fields', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await customerWithData(tenant);
    const { id } = await requestFor(tenant, customer, { street: 'ul. Nowa 2' });
    // An admin edits the record meanwhile (another field, and the very field requested).
    await env.db('customers').where('id', customer.id).update({ city: 'Radom', street: 'ul. Admina 3', version: env.db.raw('version + 1') });
    const admin = await staffAgent(tenant, 'admin');
    const page = await admin.get(requestPath(tenant, id));
    expect(page.text).toContain('data-testid="changed-since">Dane klienta zmieniły się od złożenia wniosku (Ulica i numer, Miejscowość).');
    expect(comparisonRow(page.text, 'Ulica i numer')).toEqual(['ul. Stara 1', 'ul. Admina 3', '<strong>ul. Nowa 2</strong>']);
    expect((await decide(admin, tenant, id, 'approval')).status).toBe(303);
    expect(await customerRow(customer)).toMatchObject({ street: 'ul. Nowa 2', city: 'Radom', postal_code: '00-001', version: 3 });
  });

  it('decides once: a second approval or a rejection after it gets 409 “already decided” and changes nothing', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await customerWithData(tenant);
    const { id } = await requestFor(tenant, customer, { street: 'ul. Nowa 2' });
    const admin = await staffAgent(tenant, 'admin');
    expect((await decide(admin, tenant, id, 'approval')).status).toBe(303);
    const decidedAt = (await requestRow(id)).decided_at;

    const again = await decide(admin, tenant, id, 'approval');
    expect(again.status).toBe(409);
    expect(formErrorOf(again.text)).toBe('Ten wniosek został już rozpatrzony: druga decyzja niczego nie zmieniła.');
    expect(again.text).toContain('<span class="status-badge status-badge--success" data-testid="request-status">zatwierdzony<');
    const rejection = await decide(admin, tenant, id, 'rejection', { reason: 'Too late' });
    expect(rejection.status).toBe(409);
    expect(await requestRow(id)).toMatchObject({ status: 'approved', decision_reason: null, decided_at: decidedAt });
    expect(Number((await customerRow(customer)).version)).toBe(2);
    expect(await outboxOf(tenant)).toHaveLength(1);
    expect(await auditOf(tenant, 'customer.change_approved')).toHaveLength(1);
    expect(await auditOf(tenant, 'customer.change_rejected')).toHaveLength(0);
  });

  it('lets only one of two staff deciding at the same moment win', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await customerWithData(tenant, caretaker);
    const { id } = await requestFor(tenant, customer, { street: 'ul. Nowa 2' });
    const [first, second] = [await staffAgent(tenant, 'admin'), await staffAgent(tenant, 'caretaker', caretaker)];
    const [firstToken, secondToken] = [await csrfTokenFrom(first, `/${tenant.slug}/staff`), await csrfTokenFrom(second, `/${tenant.slug}/staff`)];
    const responses = await Promise.all([
      first.post(`${requestPath(tenant, id)}/approval`).type('form').send({ _csrf: firstToken }),
      second.post(`${requestPath(tenant, id)}/rejection`).type('form').send({ _csrf: secondToken, reason: 'Nie' }),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([303, 409]);
    const decided = await requestRow(id);
    const customerAfter = await customerRow(customer);
    expect(Number(customerAfter.version)).toBe(decided.status === 'approved' ? 2 : 1);
    expect(customerAfter.street).toBe(decided.status === 'approved' ? 'ul. Nowa 2' : 'ul. Stara 1');
    expect(await outboxOf(tenant)).toHaveLength(1);
    const decisions = [...(await auditOf(tenant, 'customer.change_approved')), ...(await auditOf(tenant, 'customer.change_rejected'))];
    expect(decisions).toHaveLength(1);
  });

  it('answers a caretaker 404 on the requests of a customer who is not theirs, as if they did not exist, and changes nothing', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const someoneElse = await makeUser(env.db, tenant, 'caretaker');
    const customer = await customerWithData(tenant, someoneElse);
    const { id } = await requestFor(tenant, customer, { street: 'ul. Nowa 2' });
    const agent = await staffAgent(tenant, 'caretaker', caretaker);
    expect((await agent.get(requestPath(tenant, id))).status).toBe(404);
    expect((await decide(agent, tenant, id, 'approval')).status).toBe(404);
    expect((await decide(agent, tenant, id, 'rejection', { reason: 'Nie' })).status).toBe(404);
    expect((await requestRow(id)).status).toBe('pending');
    expect((await customerRow(customer)).street).toBe('ul. Stara 1');
    expect(await outboxOf(tenant)).toHaveLength(0);
  });

  it('answers 404 for another tenant’s request and for an id that is no number, and changes nothing', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const customer = await customerWithData(other);
    const { id } = await requestFor(other, customer, { street: 'ul. Nowa 2' });
    const superadmin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    expect((await superadmin.get(requestPath(tenant, id))).status).toBe(404);
    expect((await decide(superadmin, tenant, id, 'approval')).status).toBe(404);
    expect((await decide(superadmin, tenant, id, 'rejection', { reason: 'Nie' })).status).toBe(404);
    expect((await superadmin.get(`/${tenant.slug}/staff/change-requests/abc`)).status).toBe(404);
    expect((await requestRow(id)).status).toBe('pending');
    expect((await customerRow(customer)).street).toBe('ul. Stara 1');
  });

  it('shows staff the customer’s other requests as history', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await customerWithData(tenant);
    const first = await requestFor(tenant, customer, { city: 'Kraków' });
    const admin = await staffAgent(tenant, 'admin');
    await decide(admin, tenant, first.id, 'rejection', { reason: 'Błędne miasto' });
    const { id } = await requestFor(tenant, customer, { city: 'Kielce' });
    const page = await admin.get(requestPath(tenant, id));
    const history = page.text.slice(page.text.indexOf('data-testid="history"'));
    expect(history).toContain('Miejscowość: Warszawa → Kraków');
    expect(history).toContain('Błędne miasto');
    expect(history).toContain('odrzucony');
  });
});
