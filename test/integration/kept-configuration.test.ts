import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, expect, it, inject } from 'vitest';
import { createDatabase } from '../../src/db/knex.js';
import { updateOfficeContact } from '../../src/models/provider-details.js';
import { saveSettings } from '../../src/models/settings.js';
import { updateTicketCategory } from '../../src/models/ticket-category-editing.js';
import { statementsDuring } from '../support/apps.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, userScope } from '../support/factories.js';
import { signedInAgent } from '../support/http.js';

/**
 * What a process keeps of a tenant's configuration across requests (Scope.kept, issue 20): the
 * tenant's row, settings and ticket categories cost no statement on a page read again, and a change
 * made by another process (here: the model verbs on a database handle of their own, as another app
 * process would run them) is seen at the very next request, by the version it writes.
 */
describeOnEachDatabase('the tenant configuration kept across requests', (env) => {
  let other: Knex;
  beforeAll(() => {
    other = env.kind === 'mysql' ? createDatabase({ databaseUrl: inject('mysqlUrl')!, poolMax: 2 }) : createDatabase({ sqliteFile: path.join(env.config.dataDirectory, 'test.sqlite') });
  });
  afterAll(async () => {
    await other.destroy();
  });

  async function clientWorld() {
    const tenant = await makeTenant(env.db, { name: 'Serwis Trwały sp. z o.o.' });
    const customer = await makeCustomer(env.db, tenant, { name: 'Omega sp. z o.o.' });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const agent = await signedInAgent(env.app, tenant, client.login);
    return { tenant, customer, client, agent, dashboard: `/${tenant.slug}/portal` };
  }

  it('reads the tenant row, the settings and the categories once, then serves them kept while nothing changed', async () => {
    const { agent, dashboard } = await clientWorld();
    expect((await agent.get(dashboard)).status).toBe(200);
    let text = '';
    const statements = await statementsDuring(env.db, async () => {
      const page = await agent.get(dashboard);
      expect(page.status).toBe(200);
      text = page.text;
    });
    expect(text).toContain('Pytanie');
    expect(statements.filter((sql) => /^select [^(]* from [`"](settings|ticket_categories|tenants)[`"]/.test(sql))).toEqual([]);
    // The version itself is read with the user, in the same statement.
    expect(statements.filter((sql) => /configuration_version/.test(sql))).toHaveLength(1);
  });

  it('shows another process’s change of the categories, the office contact and the settings at the next request', async () => {
    const { tenant, customer, agent, dashboard } = await clientWorld();
    const before = await agent.get(dashboard);
    expect(before.text).toContain('Pytanie');
    expect(before.text).not.toContain('Pytanie o fakturę');
    await agent.get(dashboard);

    const admin = userScope(other, tenant.superadmin);
    const question = await other('ticket_categories').where({ tenant_id: tenant.id, code: 'question' }).first();
    await updateTicketCategory(admin, Number(question.id), { namePl: 'Pytanie o fakturę', nameEn: 'Invoice question', isActive: true, version: Number(question.version) });
    await updateOfficeContact(admin, { email: 'biuro@trwaly.example', phone: '+48 22 555 01 02', address: null, hours: null });
    const renamed = await agent.get(dashboard);
    expect(renamed.status).toBe(200);
    expect(renamed.text).toContain('Pytanie o fakturę');
    expect(renamed.text).toContain('+48 22 555 01 02');

    // Portal access taken from the customer: the kept settings give way, and the client is signed out at once.
    await saveSettings(admin, 'customer', customer.id, { 'portal.access': 'off' });
    const refused = await agent.get(dashboard);
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toMatch(/\/login/);
  });

  it('saves settings of one tenant at the same moment without a deadlock, each renewing the version', async () => {
    const { tenant } = await clientWorld();
    const customers = await Promise.all(Array.from({ length: 8 }, (_, index) => makeCustomer(env.db, tenant, { name: `Równoległa ${index} sp. z o.o.` })));
    const before = await env.db('tenant_configuration_versions').where('tenant_id', tenant.id).first('version');
    // On MySQL each insert into settings holds the tenant's row in share mode: a version written there
    // made two of these wait for each other's lock, and MySQL rolled one back.
    const admin = userScope(env.db, tenant.superadmin);
    await Promise.all(customers.map((customer) => saveSettings(admin, 'customer', customer.id, { 'portal.access': 'off' })));
    const after = await env.db('tenant_configuration_versions').where('tenant_id', tenant.id).first('version');
    expect(after.version).not.toBe(before.version);
    expect(await env.db('settings').where({ tenant_id: tenant.id, level: 'customer', name: 'portal.access' }).count({ count: '*' }).first()).toMatchObject({ count: 8 });
  });

  it('keeps each tenant’s configuration apart, each with a version of its own', async () => {
    const first = await clientWorld();
    const second = await clientWorld();
    const admin = userScope(other, second.tenant.superadmin);
    await updateOfficeContact(admin, { email: null, phone: '+48 61 700 80 90', address: null, hours: null });
    await first.agent.get(first.dashboard);
    expect((await second.agent.get(second.dashboard)).text).toContain('+48 61 700 80 90');
    expect((await first.agent.get(first.dashboard)).text).not.toContain('+48 61 700 80 90');
    const versions = await env.db('tenant_configuration_versions').whereIn('tenant_id', [first.tenant.id, second.tenant.id]).pluck('version');
    expect(new Set(versions).size).toBe(2);
  });
});
