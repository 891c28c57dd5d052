import request from 'supertest';
import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, testPassword } from '../support/factories.js';
import { csrfTokenFrom, formErrorOf, signedInAgent, submitSignIn } from '../support/http.js';
import { auditActions, customerRows, formOf } from './customers-helpers.js';

/** D1: deactivating a customer is asked about first, with what it does to the customer's people. */
describeOnEachDatabase('customers: deactivation asks for confirmation', (env) => {
  async function setUp() {
    const tenant = await makeTenant(env.db, { name: 'Serwis Wózków' });
    const admin = await makeUser(env.db, tenant, 'admin');
    const customer = await makeCustomer(env.db, tenant, { name: 'Hurtownia Łęczyca' });
    const agent = await signedInAgent(env.app, tenant, admin.login);
    return { tenant, customer, agent, confirmationPath: `/${tenant.slug}/admin/customers/${customer.id}/deactivation/new` };
  }

  it('says what happens to the customer’s people, with the number of accounts shut out, in English and Polish', async () => {
    const { tenant, customer, agent, confirmationPath } = await setUp();
    const clients = [await makeUser(env.db, tenant, 'client', { customer }), await makeUser(env.db, tenant, 'client', { customer })];
    const former = await makeUser(env.db, tenant, 'client', { customer });
    await env.db('users').where('id', former.id).update({ is_active: false });

    const english = await agent.get(confirmationPath).set('Accept-Language', 'en');
    expect(english.status).toBe(200);
    expect(english.text).toContain('<h1>Deactivate Hurtownia Łęczyca?</h1>');
    expect(english.text).toMatch(/data-testid="affected-accounts">Its 2 active portal accounts can no longer sign in\.</);
    expect(english.text).toContain('Anyone of its people signed in now is signed out at their next click.');
    expect(english.text).toContain('once the customer is reactivated, the accounts can sign in again');
    expect(english.text).toContain(`action="/${tenant.slug}/admin/customers/${customer.id}/deactivation"`);
    expect(english.text).toContain(`href="/${tenant.slug}/staff/customers/${customer.id}"`);
    const polish = await agent.get(confirmationPath).set('Accept-Language', 'pl');
    expect(polish.text).toContain('Dezaktywować klienta Hurtownia Łęczyca?');
    expect(polish.text).toContain('Jego 2 aktywne konta w portalu stracą możliwość logowania.');
    // Opening the page changes nothing.
    expect(Boolean((await customerRows(env.db, tenant))[0]!.is_active)).toBe(true);

    // Confirmed: what the page said holds. A client's right password now gets the no-access answer.
    const confirmed = await agent.post(`/${tenant.slug}/admin/customers/${customer.id}/deactivation`).type('form').send(formOf(english.text, 'name="confirmation"'));
    expect(confirmed.status).toBe(303);
    expect(Boolean((await customerRows(env.db, tenant))[0]!.is_active)).toBe(false);
    const refused = await submitSignIn(request.agent(env.app), tenant, clients[0]!.login, testPassword, { 'Accept-Language': 'en' });
    expect(refused.status).toBe(403);
    expect(formErrorOf(refused.text)).toContain('has no access to the portal');
    expect(await env.db('users').where({ customer_id: customer.id, is_active: true })).toHaveLength(2);
  });

  it('signs out a client who is signed in when the customer is deactivated, at their next request', async () => {
    const { tenant, customer, agent } = await setUp();
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const clientAgent = await signedInAgent(env.app, tenant, client.login);
    expect((await clientAgent.get(`/${tenant.slug}/portal`)).status).toBe(200);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/staff`);
    expect((await agent.post(`/${tenant.slug}/admin/customers/${customer.id}/deactivation`).type('form').send({ _csrf: token, confirmation: 'yes' })).status).toBe(303);
    const next = await clientAgent.get(`/${tenant.slug}/portal`);
    expect(next.status).toBe(303);
    expect(next.headers.location).toMatch(new RegExp(`^/${tenant.slug}/login`));
  });

  it('says when no one loses access, and that the customer is inactive already', async () => {
    const { tenant, customer, agent, confirmationPath } = await setUp();
    const page = await agent.get(confirmationPath).set('Accept-Language', 'en');
    expect(page.text).toMatch(/data-testid="affected-accounts">It has no active portal accounts, so no one loses access\.</);
    await env.db('customers').where('id', customer.id).update({ is_active: false });
    const inactive = await agent.get(confirmationPath).set('Accept-Language', 'en');
    expect(inactive.status).toBe(200);
    expect(inactive.text).toContain('This customer is already deactivated.');
    expect(inactive.text).not.toContain(`action="/${tenant.slug}/admin/customers/${customer.id}/deactivation"`);
  });

  it('refuses a deactivation posted without the confirmation (a stale page, a forged form) with 422 and the confirmation page, writing nothing', async () => {
    const { tenant, customer, agent } = await setUp();
    await makeUser(env.db, tenant, 'client', { customer });
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/staff/customers/${customer.id}`);
    for (const fields of [{}, { confirmation: 'no' }, { confirmation: '' }]) {
      const response = await agent.post(`/${tenant.slug}/admin/customers/${customer.id}/deactivation`).set('Accept-Language', 'en').type('form').send({ _csrf: token, ...fields });
      expect(response.status).toBe(422);
      expect(response.text).toContain('Deactivating needs your confirmation');
      expect(response.text).toContain('Its one active portal account can no longer sign in.');
    }
    const [row] = await customerRows(env.db, tenant);
    expect(Boolean(row!.is_active)).toBe(true);
    expect(row!.version).toBe(1);
    expect(await auditActions(env.db, tenant)).toEqual([]);
  });

  it('refuses the confirmation page to a caretaker of the customer with 403 and hides another tenant’s customer with 404', async () => {
    const { tenant, confirmationPath } = await setUp();
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    await env.db('customers').where('tenant_id', tenant.id).update({ caretaker_id: caretaker.id });
    expect((await (await signedInAgent(env.app, tenant, caretaker.login)).get(confirmationPath)).status).toBe(403);
    const other = await makeTenant(env.db);
    const foreign = await makeCustomer(env.db, other, { name: 'Cudzy' });
    const admin = await setUp();
    const refused = await admin.agent.get(`/${admin.tenant.slug}/admin/customers/${foreign.id}/deactivation/new`);
    expect(refused.status).toBe(404);
    expect(refused.text).not.toContain('Cudzy');
  });

  it('cannot be done from the edit form: the form only links to the confirmation, and a forged unticked field changes nothing', async () => {
    const { tenant, customer, agent, confirmationPath } = await setUp();
    const editPath = `/${tenant.slug}/admin/customers/${customer.id}/edit`;
    const edit = await agent.get(editPath).set('Accept-Language', 'en');
    expect(edit.text).not.toContain('type="checkbox" id="field-isActive"');
    expect(edit.text).toMatch(/data-testid="customer-active-state">\s*The customer is active\./);
    expect(edit.text).toContain(`href="${confirmationPath}"`);
    const fields = formOf(edit.text);
    const saved = await agent.post(`/${tenant.slug}/admin/customers/${customer.id}`).type('form').send({ ...fields, isActive: '', city: 'Łęczyca' });
    expect(saved.status).toBe(303);
    const [row] = await customerRows(env.db, tenant);
    expect(row).toMatchObject({ city: 'Łęczyca' });
    expect(Boolean(row!.is_active)).toBe(true);
    expect((await auditActions(env.db, tenant)).map((entry) => entry.action)).toEqual(['customer.updated']);
  });
});
