import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent, type Agent } from '../support/http.js';
import { auditActions, comparisonOf, customerFields, customerRows, formOf } from './customers-helpers.js';

/** Two admins editing the same customer (optimistic locking): the second save must not overwrite the first. */
describeOnEachDatabase('customers: two admins editing at once', (env) => {
  async function twoAdmins(tenant: TestTenant): Promise<[Agent, Agent]> {
    const first = await makeUser(env.db, tenant, 'admin');
    const second = await makeUser(env.db, tenant, 'admin');
    return [await signedInAgent(env.app, tenant, first.login), await signedInAgent(env.app, tenant, second.login)];
  }

  /** Opens the edit form (as each admin would before either saves) and returns a way to send it. */
  async function openEditForm(agent: Agent, tenant: TestTenant, customerId: number) {
    const form = await agent.get(`/${tenant.slug}/admin/customers/${customerId}/edit`);
    const { _csrf, version, base } = formOf(form.text);
    return (fields: Record<string, string>) =>
      agent.post(`/${tenant.slug}/admin/customers/${customerId}`).set('Accept-Language', 'en').type('form').send({ _csrf, version, base, ...fields });
  }

  /** The value of a text field as the page's form holds it. */
  const valueOf = (html: string, name: string) => new RegExp(`name="${name}" type="[a-z]+" value="([^"]*)"`).exec(html)?.[1];

  it('answers the second save with 409, both versions side by side, and a form that starts from the stored version with only the user’s own changes', async () => {
    const tenant = await makeTenant(env.db);
    const [first, second] = await twoAdmins(tenant);
    const customer = await makeCustomer(env.db, tenant, { name: 'Wspólny Klient' });
    const sendFirst = await openEditForm(first, tenant, customer.id);
    const sendSecond = await openEditForm(second, tenant, customer.id);

    expect((await sendFirst(customerFields({ name: 'Wspólny Klient', city: 'Toruń', phone: '600 100 200' }))).status).toBe(303);
    const conflict = await sendSecond(customerFields({ name: 'Wspólny Klient', street: 'ul. Długa 5', notes: 'Ważna uwaga' }));

    expect(conflict.status).toBe(409);
    expect(conflict.text).toContain('Someone else saved this customer in the meantime');
    expect(conflict.text).toContain('saving it as it stands keeps both people’s work');
    // Side by side: the second admin's values and the stored ones, each row saying what the form below holds.
    expect(comparisonOf(conflict.text, 'city')).toEqual(['City', '—', 'Toruń', 'their change, kept']);
    expect(comparisonOf(conflict.text, 'phone')).toEqual(['Phone', '—', '600 100 200', 'their change, kept']);
    expect(comparisonOf(conflict.text, 'street')).toEqual(['Street and number', 'ul. Długa 5', '—', 'your change']);
    expect(comparisonOf(conflict.text, 'notes')).toEqual(['Notes', 'Ważna uwaga', '—', 'your change']);
    // Only what differs is listed: the name is the same in both.
    expect(comparisonOf(conflict.text, 'name')).toBeUndefined();
    expect(conflict.text).not.toContain('data-testid="clash-');
    // The form: the first admin's city and phone, the second admin's street and notes, at the stored version.
    expect(conflict.text).toContain('name="version" value="2"');
    expect(valueOf(conflict.text, 'city')).toBe('Toruń');
    expect(valueOf(conflict.text, 'phone')).toBe('600 100 200');
    expect(valueOf(conflict.text, 'street')).toBe('ul. Długa 5');
    expect(conflict.text).toContain('>Ważna uwaga</textarea>');

    const [row] = await customerRows(env.db, tenant);
    expect(row).toMatchObject({ city: 'Toruń', phone: '600 100 200', street: null, notes: null, version: 2 });
    expect((await auditActions(env.db, tenant)).filter((entry) => entry.action === 'customer.updated')).toHaveLength(1);

    // Saved as it stands, the form keeps both people's work.
    const resent = await second.post(`/${tenant.slug}/admin/customers/${customer.id}`).type('form').send(formOf(conflict.text));
    expect(resent.status).toBe(303);
    expect((await customerRows(env.db, tenant))[0]).toMatchObject({ city: 'Toruń', phone: '600 100 200', street: 'ul. Długa 5', notes: 'Ważna uwaga', version: 3 });
  });

  it('shows a field both changed side by side for the person to choose, and saves the choice', async () => {
    const tenant = await makeTenant(env.db);
    const [first, second] = await twoAdmins(tenant);
    const customer = await makeCustomer(env.db, tenant, { name: 'Sporny Klient' });
    const sendFirst = await openEditForm(first, tenant, customer.id);
    const sendSecond = await openEditForm(second, tenant, customer.id);
    expect((await sendFirst(customerFields({ name: customer.name, city: 'Toruń', phone: '600 100 200' }))).status).toBe(303);
    const conflict = await sendSecond(customerFields({ name: customer.name, city: 'Bydgoszcz', email: 'biuro@sporny.example' }));

    expect(conflict.status).toBe(409);
    expect(conflict.text).toContain('One field was changed by both of you');
    expect(comparisonOf(conflict.text, 'city')).toEqual(['City', 'Bydgoszcz', 'Toruń', 'both changed: choose']);
    // The city is a choice: the user's own value ticked, the stored one a click away; no plain city field.
    expect(conflict.text).toMatch(/data-testid="clash-city">[\s\S]*?<input type="radio" id="field-city-mine" name="city" value="Bydgoszcz" checked>[\s\S]*?<input type="radio" id="field-city-theirs" name="city" value="Toruń">/);
    expect(valueOf(conflict.text, 'city')).toBeUndefined();
    expect(valueOf(conflict.text, 'phone')).toBe('600 100 200');
    expect(valueOf(conflict.text, 'email')).toBe('biuro@sporny.example');

    // Taking the stored city: the first admin's city and phone stay, the second admin's e-mail is added.
    const resent = await second.post(`/${tenant.slug}/admin/customers/${customer.id}`).type('form').send({ ...formOf(conflict.text), city: 'Toruń' });
    expect(resent.status).toBe(303);
    expect((await customerRows(env.db, tenant))[0]).toMatchObject({ city: 'Toruń', phone: '600 100 200', email: 'biuro@sporny.example', version: 3 });
  });

  it('saves the user’s own value of a clash when the form is sent as it stands', async () => {
    const tenant = await makeTenant(env.db);
    const [first, second] = await twoAdmins(tenant);
    const customer = await makeCustomer(env.db, tenant, { name: 'Sporny Klient' });
    const sendFirst = await openEditForm(first, tenant, customer.id);
    const sendSecond = await openEditForm(second, tenant, customer.id);
    expect((await sendFirst(customerFields({ name: customer.name, city: 'Toruń', phone: '600 100 200' }))).status).toBe(303);
    const conflict = await sendSecond(customerFields({ name: customer.name, city: 'Bydgoszcz' }));
    expect(conflict.status).toBe(409);
    expect(comparisonOf(conflict.text, 'city')).toEqual(['City', 'Bydgoszcz', 'Toruń', 'both changed: choose']);
    const resent = await second.post(`/${tenant.slug}/admin/customers/${customer.id}`).type('form').send(formOf(conflict.text));
    expect(resent.status).toBe(303);
    const [row] = await customerRows(env.db, tenant);
    // Her own value of the clash, and the other admin's phone kept.
    expect(row).toMatchObject({ city: 'Bydgoszcz', phone: '600 100 200', version: 3 });
  });

  it('takes every differing field as a clash when the form carries no readable base (an old or altered form)', async () => {
    const tenant = await makeTenant(env.db);
    const [first, second] = await twoAdmins(tenant);
    const customer = await makeCustomer(env.db, tenant);
    const sendFirst = await openEditForm(first, tenant, customer.id);
    const sendSecond = await openEditForm(second, tenant, customer.id);
    expect((await sendFirst(customerFields({ name: customer.name, phone: '600 100 200' }))).status).toBe(303);
    const conflict = await sendSecond(customerFields({ name: customer.name, city: 'Kalisz', base: 'not json' }));
    expect(conflict.status).toBe(409);
    expect(conflict.text).toContain('data-testid="clash-phone"');
    expect(conflict.text).toContain('data-testid="clash-city"');
    expect(conflict.text).toMatch(/id="field-phone-mine" name="phone" value="" checked>/);
    expect((await customerRows(env.db, tenant))[0]).toMatchObject({ phone: '600 100 200', city: null });
  });

  it('treats a change of the customer’s settings by another admin as a conflict too', async () => {
    const tenant = await makeTenant(env.db);
    const [first, second] = await twoAdmins(tenant);
    const customer = await makeCustomer(env.db, tenant);
    const sendFirst = await openEditForm(first, tenant, customer.id);
    const sendSecond = await openEditForm(second, tenant, customer.id);
    expect((await sendFirst(customerFields({ name: customer.name, portalAccess: 'off' }))).status).toBe(303);
    const conflict = await sendSecond(customerFields({ name: customer.name, portalAccess: 'on' }));
    expect(conflict.status).toBe(409);
    expect(comparisonOf(conflict.text, 'portalAccess')).toEqual(['Portal access', 'Portal access on', 'Portal access off', 'both changed: choose']);
    const setting = await env.db('settings').where({ tenant_id: tenant.id, level: 'customer', target_id: customer.id, name: 'portal.access' }).first();
    expect(setting.value).toBe('off');
  });

  it('treats a deactivation in the meantime as a conflict, so a stale form cannot reactivate the customer', async () => {
    const tenant = await makeTenant(env.db);
    const [first, second] = await twoAdmins(tenant);
    const customer = await makeCustomer(env.db, tenant);
    const sendStale = await openEditForm(second, tenant, customer.id);
    const token = await csrfTokenFrom(first, `/${tenant.slug}/staff/customers/${customer.id}`);
    expect((await first.post(`/${tenant.slug}/admin/customers/${customer.id}/deactivation`).type('form').send({ _csrf: token, confirmation: 'yes' })).status).toBe(303);
    const conflict = await sendStale(customerFields({ name: customer.name, city: 'Kielce' }));
    expect(conflict.status).toBe(409);
    expect(comparisonOf(conflict.text, 'isActive')).toEqual(['Active customer', 'yes', 'no', 'their change, kept']);
    expect(Boolean((await customerRows(env.db, tenant))[0]!.is_active)).toBe(false);
  });

  it('takes notes sent back with the browser’s CRLF line breaks as unchanged', async () => {
    const tenant = await makeTenant(env.db);
    const [first, second] = await twoAdmins(tenant);
    const customer = await makeCustomer(env.db, tenant);
    const sendFirst = await openEditForm(first, tenant, customer.id);
    const sendSecond = await openEditForm(second, tenant, customer.id);
    expect((await sendFirst(customerFields({ name: customer.name, notes: 'Linia 1\r\nLinia 2' }))).status).toBe(303);
    expect((await customerRows(env.db, tenant))[0]).toMatchObject({ notes: 'Linia 1\nLinia 2' });
    const conflict = await sendSecond(customerFields({ name: customer.name, notes: 'Linia 1\r\nLinia 2', city: 'Łomża' }));
    expect(conflict.status).toBe(409);
    // The same notes with other line breaks are no difference.
    expect(comparisonOf(conflict.text, 'notes')).toBeUndefined();
    expect(comparisonOf(conflict.text, 'city')).toEqual(['City', 'Łomża', '—', 'your change']);
  });

  it('takes a repeated submission of the same save (a double click) as saved, not as a conflict', async () => {
    const tenant = await makeTenant(env.db);
    const [admin] = await twoAdmins(tenant);
    const customer = await makeCustomer(env.db, tenant);
    const send = await openEditForm(admin, tenant, customer.id);
    const fields = customerFields({ name: customer.name, city: 'Elbląg', taxId: '123-456-32-18' });
    const [once, twice] = [await send(fields), await send(fields)];
    expect(once.status).toBe(303);
    expect(twice.status).toBe(303);
    expect((await customerRows(env.db, tenant))[0]).toMatchObject({ city: 'Elbląg', tax_id: '1234563218', version: 2 });
    expect((await auditActions(env.db, tenant)).filter((entry) => entry.action === 'customer.updated')).toHaveLength(1);
  });
});
