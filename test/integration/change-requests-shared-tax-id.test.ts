import { expect, it } from 'vitest';
import type { Customer } from '../../src/models/customer.js';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent, type Agent } from '../support/http.js';
import { formOf } from './customers-helpers.js';

/** A13 meets D1: a change request that gives its customer a tax id another customer has is approved only once confirmed. */
describeOnEachDatabase('change requests: approving a tax id another customer already has', (env) => {
  async function customerWith(tenant: Tenant, name: string, taxId: string | null): Promise<Customer> {
    const customer = await makeCustomer(env.db, tenant, { name });
    await env.db('customers').where('id', customer.id).update({ tax_country: 'PL', tax_id: taxId });
    return customer;
  }

  async function requestTaxId(tenant: Tenant, customer: Customer, taxId: string): Promise<number> {
    const client = await signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'client', { customer })).login);
    const form = await client.get(`/${tenant.slug}/portal/company/change-requests/new`);
    const sent = await client.post(`/${tenant.slug}/portal/company/change-requests`).type('form').send({ ...formOf(form.text, 'name="taxId"'), taxId });
    expect(sent.status).toBe(303);
    return Number((await env.db('customer_change_requests').where('customer_id', customer.id).orderBy('id', 'desc').first()).id);
  }

  async function adminOf(tenant: Tenant): Promise<Agent> {
    return signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'admin')).login);
  }

  const approve = async (agent: Agent, tenant: Tenant, requestId: number, fields: Record<string, string> = {}) => {
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/staff/change-requests/${requestId}`);
    return agent.post(`/${tenant.slug}/staff/change-requests/${requestId}/approval`).set('Accept-Language', 'pl').type('form').send({ _csrf: token, ...fields });
  };
  const statusOf = async (requestId: number) => (await env.db('customer_change_requests').where('id', requestId).first()).status;
  const taxIdOf = async (customer: Customer) => (await env.db('customers').where('id', customer.id).first()).tax_id;

  it('names the customers that have the tax id on the request’s page, before the decision', async () => {
    const tenant = await makeTenant(env.db);
    const branch = await customerWith(tenant, 'Alfa Oddział Kraków', '5260250274');
    const customer = await customerWith(tenant, 'Alfa Oddział Gdańsk', null);
    const requestId = await requestTaxId(tenant, customer, '526-025-02-74');
    const admin = await adminOf(tenant);

    const page = await admin.get(`/${tenant.slug}/staff/change-requests/${requestId}`).set('Accept-Language', 'pl');

    expect(page.status).toBe(200);
    const warning = page.text.split('data-testid="shared-tax-id"')[1]!.split('</div>')[0]!;
    expect(warning).toContain('Po zatwierdzeniu ten klient będzie miał identyfikator podatkowy, który ma już inny klient:');
    expect(warning).toContain(`href="/${tenant.slug}/staff/customers/${branch.id}">Alfa Oddział Kraków</a>`);
    expect(page.text).toContain('name="sharedTaxIdConfirmed"');
  });

  it('refuses the approval without the confirmation, however it is posted, and writes nothing', async () => {
    const tenant = await makeTenant(env.db);
    await customerWith(tenant, 'Alfa Oddział Kraków', '5260250274');
    const customer = await customerWith(tenant, 'Alfa Oddział Gdańsk', null);
    const requestId = await requestTaxId(tenant, customer, '5260250274');
    const admin = await adminOf(tenant);

    const refused = await approve(admin, tenant, requestId);

    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Zaznacz, że identyfikator podatkowy ma być wspólny, albo odrzuć wniosek.');
    expect(refused.text).toContain('Alfa Oddział Kraków');
    expect(await statusOf(requestId)).toBe('pending');
    expect(await taxIdOf(customer)).toBeNull();
    expect(await env.db('outbox').where({ tenant_id: tenant.id, template: 'change-request-approved' })).toHaveLength(0);

    const approved = await approve(admin, tenant, requestId, { sharedTaxIdConfirmed: 'on' });

    expect(approved.status).toBe(303);
    expect(await statusOf(requestId)).toBe('approved');
    expect(await taxIdOf(customer)).toBe('5260250274');
  });

  it('asks nothing when the tax id is no other customer’s (another tenant’s customer does not count)', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    await customerWith(other, 'Obcy', '5260250274');
    const customer = await customerWith(tenant, 'Alfa', null);
    const requestId = await requestTaxId(tenant, customer, '5260250274');
    const admin = await adminOf(tenant);

    const page = await admin.get(`/${tenant.slug}/staff/change-requests/${requestId}`);
    expect(page.text).not.toContain('data-testid="shared-tax-id"');
    expect(page.text).not.toContain('Obcy');
    const approved = await approve(admin, tenant, requestId);

    expect(approved.status).toBe(303);
    expect(await taxIdOf(customer)).toBe('5260250274');
  });
});
