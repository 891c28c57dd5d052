import { expect, it } from 'vitest';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, type Agent } from '../support/http.js';

describeOnEachDatabase('the provider’s details (issue 14)', (env) => {
  const officeOf = (tenant: Tenant) => env.db('tenants').where('id', tenant.id).first('office_email', 'office_phone', 'office_address', 'office_hours');

  async function save(agent: Agent, tenant: Tenant, fields: Record<string, string>) {
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/admin/provider-details`);
    return agent.post(`/${tenant.slug}/admin/provider-details`).type('form').send({ _csrf: token, ...fields });
  }

  const office = { email: 'biuro@serwis.example', phone: '+48 22 100 20 00', address: 'ul. Prosta 1\r\n00-001 Warszawa', hours: 'pon.–pt. 8:00–16:00' };

  it('lets an admin save the office’s contact details, audited by field, which clients then see', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(env.app, tenant, admin.login);
    const form = await agent.get(`/${tenant.slug}/admin/provider-details`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Dane dostawcy');

    const response = await save(agent, tenant, office);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/admin/provider-details`);
    expect(await officeOf(tenant)).toEqual({ office_email: 'biuro@serwis.example', office_phone: '+48 22 100 20 00', office_address: 'ul. Prosta 1\n00-001 Warszawa', office_hours: 'pon.–pt. 8:00–16:00' });
    const [entry] = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'tenant.updated' });
    expect(entry).toMatchObject({ actor_id: admin.id, subject_type: 'tenant', subject_id: tenant.id });
    expect(JSON.parse(entry.details)).toEqual({ fields: ['email', 'phone', 'address', 'hours'] });
    expect((await agent.get(`/${tenant.slug}/admin/provider-details`)).text).toContain('Dane dostawcy zostały zapisane.');
    expect((await agent.get(`/${tenant.slug}/admin`)).text).toContain('mailto:biuro@serwis.example');

    // Saving the same again writes nothing more.
    await save(agent, tenant, office);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'tenant.updated' })).toHaveLength(1);

    const client = await makeUser(env.db, tenant, 'client', { customer: await makeCustomer(env.db, tenant) });
    const start = await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal`);
    expect(start.text).toContain('mailto:biuro@serwis.example');
    expect(start.text).toContain('pon.–pt. 8:00–16:00');
  });

  it('refuses a bad e-mail address and phone with 422, keeps what was typed, and writes nothing', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const response = await save(agent, tenant, { ...office, email: 'biuro(at)serwis', phone: 'zadzwoń' });
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'email')).toBe('Wpisz adres e-mail, na przykład biuro@example.com.');
    expect(fieldErrorOf(response.text, 'phone')).toContain('Wpisz numer telefonu');
    expect(response.text).toContain('value="biuro(at)serwis"');
    expect(response.text).toContain('ul. Prosta 1\r\n00-001 Warszawa</textarea>');
    expect(await officeOf(tenant)).toEqual({ office_email: null, office_phone: null, office_address: null, office_hours: null });
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'tenant.updated' })).toHaveLength(0);

    const tooLong = await save(agent, tenant, { ...office, hours: 'x'.repeat(201) });
    expect(tooLong.status).toBe(422);
    expect(fieldErrorOf(tooLong.text, 'hours')).toBeDefined();
  });

  it('clears a detail left empty', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    await save(agent, tenant, office);
    await save(agent, tenant, { ...office, phone: '  ', hours: '' });
    expect(await officeOf(tenant)).toMatchObject({ office_phone: null, office_hours: null, office_email: 'biuro@serwis.example' });
  });

  it('keeps the page from caretakers and clients with 403, and writes nothing', async () => {
    const tenant = await makeTenant(env.db);
    for (const role of ['caretaker', 'client'] as const) {
      const user = await makeUser(env.db, tenant, role);
      const agent = await signedInAgent(env.app, tenant, user.login);
      expect((await agent.get(`/${tenant.slug}/admin/provider-details`)).status).toBe(403);
      const token = await csrfTokenFrom(agent, `/${tenant.slug}/account`);
      const response = await agent.post(`/${tenant.slug}/admin/provider-details`).type('form').send({ _csrf: token, ...office });
      expect(response.status).toBe(403);
    }
    expect(await officeOf(tenant)).toEqual({ office_email: null, office_phone: null, office_address: null, office_hours: null });
  });
});
