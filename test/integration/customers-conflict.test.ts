import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent, type Agent } from '../support/http.js';
import { auditActions, customerFields, customerRows } from './customers-helpers.js';

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
    const version = /name="version" value="(\d+)"/.exec(form.text)![1]!;
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/admin/customers/${customerId}/edit`);
    return (fields: Record<string, string>) =>
      agent.post(`/${tenant.slug}/admin/customers/${customerId}`).set('Accept-Language', 'en').type('form').send({ _csrf: token, version, ...fields });
  }

  it('answers the second save with 409, both versions side by side and the form with the user’s values, overwriting nothing', async () => {
    const tenant = await makeTenant(env.db);
    const [first, second] = await twoAdmins(tenant);
    const customer = await makeCustomer(env.db, tenant, { name: 'Wspólny Klient' });
    const sendFirst = await openEditForm(first, tenant, customer.id);
    const sendSecond = await openEditForm(second, tenant, customer.id);

    expect((await sendFirst(customerFields({ name: 'Wspólny Klient', city: 'Toruń', phone: '600 100 200' }))).status).toBe(303);
    const conflict = await sendSecond(customerFields({ name: 'Wspólny Klient', city: 'Bydgoszcz', notes: 'Ważna uwaga' }));

    expect(conflict.status).toBe(409);
    expect(conflict.text).toContain('Someone else saved this customer in the meantime');
    expect(conflict.text).toMatch(/data-testid="compare-city" data-differs="true">[\s\S]*?<td class="preserve-lines">Bydgoszcz<\/td>\s*<td class="preserve-lines">Toruń<\/td>/);
    expect(conflict.text).toMatch(/data-testid="compare-phone" data-differs="true">[\s\S]*?<td class="preserve-lines">—<\/td>\s*<td class="preserve-lines">600 100 200<\/td>/);
    expect(conflict.text).toMatch(/data-testid="compare-notes" data-differs="true">/);
    expect(conflict.text).toMatch(/data-testid="compare-name">/);
    // The form holds the second admin's values and the version now stored, to save over it on purpose.
    expect(conflict.text).toContain('name="version" value="2"');
    expect(conflict.text).toContain('value="Bydgoszcz"');
    expect(conflict.text).toContain('>Ważna uwaga</textarea>');

    const [row] = await customerRows(env.db, tenant);
    expect(row).toMatchObject({ city: 'Toruń', phone: '600 100 200', notes: null, version: 2 });
    expect((await auditActions(env.db, tenant)).filter((entry) => entry.action === 'customer.updated')).toHaveLength(1);

    // Deciding to keep their own version, the second admin sends the form from the conflict page.
    const token = /name="_csrf" value="([^"]+)"/.exec(conflict.text)![1]!;
    const resent = await second
      .post(`/${tenant.slug}/admin/customers/${customer.id}`)
      .type('form')
      .send({ _csrf: token, ...customerFields({ name: 'Wspólny Klient', city: 'Bydgoszcz', notes: 'Ważna uwaga', version: '2' }) });
    expect(resent.status).toBe(303);
    expect((await customerRows(env.db, tenant))[0]).toMatchObject({ city: 'Bydgoszcz', phone: null, notes: 'Ważna uwaga', version: 3 });
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
    expect(conflict.text).toMatch(/data-testid="compare-portalAccess" data-differs="true">[\s\S]*?Portal access on<\/td>\s*<td class="preserve-lines">Portal access off<\/td>/);
    const setting = await env.db('settings').where({ tenant_id: tenant.id, level: 'customer', target_id: customer.id, name: 'portal.access' }).first();
    expect(setting.value).toBe('off');
  });

  it('treats a deactivation in the meantime as a conflict, so a stale form cannot reactivate the customer', async () => {
    const tenant = await makeTenant(env.db);
    const [first, second] = await twoAdmins(tenant);
    const customer = await makeCustomer(env.db, tenant);
    const sendStale = await openEditForm(second, tenant, customer.id);
    const token = await csrfTokenFrom(first, `/${tenant.slug}/staff/customers/${customer.id}`);
    expect((await first.post(`/${tenant.slug}/admin/customers/${customer.id}/deactivation`).type('form').send({ _csrf: token })).status).toBe(303);
    const conflict = await sendStale(customerFields({ name: customer.name, city: 'Kielce' }));
    expect(conflict.status).toBe(409);
    expect(conflict.text).toMatch(/data-testid="compare-isActive" data-differs="true">/);
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
    expect(conflict.text).toMatch(/data-testid="compare-notes">/);
    expect(conflict.text).toMatch(/data-testid="compare-city" data-differs="true">/);
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
