import { expect, it } from 'vitest';
import type { Customer } from '../../src/models/customer.js';
import type { Tenant } from '../../src/models/tenant.js';
import type { User } from '../../src/models/user.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, formErrorOf, signedInAgent, type Agent } from '../support/http.js';

/** The customer data as the form shows it (the NIP and the account in their groups). */
const asShown = {
  street: 'ul. Stara 1',
  postalCode: '00-001',
  city: 'Warszawa',
  country: 'PL',
  taxId: '123-456-32-18',
  bankAccount: '61 1090 1014 0000 0712 1981 2874',
};

describeOnEachDatabase('change requests of customer data, the client’s side (A13)', (env) => {
  async function customerWithData(tenant: Tenant, overrides: Record<string, unknown> = {}): Promise<Customer> {
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.' });
    await env.db('customers').where('id', customer.id).update({
      street: 'ul. Stara 1', postal_code: '00-001', city: 'Warszawa', country: 'PL', tax_country: 'PL', tax_id: '1234563218', bank_account: '61109010140000071219812874', ...overrides,
    });
    return customer;
  }

  async function clientOf(tenant: Tenant, customer: Customer): Promise<{ client: User; agent: Agent }> {
    const client = await makeUser(env.db, tenant, 'client', { customer });
    return { client, agent: await signedInAgent(env.app, tenant, client.login) };
  }

  async function requestChange(agent: Agent, tenant: Tenant, fields: Record<string, string>) {
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/portal/company/change-requests/new`);
    return agent.post(`/${tenant.slug}/portal/company/change-requests`).type('form').send({ _csrf: token, ...fields });
  }

  const customerRow = (customer: Customer) => env.db('customers').where('id', customer.id).first();
  const requestsOf = (customer: Customer) => env.db('customer_change_requests').where('customer_id', customer.id);

  it('shows the client their company’s data, with the NIP and the account in their usual groups', async () => {
    const tenant = await makeTenant(env.db);
    const { agent } = await clientOf(tenant, await customerWithData(tenant));
    const page = await agent.get(`/${tenant.slug}/portal/company`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Dane firmy Alfa sp. z o.o.');
    for (const value of Object.values(asShown)) expect(page.text).toContain(`<dd>${value}</dd>`);
    expect(page.text).toContain('Żaden wniosek nie czeka na zatwierdzenie.');
    const form = await agent.get(`/${tenant.slug}/portal/company/change-requests/new`);
    expect(form.status).toBe(200);
    for (const [field, value] of Object.entries(asShown)) expect(form.text).toContain(`name="${field}" type="text" value="${value}"`);
  });

  it('keeps only the changed fields, leaves the record as it was, shows the change as pending and records it', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await customerWithData(tenant);
    const { client, agent } = await clientOf(tenant, customer);
    const before = await customerRow(customer);
    const response = await requestChange(agent, tenant, { ...asShown, street: 'ul. Nowa 2', taxId: '1234563218', bankAccount: 'PL27 1140 2004 0000 3002 0135 5387' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/portal/company`);

    const [stored] = await requestsOf(customer);
    expect(JSON.parse(stored.changes)).toEqual({ street: 'ul. Nowa 2', bankAccount: '27114020040000300201355387' });
    expect(JSON.parse(stored.previous)).toMatchObject({ street: 'ul. Stara 1', taxId: '1234563218', bankAccount: '61109010140000071219812874' });
    expect(stored).toMatchObject({ status: 'pending', requested_by: client.id, tenant_id: tenant.id });
    expect(await customerRow(customer)).toEqual(before);

    const page = await agent.get(`/${tenant.slug}/portal/company`);
    expect(page.text).toContain('Wniosek został wysłany. Zmiany czekają na zatwierdzenie.');
    const pending = page.text.slice(page.text.indexOf('data-testid="pending-requests"'), page.text.indexOf('data-testid="decided-requests"'));
    expect(pending).toContain('oczekuje na decyzję');
    expect(pending).toContain('<td>ul. Stara 1</td><td>ul. Nowa 2</td>');
    expect(pending).toContain('<td>61 1090 1014 0000 0712 1981 2874</td><td>27 1140 2004 0000 3002 0135 5387</td>');
    expect(pending).not.toContain('Kod pocztowy');
    const audit = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'customer.change_requested', subject_id: customer.id });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].details)).toEqual({ requestId: stored.id, fields: ['street', 'bankAccount'] });
  });

  it('keeps one request when the same change is sent twice, even at the same moment', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await customerWithData(tenant);
    const { agent } = await clientOf(tenant, customer);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/portal/company/change-requests/new`);
    const send = () => agent.post(`/${tenant.slug}/portal/company/change-requests`).type('form').send({ _csrf: token, ...asShown, street: 'ul. Podwójna 2' });
    const responses = await Promise.all([send(), send()]);
    expect(responses.map((response) => response.status)).toEqual([303, 303]);
    expect((await send()).status).toBe(303);
    expect(await requestsOf(customer)).toHaveLength(1);
  });

  it('refuses an eleventh waiting request for one customer, so the staff queue cannot be flooded', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await customerWithData(tenant);
    const { agent } = await clientOf(tenant, customer);
    for (let index = 1; index <= 10; index += 1) expect((await requestChange(agent, tenant, { ...asShown, street: `ul. Kolejna ${index}` })).status).toBe(303);
    const refused = await requestChange(agent, tenant, { ...asShown, street: 'ul. Jedenasta 11' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('czeka już 10 wniosków');
    expect(await requestsOf(customer)).toHaveLength(10);
  });

  it('refuses a request that changes nothing with 422 and stores nothing', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await customerWithData(tenant);
    const { agent } = await clientOf(tenant, customer);
    const response = await requestChange(agent, tenant, { ...asShown, taxId: 'PL 1234563218', bankAccount: '61109010140000071219812874', country: 'pl' });
    expect(response.status).toBe(422);
    expect(formErrorOf(response.text)).toBe('Żadna wartość nie różni się od danych w kartotece. Zmień co najmniej jedno pole.');
    expect(await requestsOf(customer)).toHaveLength(0);
  });

  it('lets the client ask for a value to be removed', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await customerWithData(tenant);
    const { agent } = await clientOf(tenant, customer);
    expect((await requestChange(agent, tenant, { ...asShown, bankAccount: '' })).status).toBe(303);
    expect(JSON.parse((await requestsOf(customer))[0].changes)).toEqual({ bankAccount: null });
  });

  it.each([
    ['a NIP whose check digit is wrong', { taxId: '123-456-32-17' }, 'taxId', 'To nie jest poprawny NIP: sprawdź cyfry (ostatnia jest cyfrą kontrolną).'],
    ['a NIP of nine digits', { taxId: '123456321' }, 'taxId', 'To nie jest poprawny NIP: sprawdź cyfry (ostatnia jest cyfrą kontrolną).'],
    ['an NRB whose check digits are wrong', { bankAccount: '61 1090 1014 0000 0712 1981 2875' }, 'bankAccount', 'To nie jest poprawny numer rachunku: podaj 26 cyfr NRB lub IBAN i sprawdź cyfry.'],
    ['an account of 25 digits', { bankAccount: '6110901014000007121981287' }, 'bankAccount', 'To nie jest poprawny numer rachunku: podaj 26 cyfr NRB lub IBAN i sprawdź cyfry.'],
    ['a Polish postal code without its dash', { postalCode: '00950' }, 'postalCode', 'Podaj kod pocztowy w formacie 00-000.'],
    ['a country that is not a two-letter code', { country: 'Polska' }, 'country', 'Podaj dwuliterowy kod kraju, np. PL.'],
    ['no country', { country: '' }, 'country', 'To pole jest wymagane.'],
    ['a street over 200 characters', { street: 's'.repeat(201) }, 'street', 'To pole może mieć najwyżej 200 znaków.'],
  ])('refuses %s with 422, the message and the values sent, and stores nothing', async (_case, overrides, field, message) => {
    const tenant = await makeTenant(env.db);
    const customer = await customerWithData(tenant);
    const { agent } = await clientOf(tenant, customer);
    const sent: Record<string, string> = { ...asShown, city: 'Kraków', ...overrides };
    const response = await requestChange(agent, tenant, sent);
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, field)).toBe(message);
    expect(response.text).toContain('name="city" type="text" value="Kraków"');
    expect(response.text).toContain(`name="${field}" type="text" value="${sent[field]}"`);
    expect(await requestsOf(customer)).toHaveLength(0);
  });

  it('takes a foreign IBAN, and any tax id of a customer taxed outside Poland', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await customerWithData(tenant, { tax_country: 'DE', tax_id: 'DE123456789', country: 'DE', postal_code: '10115', city: 'Berlin' });
    const { agent } = await clientOf(tenant, customer);
    const response = await requestChange(agent, tenant, { street: 'Unter den Linden 1', postalCode: '10117', city: 'Berlin', country: 'DE', taxId: 'DE999999999', bankAccount: 'DE89 3704 0044 0532 0130 00' });
    expect(response.status).toBe(303);
    expect(JSON.parse((await requestsOf(customer))[0].changes)).toEqual({
      street: 'Unter den Linden 1', postalCode: '10117', taxId: 'DE999999999', bankAccount: 'DE89370400440532013000',
    });
  });

  it('shows a client only their own customer: another customer’s data and requests stay out of sight', async () => {
    const tenant = await makeTenant(env.db);
    const mine = await customerWithData(tenant);
    const theirs = await customerWithData(tenant, { street: 'ul. Cudza 99', tax_id: '5260250274' });
    await env.db('customers').where('id', theirs.id).update({ name: 'Beta S.A.' });
    const { agent: theirAgent } = await clientOf(tenant, theirs);
    expect((await requestChange(theirAgent, tenant, { ...asShown, street: 'ul. Tajna 7', taxId: '526-025-02-74' })).status).toBe(303);

    const { agent } = await clientOf(tenant, mine);
    const page = await agent.get(`/${tenant.slug}/portal/company`);
    expect(page.text).not.toContain('Beta S.A.');
    expect(page.text).not.toContain('ul. Cudza 99');
    expect(page.text).not.toContain('ul. Tajna 7');
    // Whatever the form says, a request is about the client's own customer.
    const response = await requestChange(agent, tenant, { ...asShown, city: 'Gdańsk', customerId: String(theirs.id) });
    expect(response.status).toBe(303);
    expect((await requestsOf(mine)).map((row: { changes: string }) => JSON.parse(row.changes))).toEqual([{ city: 'Gdańsk' }]);
    expect(await requestsOf(theirs)).toHaveLength(1);
  });

  it('refuses staff on the client’s pages with 403', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(env.app, tenant, admin.login);
    expect((await agent.get(`/${tenant.slug}/portal/company`)).status).toBe(403);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/staff`);
    const response = await agent.post(`/${tenant.slug}/portal/company/change-requests`).type('form').send({ _csrf: token, ...asShown, city: 'Gdańsk' });
    expect(response.status).toBe(403);
    expect(await env.db('customer_change_requests').where('tenant_id', tenant.id)).toHaveLength(0);
  });
});
