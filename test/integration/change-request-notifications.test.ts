import { expect, it } from 'vitest';
import type { Customer } from '../../src/models/customer.js';
import type { Tenant } from '../../src/models/tenant.js';
import type { User } from '../../src/models/user.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, renewConfigurationVersion } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, type Agent } from '../support/http.js';
import { latestMailTo } from '../support/mail.js';

describeOnEachDatabase('staff told of change requests by e-mail (issue 14)', (env) => {
  async function fileRequest(tenant: Tenant, customer: Customer): Promise<{ client: User; requestId: number }> {
    const client = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Anna', lastName: 'Nowak' });
    const agent = await signedInAgent(env.app, tenant, client.login);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/portal/company/change-requests/new`);
    const response = await agent.post(`/${tenant.slug}/portal/company/change-requests`).type('form').send({ _csrf: token, street: 'ul. Nowa 2', postalCode: '00-001', city: 'Warszawa', country: 'PL', taxId: '', bankAccount: '' });
    expect(response.status).toBe(303);
    const row = await env.db('customer_change_requests').where('customer_id', customer.id).orderBy('id', 'desc').first();
    return { client, requestId: Number(row.id) };
  }

  const outboxOf = (tenant: Tenant) => env.db('outbox').where('tenant_id', tenant.id).whereIn('template', ['change-request-filed', 'change-request-filed-office']);

  async function switchNotices(agent: Agent, tenant: Tenant, value: string) {
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/account/notifications`);
    return agent.post(`/${tenant.slug}/account/notifications`).type('form').send({ _csrf: token, changeRequests: value, tickets: 'on' });
  }

  it('e-mails the caretaker in their language, by name, naming the customer and linking to the request', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Karolina', lastName: 'Zielińska' });
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.', caretaker });
    const { requestId } = await fileRequest(tenant, customer);
    // The message is about the customer (a purge of it takes the message), though a member of staff receives it.
    expect((await outboxOf(tenant)).map((row) => ({ userId: Number(row.recipient_user_id), customerId: Number(row.customer_id) }))).toEqual([{ userId: caretaker.id, customerId: customer.id }]);
    const mail = await latestMailTo(env, caretaker.email!);
    expect(mail.subject).toContain('Alfa sp. z o.o. prosi o zmianę danych');
    expect(mail.text).toContain('Dzień dobry Karolina,');
    expect(mail.text).toContain('Anna Nowak z firmy Alfa sp. z o.o.');
    expect(mail.text).toContain(`${env.config.baseUrl}/${tenant.slug}/staff/change-requests/${requestId}`);

    const englishCaretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Kate', lastName: 'Green', locale: 'en' });
    await fileRequest(tenant, await makeCustomer(env.db, tenant, { name: 'Beta Ltd', caretaker: englishCaretaker }));
    const english = await latestMailTo(env, englishCaretaker.email!);
    expect(english.subject).toContain('Beta Ltd asks for a change of data');
    expect(english.text).toContain('Hello Kate,');
  });

  it('sends nothing to a caretaker who switched it off on their account, and the choice is audited', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const form = await agent.get(`/${tenant.slug}/account/notifications`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('id="field-changeRequests-on" name="changeRequests" value="on" checked');
    const saved = await switchNotices(agent, tenant, 'off');
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/${tenant.slug}/account`);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'settings.changed', subject_type: 'user', subject_id: caretaker.id })).toHaveLength(1);
    expect((await agent.get(`/${tenant.slug}/account/notifications`)).text).toContain('value="off" checked');

    const { requestId } = await fileRequest(tenant, await makeCustomer(env.db, tenant, { caretaker }));
    expect(await env.db('customer_change_requests').where('id', requestId).first()).toBeDefined();
    expect(await outboxOf(tenant)).toHaveLength(0);
  });

  it('refuses a choice that is neither on nor off with 422, and changes nothing', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const response = await switchNotices(agent, tenant, 'sometimes');
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'changeRequests')).toBe('Zaznacz, czy chcesz dostawać te wiadomości.');
    expect(await env.db('settings').where({ tenant_id: tenant.id, level: 'account', target_id: caretaker.id })).toHaveLength(0);
  });

  it('e-mails the office when the customer has no caretaker, or an inactive one', async () => {
    const tenant = await makeTenant(env.db);
    await env.db('tenants').where('id', tenant.id).update({ office_email: 'biuro@serwis.example' });
    await renewConfigurationVersion(env.db, tenant);
    const orphan = await makeCustomer(env.db, tenant, { name: 'Bez Opiekuna sp. z o.o.' });
    await fileRequest(tenant, orphan);
    const mail = await latestMailTo(env, 'biuro@serwis.example');
    expect(mail.subject).toContain('(brak opiekuna)');
    expect(mail.text).toMatch(/^Dzień dobry,\n/);
    expect(mail.text).toContain('Bez Opiekuna sp. z o.o.');

    const former = await makeUser(env.db, tenant, 'caretaker');
    await env.db('users').where('id', former.id).update({ is_active: false });
    const formerCustomer = await makeCustomer(env.db, tenant, { caretaker: former });
    await fileRequest(tenant, formerCustomer);
    const sent = await outboxOf(tenant).orderBy('id');
    expect(sent.map((row) => ({ to: row.recipient, customerId: Number(row.customer_id) }))).toEqual([
      { to: 'biuro@serwis.example', customerId: orphan.id },
      { to: 'biuro@serwis.example', customerId: formerCustomer.id },
    ]);
  });

  it('e-mails nobody, and still keeps the request, when there is neither a caretaker nor an office address', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant);
    await fileRequest(tenant, customer);
    expect(await env.db('customer_change_requests').where('customer_id', customer.id)).toHaveLength(1);
    expect(await env.db('outbox').where('tenant_id', tenant.id)).toHaveLength(0);
  });

  it('sends one message for a request sent twice', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const agent = await signedInAgent(env.app, tenant, client.login);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/portal/company/change-requests/new`);
    const form = { _csrf: token, street: 'ul. Nowa 2', postalCode: '', city: '', country: 'PL', taxId: '', bankAccount: '' };
    for (let round = 0; round < 2; round += 1) expect((await agent.post(`/${tenant.slug}/portal/company/change-requests`).type('form').send(form)).status).toBe(303);
    expect(await outboxOf(tenant)).toHaveLength(1);
  });

  it('offers clients no switch for change requests: they are never told of them (their page has their ticket e-mail only, issue 15)', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    const page = await agent.get(`/${tenant.slug}/account/notifications`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('name="changeRequests"');
  });
});
