import { expect, it } from 'vitest';
import type { Customer } from '../../src/models/customer.js';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, type Agent } from '../support/http.js';
import { formOf } from './customers-helpers.js';

/** A13 with foreign customers: the tax id's country is part of the request, and only Polish ids get the NIP checksum. */
describeOnEachDatabase('change requests: the tax id of a foreign customer', (env) => {
  async function customerIn(tenant: Tenant, taxCountry: string, taxId: string): Promise<Customer> {
    const customer = await makeCustomer(env.db, tenant, { name: `Klient ${taxCountry}` });
    await env.db('customers').where('id', customer.id).update({ tax_country: taxCountry, tax_id: taxId, country: taxCountry, city: 'Miasto' });
    return customer;
  }

  async function clientAgentOf(tenant: Tenant, customer: Customer): Promise<Agent> {
    return signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'client', { customer })).login);
  }

  /** Opens the form, changes the given fields and sends it, as the client's browser would. */
  async function requestChange(agent: Agent, tenant: Tenant, changes: Record<string, string>, language = 'en') {
    const form = await agent.get(`/${tenant.slug}/portal/company/change-requests/new`).set('Accept-Language', language);
    return agent.post(`/${tenant.slug}/portal/company/change-requests`).set('Accept-Language', language).type('form').send({ ...formOf(form.text, 'name="taxId"'), ...changes });
  }

  async function approve(tenant: Tenant, requestId: number) {
    const admin = await signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'admin')).login);
    const token = await csrfTokenFrom(admin, `/${tenant.slug}/staff`);
    return admin.post(`/${tenant.slug}/staff/change-requests/${requestId}/approval`).type('form').send({ _csrf: token });
  }

  const requestsOf = (customer: Customer) => env.db('customer_change_requests').where('customer_id', customer.id).orderBy('id');
  const customerRow = (customer: Customer) => env.db('customers').where('id', customer.id).first();

  it('offers the tax id’s country on the form, the customer’s own chosen, the EU’s members by name', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await clientAgentOf(tenant, await customerIn(tenant, 'SK', '2020123456'));
    const form = await agent.get(`/${tenant.slug}/portal/company/change-requests/new`).set('Accept-Language', 'pl');
    expect(form.text).toMatch(/<label for="field-taxCountry">Kraj identyfikatora podatkowego<\/label>/);
    expect(form.text).toContain('<option value="SK" selected>Słowacja (SK)</option>');
    expect(form.text).toContain('<option value="CZ">Czechy (CZ)</option>');
    expect(formOf(form.text, 'name="taxId"')).toMatchObject({ taxCountry: 'SK', taxId: '2020123456' });
  });

  it('lets a Slovak customer ask to change its own tax id, checked as a Slovak number, and the approval stores it', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await customerIn(tenant, 'SK', '2020123456');
    const agent = await clientAgentOf(tenant, customer);
    const response = await requestChange(agent, tenant, { taxId: 'SK 2021234567' });
    expect(response.status).toBe(303);
    const [request] = await requestsOf(customer);
    expect(JSON.parse(request.changes)).toEqual({ taxId: 'SK2021234567' });
    expect((await approve(tenant, Number(request.id))).status).toBe(303);
    expect(await customerRow(customer)).toMatchObject({ tax_country: 'SK', tax_id: 'SK2021234567' });
  });

  it('lets a customer ask for a tax id of another country, and the approval applies the country with it', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await customerIn(tenant, 'PL', '1234563218');
    const agent = await clientAgentOf(tenant, customer);
    const response = await requestChange(agent, tenant, { taxCountry: 'CZ', taxId: 'CZ 12345678' });
    expect(response.status).toBe(303);
    const [request] = await requestsOf(customer);
    expect(JSON.parse(request.changes)).toEqual({ taxCountry: 'CZ', taxId: 'CZ12345678' });

    const admin = await signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'admin')).login);
    const page = await admin.get(`/${tenant.slug}/staff/change-requests/${request.id}`).set('Accept-Language', 'en');
    expect(page.text).toContain('Tax id country');
    expect(page.text).toContain('<strong>CZ12345678</strong>');
    expect(page.text).toContain('123-456-32-18');

    expect((await approve(tenant, Number(request.id))).status).toBe(303);
    expect(await customerRow(customer)).toMatchObject({ tax_country: 'CZ', tax_id: 'CZ12345678' });
    const client = await agent.get(`/${tenant.slug}/portal/company/change-requests/new`);
    expect(formOf(client.text, 'name="taxId"')).toMatchObject({ taxCountry: 'CZ', taxId: 'CZ12345678' });
  });

  it('applies the NIP’s checksum to Polish ids only, and each country’s form to its own', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await customerIn(tenant, 'PL', '1234563218');
    const agent = await clientAgentOf(tenant, customer);
    const badNip = await requestChange(agent, tenant, { taxId: '1234563219' });
    expect(badNip.status).toBe(422);
    expect(fieldErrorOf(badNip.text, 'taxId')).toContain('not a valid NIP');
    // Ten digits that fail the NIP's checksum are a valid Slovak number.
    const slovak = await requestChange(agent, tenant, { taxCountry: 'SK', taxId: '1234563219' });
    expect(slovak.status).toBe(303);
    const malformed = await requestChange(agent, tenant, { taxCountry: 'SK', taxId: '12345' }, 'pl');
    expect(malformed.status).toBe(422);
    expect(fieldErrorOf(malformed.text, 'taxId')).toContain('To nie jest prawidłowy identyfikator podatkowy dla wybranego kraju');
    expect(malformed.text).toContain('<option value="SK" selected>');
    expect(malformed.text).toContain('value="12345"');
    const unknown = await requestChange(agent, tenant, { taxCountry: 'XX', taxId: '12345678' });
    expect(unknown.status).toBe(422);
    expect(fieldErrorOf(unknown.text, 'taxCountry')).toBe('Choose the tax id’s country from the list.');
    expect(await requestsOf(customer)).toHaveLength(1);
  });

  it('never reverts an admin’s edit: an approval changes only the requested fields, and an admin who saves after it keeps both', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await customerIn(tenant, 'PL', '1234563218');
    const client = await clientAgentOf(tenant, customer);
    const admin = await signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'admin')).login);
    // The admin opens the edit form; meanwhile the client's new street is approved.
    const opened = formOf((await admin.get(`/${tenant.slug}/admin/customers/${customer.id}/edit`)).text);
    expect((await requestChange(client, tenant, { street: 'ul. Zatwierdzona 1' })).status).toBe(303);
    const [request] = await requestsOf(customer);
    expect((await approve(tenant, Number(request.id))).status).toBe(303);
    expect(await customerRow(customer)).toMatchObject({ street: 'ul. Zatwierdzona 1', city: 'Miasto', version: 2 });

    // The admin's save of the phone meets the new version: the form holds the approved street and the admin's phone.
    const conflict = await admin.post(`/${tenant.slug}/admin/customers/${customer.id}`).set('Accept-Language', 'en').type('form').send({ ...opened, phone: '+48 600 100 200' });
    expect(conflict.status).toBe(409);
    expect(formOf(conflict.text)).toMatchObject({ street: 'ul. Zatwierdzona 1', phone: '+48 600 100 200', version: '2' });
    expect((await admin.post(`/${tenant.slug}/admin/customers/${customer.id}`).type('form').send(formOf(conflict.text))).status).toBe(303);
    expect(await customerRow(customer)).toMatchObject({ street: 'ul. Zatwierdzona 1', phone: '+48 600 100 200', city: 'Miasto', version: 3 });

    // Approved after an admin's save, a request touches only its own fields.
    expect((await requestChange(client, tenant, { city: 'Nowe Miasto' })).status).toBe(303);
    const second = (await requestsOf(customer)).at(-1);
    expect((await approve(tenant, Number(second.id))).status).toBe(303);
    expect(await customerRow(customer)).toMatchObject({ street: 'ul. Zatwierdzona 1', phone: '+48 600 100 200', city: 'Nowe Miasto', version: 4 });
  });

  it('shows the client the tax id’s country by name on the company page', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await clientAgentOf(tenant, await customerIn(tenant, 'SK', '2020123456'));

    const polish = await agent.get(`/${tenant.slug}/portal/company`).set('Accept-Language', 'pl');
    const english = await agent.get(`/${tenant.slug}/portal/company`).set('Accept-Language', 'en');

    const data = (html: string) => html.split('data-testid="company-data"')[1]!.split('</dl>')[0]!;
    expect(data(polish.text)).toContain('<dt>Kraj identyfikatora podatkowego</dt><dd>Słowacja (SK)</dd>');
    expect(data(english.text)).toContain('<dt>Tax id country</dt><dd>Slovakia (SK)</dd>');
    expect(data(english.text)).toContain('2020123456');
  });
});
