import { expect, it } from 'vitest';
import { saveSettings } from '../../src/models/settings.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent } from '../support/http.js';
import { auditActions, customerFields, customerIdFrom, customerRows, submitNewCustomer, validNip } from './customers-helpers.js';

describeOnEachDatabase('customers: registering and editing (D1, A2)', (env) => {
  async function adminOf(options: { defaultLocale?: string } = {}) {
    const tenant = await makeTenant(env.db, options);
    const admin = await makeUser(env.db, tenant, 'admin');
    return { tenant, admin, agent: await signedInAgent(env.app, tenant, admin.login) };
  }

  it('registers a customer with all its data and shows it on its record with where each setting comes from', async () => {
    const { tenant, agent } = await adminOf();
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Celina', lastName: 'Opiekuńska' });
    const response = await submitNewCustomer(agent, tenant, customerFields({
      name: 'Łódzkie Wodociągi S.A.',
      taxId: '123-456-32-18',
      street: 'ul. Piotrkowska 1',
      postalCode: '90-001',
      city: 'Łódź',
      email: 'biuro@wodociagi.example',
      phone: '+48 (42) 123-45-67',
      caretakerId: String(caretaker.id),
      notes: 'Faktury tylko e-mailem.\nKontakt rano.',
      portalAccess: 'off',
      createAccount: '',
    }));
    expect(response.status).toBe(303);
    const id = customerIdFrom(response.headers.location);
    const [row] = await customerRows(env.db, tenant);
    expect(row).toMatchObject({ id, name: 'Łódzkie Wodociągi S.A.', tax_country: 'PL', tax_id: validNip, postal_code: '90-001', city: 'Łódź', country: 'PL', caretaker_id: caretaker.id, version: 1 });
    expect(Boolean(row!.is_active)).toBe(true);
    expect(await auditActions(env.db, tenant)).toEqual([expect.objectContaining({ action: 'customer.created', subject_id: id })]);

    const record = await agent.get(response.headers.location!).set('Accept-Language', 'en');
    expect(record.status).toBe(200);
    expect(record.text).toContain('The customer has been registered.');
    expect(record.text).toMatch(/data-testid="customer-tax-id">123-456-32-18</);
    expect(record.text).toMatch(/data-testid="customer-caretaker">Celina Opiekuńska</);
    expect(record.text).toMatch(/data-testid="setting-portalAccess">\s*off <span class="setting-source">\(set for the customer\)/);
    // The ticket settings the customer inherits, with where they come from.
    expect(record.text).toMatch(/data-testid="setting-ticketApproval">\s*no approval <span class="setting-source">\(default value\)/);
    expect(record.text).toMatch(/data-testid="setting-ticketVisibility">\s*all <span class="setting-source">\(default value\)/);
    expect(record.text).toContain('aria-current="page"');
  });

  it('stores a foreign tax id as written, with its country code', async () => {
    const { tenant, agent } = await adminOf();
    const response = await submitNewCustomer(agent, tenant, customerFields({ name: 'Tatra Servis s.r.o.', taxCountry: 'sk', taxId: 'SK2020123456', country: 'SK', postalCode: '811 01', city: 'Bratislava' }));
    expect(response.status).toBe(303);
    const [row] = await customerRows(env.db, tenant);
    expect(row).toMatchObject({ tax_country: 'SK', tax_id: 'SK2020123456', country: 'SK', postal_code: '811 01' });
  });

  it('registers an inactive customer when the active box is left unticked', async () => {
    const { tenant, agent } = await adminOf();
    const response = await submitNewCustomer(agent, tenant, customerFields({ name: 'Archiwalny', isActive: undefined }));
    expect(response.status).toBe(303);
    expect(Boolean((await customerRows(env.db, tenant))[0]!.is_active)).toBe(false);
  });

  it('refuses an invalid NIP with 422 and the form back, in English and in Polish, and writes nothing', async () => {
    const { tenant, agent } = await adminOf();
    const english = await submitNewCustomer(agent, tenant, customerFields({ name: 'Zła Firma', taxId: '123-456-32-19', email: 'biuro@zla.example' }), 'en');
    expect(english.status).toBe(422);
    expect(fieldErrorOf(english.text, 'taxId')).toContain('not a valid NIP');
    expect(english.text).toContain('value="Zła Firma"');
    expect(english.text).toContain('value="123-456-32-19"');
    expect(english.text).toContain('role="alert"');

    const polish = await submitNewCustomer(agent, tenant, customerFields({ name: 'Zła Firma', taxId: '1234563219' }), 'pl');
    expect(polish.status).toBe(422);
    expect(fieldErrorOf(polish.text, 'taxId')).toContain('To nie jest prawidłowy NIP');

    expect(await customerRows(env.db, tenant)).toEqual([]);
    expect(await auditActions(env.db, tenant, '')).not.toContainEqual(expect.objectContaining({ action: 'customer.created' }));
    expect(await env.db('users').where({ tenant_id: tenant.id, role: 'client' })).toEqual([]);
    expect(await env.db('outbox').where('tenant_id', tenant.id)).toEqual([]);
  });

  const badInputs: Array<[string, Record<string, string>, string, string, string]> = [
    ['an e-mail address without a domain', { email: 'biuro@' }, 'email', 'valid e-mail address', 'prawidłowy adres e-mail'],
    ['a phone number with letters', { phone: '+48 600 ABC 123' }, 'phone', 'only digits', 'tylko cyfry'],
    ['a phone number with too few digits', { phone: '12-34' }, 'phone', '6 to 20 digits', 'od 6 do 20 cyfr'],
    ['a phone number with too many digits', { phone: '+48 123 456 789 012 345 678 9' }, 'phone', '6 to 20 digits', 'od 6 do 20 cyfr'],
    ['a Polish postal code not in the form 00-000', { postalCode: '00950' }, 'postalCode', '00-000', '00-000'],
    ['a country code of three letters', { country: 'POL' }, 'country', 'two-letter country code', 'dwuliterowy kod kraju'],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, 'name', 'at most 200 characters', 'najwyżej 200 znaków'],
    ['notes over 2000 characters', { notes: 'n'.repeat(2001) }, 'notes', 'at most 2000 characters', 'najwyżej 2000 znaków'],
    ['a city over 100 characters', { city: 'c'.repeat(101) }, 'city', 'at most 100 characters', 'najwyżej 100 znaków'],
    ['an empty name', { name: '   ' }, 'name', 'required', 'wymagane'],
    ['a caretaker id that is not a number', { caretakerId: '1 or 1=1' }, 'caretakerId', 'not valid', 'Nieprawidłowa'],
  ];
  for (const [what, fields, field, english, polish] of badInputs) {
    it(`refuses ${what} with 422 and a message in both languages, writing nothing`, async () => {
      const { tenant, agent } = await adminOf();
      const inEnglish = await submitNewCustomer(agent, tenant, customerFields(fields), 'en');
      expect(inEnglish.status).toBe(422);
      expect(fieldErrorOf(inEnglish.text, field)).toContain(english);
      const inPolish = await submitNewCustomer(agent, tenant, customerFields(fields), 'pl');
      expect(inPolish.status).toBe(422);
      expect(fieldErrorOf(inPolish.text, field)).toContain(polish);
      expect(await customerRows(env.db, tenant)).toEqual([]);
    });
  }

  it('offers the ticket settings on the form, saves them for the customer and shows them on its record', async () => {
    const { tenant, agent } = await adminOf();
    const form = await agent.get(`/${tenant.slug}/admin/customers/new`);
    for (const field of ['ticketApproval', 'ticketVisibility', 'visibleSince']) expect(form.text, field).toContain(`name="${field}"`);
    const saved = await submitNewCustomer(agent, tenant, customerFields({ ticketApproval: 'mandatory', ticketVisibility: 'since', visibleSince: '2026-02-01' }));
    expect(saved.status).toBe(303);
    const id = customerIdFrom(saved.headers.location);
    const rows = await env.db('settings').where({ tenant_id: tenant.id, level: 'customer', target_id: id }).orderBy('name').select('name', 'value');
    expect(rows).toEqual([{ name: 'tickets.approval', value: 'mandatory' }, { name: 'tickets.visibility', value: 'since' }, { name: 'tickets.visible_since', value: '2026-02-01' }]);
    const record = await agent.get(saved.headers.location!).set('Accept-Language', 'en');
    expect(record.text).toMatch(/data-testid="setting-ticketApproval">\s*mandatory approval <span class="setting-source">\(set for the customer\)/);

    // Inheriting again removes the customer's own values; a date without "since" is not kept.
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/admin/customers/${id}/edit`);
    const edited = await agent.post(`/${tenant.slug}/admin/customers/${id}`).type('form').send({ _csrf: token, ...customerFields({ version: '1', ticketApproval: 'optional', ticketVisibility: 'inherit', visibleSince: '2026-02-01' }) });
    expect(edited.status).toBe(303);
    expect(await env.db('settings').where({ tenant_id: tenant.id, level: 'customer', target_id: id }).select('name', 'value')).toEqual([{ name: 'tickets.approval', value: 'optional' }]);
  });

  it('exempts a customer from payment reminders on its form, shown on its record beside where the value comes from (D5)', async () => {
    const { tenant, agent } = await adminOf();
    const form = await agent.get(`/${tenant.slug}/admin/customers/new`);
    expect(form.text).toContain('name="reminders"');
    const saved = await submitNewCustomer(agent, tenant, customerFields({ name: 'Bez przypomnień', reminders: 'off' }));
    expect(saved.status).toBe(303);
    const id = customerIdFrom(saved.headers.location);
    expect(await env.db('settings').where({ tenant_id: tenant.id, level: 'customer', target_id: id }).select('name', 'value')).toEqual([{ name: 'reminders.enabled', value: 'off' }]);
    const record = await agent.get(saved.headers.location!).set('Accept-Language', 'en');
    expect(record.text).toMatch(/data-testid="setting-reminders">\s*do not send reminders <span class="setting-source">\(set for the customer\)/);
    const refused = await submitNewCustomer(agent, tenant, customerFields({ name: 'Zła wartość', reminders: 'sometimes' }));
    expect(refused.status).toBe(422);
  });

  it('refuses visibility since a day without a valid day, with 422 and the form kept', async () => {
    const { tenant, agent } = await adminOf();
    const refused = await submitNewCustomer(agent, tenant, customerFields({ name: 'Od kiedy', ticketApproval: 'mandatory', ticketVisibility: 'since', visibleSince: '2026-02-30' }));
    expect(refused.status).toBe(422);
    expect(fieldErrorOf(refused.text, 'visibleSince')).toBeTruthy();
    expect(refused.text).toContain('value="Od kiedy"');
    expect(await customerRows(env.db, tenant)).toEqual([]);
  });

  it('never stores a caretaker who is another tenant’s employee, a client or deactivated', async () => {
    const { tenant, agent } = await adminOf();
    const other = await makeTenant(env.db);
    const foreignCaretaker = await makeUser(env.db, other, 'caretaker');
    const client = await makeUser(env.db, tenant, 'client');
    const formerCaretaker = await makeUser(env.db, tenant, 'caretaker');
    await env.db('users').where('id', formerCaretaker.id).update({ is_active: false });
    const before = (await customerRows(env.db, tenant)).length;
    for (const candidate of [foreignCaretaker.id, client.id, formerCaretaker.id, 999999]) {
      const response = await submitNewCustomer(agent, tenant, customerFields({ caretakerId: String(candidate) }));
      expect(response.status).toBe(422);
      expect(fieldErrorOf(response.text, 'caretakerId')).toContain('Choose a caretaker from the list');
    }
    expect(await customerRows(env.db, tenant)).toHaveLength(before);
    const form = await agent.get(`/${tenant.slug}/admin/customers/new`);
    expect(form.text).not.toContain(`value="${foreignCaretaker.id}"`);
    expect(form.text).not.toContain(`value="${client.id}"`);
  });

  it('offers the tenant’s active caretakers and admins on the form', async () => {
    const { tenant, admin, agent } = await adminOf();
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Cyprian' });
    const form = await agent.get(`/${tenant.slug}/admin/customers/new`).set('Accept-Language', 'en');
    expect(form.status).toBe(200);
    expect(form.text).toContain(`<option value="${caretaker.id}"`);
    expect(form.text).toContain(`<option value="${admin.id}"`);
    expect(form.text).toContain('name="_csrf"');
  });

  it('refuses the admin forms to a caretaker and a client with 403 and writes nothing', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { name: 'Nietykalny', caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    for (const user of [caretaker, client]) {
      const agent = await signedInAgent(env.app, tenant, user.login);
      const token = await csrfTokenFrom(agent, `/${tenant.slug}/account`);
      const posts: Array<[string, Record<string, string>]> = [
        [`/${tenant.slug}/admin/customers`, customerFields({ name: 'Wtargnięcie' })],
        [`/${tenant.slug}/admin/customers/${customer.id}`, customerFields({ name: 'Przejęty', version: '1' })],
        [`/${tenant.slug}/admin/customers/${customer.id}/deactivation`, {}],
      ];
      for (const [url, fields] of posts) {
        const response = await agent.post(url).type('form').send({ _csrf: token, ...fields });
        expect(response.status, `${user.role} ${url}`).toBe(403);
      }
      expect((await agent.get(`/${tenant.slug}/admin/customers/new`)).status).toBe(403);
      expect((await agent.get(`/${tenant.slug}/admin/customers/${customer.id}/edit`)).status).toBe(403);
    }
    const rows = await customerRows(env.db, tenant);
    expect(rows.map((row) => row.name).sort()).toEqual(['Nietykalny']);
    expect(rows[0]).toMatchObject({ version: 1 });
    expect(Boolean(rows[0]!.is_active)).toBe(true);
    expect(await auditActions(env.db, tenant)).toEqual([]);
  });

  it('saves an edit, bumps the version and records the changed fields', async () => {
    const { tenant, agent } = await adminOf();
    const customer = await makeCustomer(env.db, tenant, { name: 'Stara Nazwa' });
    const form = await agent.get(`/${tenant.slug}/admin/customers/${customer.id}/edit`).set('Accept-Language', 'en');
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="version" value="1"');
    expect(form.text).toContain('value="Stara Nazwa"');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    const response = await agent
      .post(`/${tenant.slug}/admin/customers/${customer.id}`)
      .type('form')
      .send({ _csrf: token, ...customerFields({ name: 'Nowa Nazwa', city: 'Gdańsk', portalAccess: 'off', version: '1' }) });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/staff/customers/${customer.id}`);
    const [row] = await customerRows(env.db, tenant);
    expect(row).toMatchObject({ name: 'Nowa Nazwa', city: 'Gdańsk', version: 2 });
    const updated = (await auditActions(env.db, tenant)).find((entry) => entry.action === 'customer.updated');
    expect(JSON.parse(updated!.details!)).toEqual({ fields: ['name', 'city', 'portalAccess'] });
    const setting = await env.db('settings').where({ tenant_id: tenant.id, level: 'customer', target_id: customer.id, name: 'portal.access' }).first();
    expect(setting.value).toBe('off');
  });

  it('says on the "inherit" choice what inheriting gives and where it comes from, in English and Polish', async () => {
    const { tenant, agent } = await adminOf();
    const customer = await makeCustomer(env.db, tenant);
    await saveSettings(scopeFor(env.db, tenant), 'tenant', 0, { 'portal.access': 'off' });
    const english = await agent.get(`/${tenant.slug}/admin/customers/${customer.id}/edit`).set('Accept-Language', 'en');
    expect(english.text).toMatch(/<option value="inherit" selected>Inherited: off \(the portal setting\)<\/option>/);
    const polish = await agent.get(`/${tenant.slug}/admin/customers/new`).set('Accept-Language', 'pl');
    expect(polish.text).toMatch(/<option value="inherit" selected>Dziedziczone: wyłączony \(ustawienie portalu\)<\/option>/);
  });

  it('puts a setting back to inherited when "inherit" is chosen again', async () => {
    const { tenant, agent } = await adminOf();
    const customer = await makeCustomer(env.db, tenant);
    await saveSettings(scopeFor(env.db, tenant), 'customer', customer.id, { 'portal.access': 'off' });
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/admin/customers/${customer.id}/edit`);
    const response = await agent
      .post(`/${tenant.slug}/admin/customers/${customer.id}`)
      .type('form')
      .send({ _csrf: token, ...customerFields({ name: customer.name, portalAccess: 'inherit', version: '1' }) });
    expect(response.status).toBe(303);
    expect(await env.db('settings').where({ tenant_id: tenant.id, level: 'customer', target_id: customer.id })).toEqual([]);
  });

  it('shows the edit form back with 422 on bad input and changes nothing', async () => {
    const { tenant, agent } = await adminOf();
    const customer = await makeCustomer(env.db, tenant, { name: 'Bez Zmian' });
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/admin/customers/${customer.id}/edit`);
    const response = await agent
      .post(`/${tenant.slug}/admin/customers/${customer.id}`)
      .set('Accept-Language', 'en')
      .type('form')
      .send({ _csrf: token, ...customerFields({ name: 'Inna', email: 'nie-email', version: '1' }) });
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'email')).toContain('valid e-mail address');
    expect(response.text).toContain('value="nie-email"');
    expect((await customerRows(env.db, tenant))[0]).toMatchObject({ name: 'Bez Zmian', version: 1 });
  });

  it('keeps a caretaker whose account was deactivated when other data of the customer is saved', async () => {
    const { tenant, agent } = await adminOf();
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    await env.db('users').where('id', caretaker.id).update({ is_active: false });
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/admin/customers/${customer.id}/edit`);
    const response = await agent
      .post(`/${tenant.slug}/admin/customers/${customer.id}`)
      .type('form')
      .send({ _csrf: token, ...customerFields({ name: customer.name, city: 'Opole', caretakerId: String(caretaker.id), version: '1' }) });
    expect(response.status).toBe(303);
    expect((await customerRows(env.db, tenant))[0]).toMatchObject({ city: 'Opole', caretaker_id: caretaker.id });
  });

  it('answers 404 for another tenant’s customer on edit, update, deactivation and activation, and changes nothing', async () => {
    const { tenant, agent } = await adminOf();
    const other = await makeTenant(env.db);
    const foreign = await makeCustomer(env.db, other, { name: 'Cudzy Klient' });
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/admin/customers/new`);
    expect((await agent.get(`/${tenant.slug}/admin/customers/${foreign.id}/edit`)).status).toBe(404);
    expect((await agent.get(`/${tenant.slug}/staff/customers/${foreign.id}`)).status).toBe(404);
    const update = await agent.post(`/${tenant.slug}/admin/customers/${foreign.id}`).type('form').send({ _csrf: token, ...customerFields({ name: 'Przejęty', version: '1' }) });
    expect(update.status).toBe(404);
    for (const noun of ['deactivation', 'activation']) {
      const response = await agent.post(`/${tenant.slug}/admin/customers/${foreign.id}/${noun}`).type('form').send({ _csrf: token });
      expect(response.status).toBe(404);
    }
    const [row] = await customerRows(env.db, other);
    expect(row).toMatchObject({ name: 'Cudzy Klient', version: 1 });
    expect(Boolean(row!.is_active)).toBe(true);
    expect(await auditActions(env.db, tenant)).toEqual([]);
  });

  it('answers 404 for a customer id that is not a number', async () => {
    const { tenant, agent } = await adminOf();
    expect((await agent.get(`/${tenant.slug}/staff/customers/abc`)).status).toBe(404);
    expect((await agent.get(`/${tenant.slug}/admin/customers/1e3/edit`)).status).toBe(404);
  });

  it('deactivates a customer, shows it as inactive, and reactivates it, each once in the audit log', async () => {
    const { tenant, agent } = await adminOf();
    const customer = await makeCustomer(env.db, tenant, { name: 'Uśpiona Firma' });
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/staff/customers/${customer.id}`);
    const deactivation = `/${tenant.slug}/admin/customers/${customer.id}/deactivation`;
    expect((await agent.post(deactivation).type('form').send({ _csrf: token, confirmation: 'yes' })).status).toBe(303);
    // A second click changes nothing more.
    expect((await agent.post(deactivation).type('form').send({ _csrf: token, confirmation: 'yes' })).status).toBe(303);
    expect(Boolean((await customerRows(env.db, tenant))[0]!.is_active)).toBe(false);

    const record = await agent.get(`/${tenant.slug}/staff/customers/${customer.id}`).set('Accept-Language', 'en');
    expect(record.text).toContain('data-testid="customer-inactive"');
    expect(record.text).toContain('The customer has been deactivated.');
    expect(record.text).toContain(`action="/${tenant.slug}/admin/customers/${customer.id}/activation"`);
    const inactiveList = await agent.get(`/${tenant.slug}/staff/customers?status=inactive`).set('Accept-Language', 'en');
    expect(inactiveList.text).toContain('Uśpiona Firma');
    expect(inactiveList.text).toContain('<span class="status-badge status-badge--neutral">inactive</span>');

    expect((await agent.post(`/${tenant.slug}/admin/customers/${customer.id}/activation`).type('form').send({ _csrf: token })).status).toBe(303);
    const [row] = await customerRows(env.db, tenant);
    expect(Boolean(row!.is_active)).toBe(true);
    expect(row!.version).toBe(3);
    expect((await auditActions(env.db, tenant)).map((entry) => entry.action)).toEqual(['customer.deactivated', 'customer.activated']);
    const log = await (await signedInAgent(env.app, tenant, tenant.superadmin.login)).get(`/${tenant.slug}/admin/audit-log`).set('Accept-Language', 'pl');
    expect(log.text).toContain('Dezaktywowano klienta');
    expect(log.text).toContain('Przywrócono klienta');
  });
});
