import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent } from '../support/http.js';
import { customerFields, customerIdFrom, customerRows, submitNewCustomer } from './customers-helpers.js';

describeOnEachDatabase('registering a customer twice by accident', (env) => {
  it('puts a fresh submission key in every new-customer form', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const keyOf = async () => /name="submissionKey" value="([^"]+)"/.exec((await agent.get(`/${tenant.slug}/admin/customers/new`)).text)?.[1];
    const first = await keyOf();
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(await keyOf()).not.toBe(first);
  });

  it('registers one customer when the same form is sent twice, and answers both with its record', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const fields = customerFields({ name: 'Dwuklik sp. z o.o.', submissionKey: randomUUID() });
    const first = await submitNewCustomer(agent, tenant, fields);
    const second = await submitNewCustomer(agent, tenant, fields);
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(customerIdFrom(second.headers.location)).toBe(customerIdFrom(first.headers.location));
    expect(await customerRows(env.db, tenant)).toHaveLength(1);
  });

  it('registers one customer when the same form arrives twice at the same moment', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(env.app, tenant, admin.login);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/admin/customers/new`);
    const fields = { _csrf: token, ...customerFields({ name: 'Równoczesny sp. z o.o.', email: 'biuro@rownoczesny.example', submissionKey: randomUUID() }), createAccount: 'on' };
    const cookie = (agent as unknown as { jar: { getCookies(access: unknown): { toValueString(): string } } }).jar
      .getCookies({ domain: '127.0.0.1', path: `/${tenant.slug}`, secure: false, script: false })
      .toValueString();
    const send = () => request(env.app).post(`/${tenant.slug}/admin/customers`).set('Cookie', cookie).type('form').send(fields);
    const [one, two] = await Promise.all([send(), send()]);
    expect([one.status, two.status]).toEqual([303, 303]);
    expect(customerIdFrom(one.headers.location)).toBe(customerIdFrom(two.headers.location));
    expect(await customerRows(env.db, tenant)).toHaveLength(1);
    expect(await env.db('users').where({ tenant_id: tenant.id, role: 'client' })).toHaveLength(1);
  });

  it('registers two customers from two separately opened forms, even with the same name', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    await submitNewCustomer(agent, tenant, customerFields({ name: 'Bliźniak sp. z o.o.', submissionKey: randomUUID() }));
    await submitNewCustomer(agent, tenant, customerFields({ name: 'Bliźniak sp. z o.o.', submissionKey: randomUUID() }));
    expect(await customerRows(env.db, tenant)).toHaveLength(2);
  });

  it('keeps submission keys apart per tenant', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const key = randomUUID();
    await submitNewCustomer(await signedInAgent(env.app, other, other.superadmin.login), other, customerFields({ name: 'Obcy sp. z o.o.', submissionKey: key }));
    const response = await submitNewCustomer(await signedInAgent(env.app, tenant, tenant.superadmin.login), tenant, customerFields({ name: 'Swój sp. z o.o.', submissionKey: key }));
    expect(response.status).toBe(303);
    expect((await customerRows(env.db, tenant)).map((row) => row.name)).toEqual(['Swój sp. z o.o.']);
  });
});
