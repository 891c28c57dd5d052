import { expect, it } from 'vitest';
import { createGroup, moveAccountsToGroup } from '../../src/models/group.js';
import { saveSettings } from '../../src/models/settings.js';
import type { Tenant } from '../../src/models/tenant.js';
import type { User } from '../../src/models/user.js';
import { statementsDuring } from '../support/apps.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, uniqueName } from '../support/factories.js';
import { signedInAgent, submitSignIn } from '../support/http.js';
import request from 'supertest';

/**
 * The layered settings as pages show them (D5): the value in force and where it comes from, per
 * customer and per account, and the customer list's portal filter that follows the groups.
 */
describeOnEachDatabase('settings in layers on the pages that show them (D5)', (env) => {
  const english = { 'Accept-Language': 'en' };
  const textOf = (html: string, testId: string) => new RegExp(`data-testid="${testId}">([\\s\\S]*?)</(dd|li|td|p)>`).exec(html)?.[1]?.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();

  /** A tenant whose portal is for selected customers only, with a VIP group that has it on. */
  async function selectiveTenant() {
    const tenant = await makeTenant(env.db);
    const scope = scopeFor(env.db, tenant);
    await saveSettings(scope, 'tenant', 0, { 'portal.access': 'off' });
    const vip = await createGroup(scope, uniqueName('VIP'));
    await saveSettings(scope, 'group', vip.id, { 'portal.access': 'on' });
    return { tenant, scope, vip };
  }

  async function clientIn(tenant: Tenant, customer: Awaited<ReturnType<typeof makeCustomer>>, groupId?: number, name = 'Anna'): Promise<User> {
    const client = await makeUser(env.db, tenant, 'client', { customer, firstName: name, lastName: uniqueName('Nowak') });
    if (groupId) await moveAccountsToGroup(scopeFor(env.db, tenant), [client.id], groupId);
    return client;
  }

  it('shows on the customer’s record each account’s portal access with its source, as sign-in decides it', async () => {
    const { tenant, vip } = await selectiveTenant();
    const customer = await makeCustomer(env.db, tenant);
    const inVip = await clientIn(tenant, customer, vip.id, 'Vera');
    const inClients = await clientIn(tenant, customer, undefined, 'Cezary');
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const record = await admin.get(`/${tenant.slug}/staff/customers/${customer.id}`).set(english);
    expect(textOf(record.text, 'setting-portalAccess')).toMatch(/^off \(the portal setting\)/);
    expect(textOf(record.text, `portal-account-${inVip.id}`)).toBe(`Vera ${inVip.lastName}: on (set for the group ${vip.name})`);
    expect(textOf(record.text, `portal-account-${inClients.id}`)).toBe(`Cezary ${inClients.lastName}: off (the portal setting)`);
    // What the record says is what sign-in does.
    expect((await submitSignIn(request.agent(env.app), tenant, inVip.login)).status).toBe(303);
    expect((await submitSignIn(request.agent(env.app), tenant, inClients.login)).status).toBe(403);
  });

  it('shows one value for all when the customer has its own, without the per-account list', async () => {
    const { tenant, scope, vip } = await selectiveTenant();
    const customer = await makeCustomer(env.db, tenant);
    await clientIn(tenant, customer, vip.id);
    await saveSettings(scope, 'customer', customer.id, { 'portal.access': 'off' });
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const record = await admin.get(`/${tenant.slug}/staff/customers/${customer.id}`).set(english);
    expect(textOf(record.text, 'setting-portalAccess')).toBe('off (set for the customer)');
    expect(record.text).not.toContain('data-testid="portal-per-account"');
  });

  it('filters the customer list by the access its people have, groups included', async () => {
    const { tenant, scope, vip } = await selectiveTenant();
    const allIn = await makeCustomer(env.db, tenant, { name: uniqueName('A-all-in') });
    await clientIn(tenant, allIn, vip.id);
    const noneIn = await makeCustomer(env.db, tenant, { name: uniqueName('B-none-in') });
    await clientIn(tenant, noneIn);
    const someIn = await makeCustomer(env.db, tenant, { name: uniqueName('C-some-in') });
    await clientIn(tenant, someIn, vip.id);
    await clientIn(tenant, someIn);
    const ownValue = await makeCustomer(env.db, tenant, { name: uniqueName('D-own-value') });
    await clientIn(tenant, ownValue);
    await saveSettings(scope, 'customer', ownValue.id, { 'portal.access': 'on' });
    const noAccounts = await makeCustomer(env.db, tenant, { name: uniqueName('E-no-accounts') });

    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const namesFor = async (portal: string) => {
      const page = await admin.get(`/${tenant.slug}/staff/customers?portal=${portal}`).set(english);
      return [...page.text.matchAll(/data-testid="customer-name">([^<]+)</g)].map((match) => match[1]);
    };
    expect(await namesFor('on')).toEqual([allIn.name, ownValue.name]);
    expect(await namesFor('off')).toEqual([noneIn.name, noAccounts.name]);
    expect(await namesFor('mixed')).toEqual([someIn.name]);
    const all = await admin.get(`/${tenant.slug}/staff/customers`).set(english);
    expect([...all.text.matchAll(/data-testid="portal-state">(?:<span[^>]*>)?([^<]+)</g)].map((match) => match[1])).toEqual(['Yes', 'No', 'Some accounts', 'Yes', 'No']);

    // A new account of a customer without accounts would join CLIENTS: its override counts.
    const clients = (await env.db('groups').where({ tenant_id: tenant.id, is_default: true }).first()) as { id: number };
    await saveSettings(scope, 'group', clients.id, { 'portal.access': 'on' });
    expect(await namesFor('on')).toEqual([allIn.name, noneIn.name, someIn.name, ownValue.name, noAccounts.name]);
  });

  it('shows on an account’s page its portal access and landing page in force, with their sources', async () => {
    const { tenant, scope, vip } = await selectiveTenant();
    await saveSettings(scope, 'tenant', 0, { 'account.landing_page': 'last' });
    const customer = await makeCustomer(env.db, tenant);
    const client = await clientIn(tenant, customer, vip.id);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = await admin.get(`/${tenant.slug}/admin/accounts/${client.id}`).set(english);
    expect(textOf(page.text, 'account-setting-portal.access')).toBe(`on (set for the group ${vip.name})`);
    expect(textOf(page.text, 'account-setting-account.landing_page')).toBe('the last page visited (the portal setting)');
    const staffPage = await admin.get(`/${tenant.slug}/admin/accounts/${tenant.superadmin.id}`).set(english);
    expect(staffPage.text).not.toContain('data-testid="account-setting-portal.access"');
  });

  it('lands a user where the tenant’s default says until they choose, and shows in the profile where the choice comes from', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    await saveSettings(scopeFor(env.db, tenant), 'tenant', 0, { 'account.landing_page': 'last' });
    const agent = await signedInAgent(env.app, tenant, client.login);
    await agent.get(`/${tenant.slug}/portal/company`);
    const again = await submitSignIn(request.agent(env.app), tenant, client.login);
    expect(again.headers.location).toBe(`/${tenant.slug}/portal/company`);
    const profile = await agent.get(`/${tenant.slug}/account/profile/edit`).set(english);
    expect(textOf(profile.text, 'in-force-landingPage')).toBe('In force: the last page visited (the portal setting)');
  });

  it('reads the settings table once on a signed-in client’s page, however many times the request asks', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    const statements = await statementsDuring(env.db, () => agent.get(`/${tenant.slug}/portal`));
    expect(statements.filter((sql) => /from [`"]?settings[`"]?/i.test(sql))).toHaveLength(1);
  });
});
