import { expect, it } from 'vitest';
import { CustomerIdentifierError, refusalOfNumberRace } from '../../src/models/customer-identifiers.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, type Agent } from '../support/http.js';
import { auditActions, customerFields, customerIdFrom, customerRows, formOf, listedNames, submitNewCustomer, validNip } from './customers-helpers.js';

/** D1: the customer's bank account, its number in the accounting system, and a tax id another customer has. */
describeOnEachDatabase('customers: bank account, accounting number and shared tax ids', (env) => {
  async function adminOf(): Promise<{ tenant: TestTenant; agent: Agent }> {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    return { tenant, agent: await signedInAgent(env.app, tenant, admin.login) };
  }

  /** Opens the customer's edit form and sends it with the fields changed, as a browser would. */
  async function editCustomer(agent: Agent, tenant: TestTenant, customerId: number, changes: Record<string, string | undefined>, language = 'en') {
    const form = await agent.get(`/${tenant.slug}/admin/customers/${customerId}/edit`);
    const fields = { ...formOf(form.text), ...changes };
    for (const [name, value] of Object.entries(fields)) if (value === undefined) delete fields[name];
    return agent.post(`/${tenant.slug}/admin/customers/${customerId}`).set('Accept-Language', language).type('form').send(fields);
  }

  const registered = async (agent: Agent, tenant: TestTenant, fields: Record<string, string>) => {
    const response = await submitNewCustomer(agent, tenant, customerFields(fields));
    expect(response.status, response.text.slice(0, 200)).toBe(303);
    return customerIdFrom(response.headers.location);
  };

  it('stores a bank account as its digits, checked by its checksum, and shows it grouped in fours', async () => {
    const { tenant, agent } = await adminOf();
    const id = await registered(agent, tenant, { name: 'Rachunkowa', bankAccount: 'PL61 1090 1014 0000 0712 1981 2874' });
    expect((await customerRows(env.db, tenant))[0]).toMatchObject({ bank_account: '61109010140000071219812874' });
    const record = await agent.get(`/${tenant.slug}/staff/customers/${id}`).set('Accept-Language', 'en');
    expect(record.text).toMatch(/data-testid="customer-bank-account">61 1090 1014 0000 0712 1981 2874</);
    const form = await agent.get(`/${tenant.slug}/admin/customers/${id}/edit`);
    expect(formOf(form.text).bankAccount).toBe('61 1090 1014 0000 0712 1981 2874');

    // Another country's IBAN is kept whole; the edit is audited by field name only.
    expect((await editCustomer(agent, tenant, id, { bankAccount: 'de89 3704 0044 0532 0130 00' })).status).toBe(303);
    expect((await customerRows(env.db, tenant))[0]).toMatchObject({ bank_account: 'DE89370400440532013000', version: 2 });
    const updated = (await auditActions(env.db, tenant)).find((entry) => entry.action === 'customer.updated');
    expect(JSON.parse(updated!.details!)).toEqual({ fields: ['bankAccount'] });
    expect(updated!.details).not.toContain('DE89');
  });

  it('refuses a bank account whose check digits do not match with 422, the typed value kept, in English and Polish', async () => {
    const { tenant, agent } = await adminOf();
    const english = await submitNewCustomer(agent, tenant, customerFields({ name: 'Zły Rachunek', bankAccount: '61 1090 1014 0000 0712 1981 2875' }));
    expect(english.status).toBe(422);
    expect(fieldErrorOf(english.text, 'bankAccount')).toContain('not a valid account number');
    expect(english.text).toContain('value="61 1090 1014 0000 0712 1981 2875"');
    const polish = await submitNewCustomer(agent, tenant, customerFields({ name: 'Zły Rachunek', bankAccount: '1234' }), 'pl');
    expect(fieldErrorOf(polish.text, 'bankAccount')).toContain('To nie jest prawidłowy numer rachunku');
    expect(await customerRows(env.db, tenant)).toEqual([]);
  });

  it('keeps a customer number once per tenant, names the customer that has it, and lists and finds customers by it', async () => {
    const { tenant, agent } = await adminOf();
    const first = await registered(agent, tenant, { name: 'Pierwszy Numer', customerNumber: ' k-2024/001 ' });
    expect((await customerRows(env.db, tenant))[0]).toMatchObject({ customer_number: 'K-2024/001' });

    const taken = await submitNewCustomer(agent, tenant, customerFields({ name: 'Drugi Numer', customerNumber: 'K-2024/001' }));
    expect(taken.status).toBe(422);
    expect(fieldErrorOf(taken.text, 'customerNumber')).toBe('Another customer has this number already (Pierwszy Numer): each customer number is used once.');
    expect(taken.text).toContain(`href="/${tenant.slug}/staff/customers/${first}"`);
    expect(taken.text).toContain('value="K-2024/001"');
    // Letter case does not make another number (MySQL's key would not tell them apart either).
    expect((await submitNewCustomer(agent, tenant, customerFields({ name: 'Drugi Numer', customerNumber: 'k-2024/001' }))).status).toBe(422);

    const second = await registered(agent, tenant, { name: 'Drugi Numer', customerNumber: 'K-2024/002' });
    const edited = await editCustomer(agent, tenant, second, { customerNumber: 'K-2024/001' }, 'pl');
    expect(edited.status).toBe(422);
    expect(fieldErrorOf(edited.text, 'customerNumber')).toContain('Ten numer ma już inny klient (Pierwszy Numer)');
    // Another tenant may use the same number.
    const other = await adminOf();
    await registered(other.agent, other.tenant, { name: 'Gdzie Indziej', customerNumber: 'K-2024/001' });

    const record = await agent.get(`/${tenant.slug}/staff/customers/${first}`);
    expect(record.text).toMatch(/data-testid="customer-number">K-2024\/001</);
    // A number is found by its start (issue 20: an index range), in any letter case.
    const list = await agent.get(`/${tenant.slug}/staff/customers?q=k-2024/002`);
    expect(listedNames(list.text)).toEqual(['Drugi Numer']);
    expect(list.text).toContain('K-2024/002');
    expect((await customerRows(env.db, tenant)).map((row) => row.customer_number)).toEqual(['K-2024/001', 'K-2024/002']);
  });

  it('refuses a customer number with characters an accounting number does not have', async () => {
    const { tenant, agent } = await adminOf();
    const response = await submitNewCustomer(agent, tenant, customerFields({ name: 'Znaki', customerNumber: 'K<001>' }));
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'customerNumber')).toContain('only letters, digits, spaces');
  });

  it('gives two registrations racing for one customer number one customer and the same 422 to the other', async () => {
    const { tenant, agent } = await adminOf();
    const send = async (name: string) => {
      const token = await csrfTokenFrom(agent, `/${tenant.slug}/admin/customers/new`);
      return () => agent.post(`/${tenant.slug}/admin/customers`).type('form').send({ _csrf: token, ...customerFields({ name, customerNumber: 'WYSCIG-1' }) });
    };
    const [first, second] = [await send('Pierwszy'), await send('Drugi')];
    const statuses = (await Promise.all([first(), second()])).map((response) => response.status).sort();
    expect(statuses).toEqual([303, 422]);
    expect((await customerRows(env.db, tenant)).map((row) => row.customer_number)).toEqual(['WYSCIG-1']);
  });

  it('turns a save that the unique key refused (the number taken between the check and the write) into the same refusal', async () => {
    const tenant = await makeTenant(env.db);
    const holder = await makeCustomer(env.db, tenant, { name: 'Właściciel Numeru' });
    await env.db('customers').where('id', holder.id).update({ customer_number: 'K-7' });
    const other = await makeCustomer(env.db, tenant, { name: 'Spóźniony' });
    const violation = await env.db('customers').where('id', other.id).update({ customer_number: 'K-7' }).then(() => undefined, (error: unknown) => error);
    expect(violation, 'the unique key refuses a second K-7').toBeDefined();
    const refusal = await refusalOfNumberRace(scopeFor(env.db, tenant), violation, { customerNumber: 'K-7' }, other.id).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(CustomerIdentifierError);
    expect((refusal as CustomerIdentifierError).holdingNumber).toMatchObject({ id: holder.id, name: 'Właściciel Numeru' });
    expect((refusal as CustomerIdentifierError).fieldErrors).toEqual({ customerNumber: 'customers:validation.customerNumberTaken' });
  });

  it('asks to confirm a NIP another customer has, naming it, and saves only once the box is ticked', async () => {
    const { tenant, agent } = await adminOf();
    const head = await registered(agent, tenant, { name: 'Centrala sp. z o.o.', taxId: validNip });
    const asked = await submitNewCustomer(agent, tenant, customerFields({ name: 'Centrala – oddział Gdańsk', taxId: '123-456-32-18', city: 'Gdańsk' }));
    expect(asked.status).toBe(422);
    expect(fieldErrorOf(asked.text, 'taxId')).toBe('Another customer already has this tax id. If this customer shares it, tick the confirmation below.');
    expect(asked.text).toMatch(new RegExp(`data-testid="shared-tax-id">[\\s\\S]*?<a href="/${tenant.slug}/staff/customers/${head}">Centrala sp. z o.o.</a>`));
    // The box's value is the tax id it confirms: ticked for one number, it confirms no other.
    expect(asked.text).toMatch(new RegExp(`<input type="checkbox" id="field-sharedTaxIdConfirmed" name="sharedTaxIdConfirmed" value="PL ${validNip}"[^>]*>\\s*<label for="field-sharedTaxIdConfirmed">Yes, this customer shares the tax id \\(e.g. a branch\\)</label>`));
    expect(asked.text).toContain('value="Gdańsk"');
    expect(await customerRows(env.db, tenant)).toHaveLength(1);

    // Sending the same form again without the box is refused again: the confirmation cannot be skipped.
    const again = await agent.post(`/${tenant.slug}/admin/customers`).type('form').send(formOf(asked.text, 'name="submissionKey"'));
    expect(again.status).toBe(422);
    expect(await customerRows(env.db, tenant)).toHaveLength(1);

    const confirmed = await agent.post(`/${tenant.slug}/admin/customers`).type('form').send({ ...formOf(asked.text, 'name="submissionKey"'), sharedTaxIdConfirmed: `PL ${validNip}` });
    expect(confirmed.status).toBe(303);
    const rows = await customerRows(env.db, tenant);
    expect(rows.map((row) => [row.name, row.tax_id])).toEqual([['Centrala sp. z o.o.', validNip], ['Centrala – oddział Gdańsk', validNip]]);

    // A third branch: both others are named, in Polish with the plural.
    const third = await submitNewCustomer(agent, tenant, customerFields({ name: 'Oddział Kraków', taxId: validNip }), 'pl');
    expect(fieldErrorOf(third.text, 'taxId')).toContain('Ten identyfikator podatkowy mają już inni klienci (2)');
  });

  it('asks again when an edit gives a customer another customer’s NIP, but not when a shared NIP stays as it was', async () => {
    const { tenant, agent } = await adminOf();
    await registered(agent, tenant, { name: 'Alfa', taxId: validNip });
    const beta = await registered(agent, tenant, { name: 'Beta' });
    const asked = await editCustomer(agent, tenant, beta, { taxId: validNip });
    expect(asked.status).toBe(422);
    expect(fieldErrorOf(asked.text, 'taxId')).toContain('Another customer already has this tax id');
    expect((await customerRows(env.db, tenant))[1]).toMatchObject({ tax_id: null, version: 1 });
    expect((await editCustomer(agent, tenant, beta, { taxId: validNip, sharedTaxIdConfirmed: `PL ${validNip}` })).status).toBe(303);
    // Saving other data later does not ask again: the tax id did not change.
    expect((await editCustomer(agent, tenant, beta, { city: 'Sopot' })).status).toBe(303);
    expect((await customerRows(env.db, tenant))[1]).toMatchObject({ tax_id: validNip, city: 'Sopot', version: 3 });
  });

  it('compares foreign tax ids with and without their country prefix', async () => {
    const { tenant, agent } = await adminOf();
    await registered(agent, tenant, { name: 'Tatra Servis s.r.o.', taxCountry: 'SK', taxId: 'SK 2020123456', country: 'SK' });
    expect((await customerRows(env.db, tenant))[0]).toMatchObject({ tax_country: 'SK', tax_id: 'SK2020123456' });
    const asked = await submitNewCustomer(agent, tenant, customerFields({ name: 'Tatra Servis – pobočka', taxCountry: 'SK', taxId: '2020123456', country: 'SK' }));
    expect(asked.status).toBe(422);
    expect(asked.text).toContain('Tatra Servis s.r.o.</a>');
    // The same digits under another country are another number.
    await registered(agent, tenant, { name: 'Czeska', taxCountry: 'CZ', taxId: '2020123456', country: 'CZ' });
  });

  it('checks a tax id by its country: the NIP’s check digit for Poland, the form of the VAT number elsewhere', async () => {
    const { tenant, agent } = await adminOf();
    await registered(agent, tenant, { name: 'Słowacka', taxCountry: 'SK', taxId: '2020123456' });
    await registered(agent, tenant, { name: 'Czeska', taxCountry: 'CZ', taxId: 'CZ12345678' });
    await registered(agent, tenant, { name: 'Norweska', taxCountry: 'NO', taxId: '123456789MVA' });
    for (const [taxCountry, taxId] of [['DE', 'DE123'], ['SK', '20201234'], ['CZ', 'CZ1234567890123']]) {
      const refused = await submitNewCustomer(agent, tenant, customerFields({ name: 'Zły', taxCountry: taxCountry!, taxId: taxId! }));
      expect(refused.status, `${taxCountry} ${taxId}`).toBe(422);
      expect(fieldErrorOf(refused.text, 'taxId')).toBe('This is not a valid tax id for the chosen country: check its length and characters.');
    }
    const form = await agent.get(`/${tenant.slug}/admin/customers/new`).set('Accept-Language', 'pl');
    expect(form.text).toMatch(/<select id="field-taxCountry" name="taxCountry"[^>]*>\s*<option value="PL" selected>Polska \(PL\)<\/option>/);
    expect(form.text).toContain('<option value="SK">Słowacja (SK)</option>');
  });
});
