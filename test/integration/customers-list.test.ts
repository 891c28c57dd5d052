import { expect, it } from 'vitest';
import { createCustomer } from '../../src/models/customer.js';
import { saveSettings } from '../../src/models/settings.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, type TestTenant } from '../support/factories.js';
import { signedInAgent } from '../support/http.js';
import { listedNames, validNip } from './customers-helpers.js';

describeOnEachDatabase('customers: the staff list and record (D1, A2)', (env) => {
  async function adminAgent(tenant: TestTenant) {
    return signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'admin')).login);
  }

  const listOf = async (agent: Awaited<ReturnType<typeof adminAgent>>, tenant: TestTenant, query = '') => {
    const response = await agent.get(`/${tenant.slug}/staff/customers${query}`).set('Accept-Language', 'en');
    expect(response.status).toBe(200);
    return response;
  };

  it('shows a caretaker only the customers assigned to them, and an admin all of them', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const colleague = await makeUser(env.db, tenant, 'caretaker');
    await makeCustomer(env.db, tenant, { name: 'Mój Klient', caretaker });
    await makeCustomer(env.db, tenant, { name: 'Klient Kolegi', caretaker: colleague });
    await makeCustomer(env.db, tenant, { name: 'Klient Bez Opiekuna' });
    const mine = await listOf(await signedInAgent(env.app, tenant, caretaker.login), tenant);
    expect(listedNames(mine.text)).toEqual(['Mój Klient']);
    expect(mine.text).not.toContain('name="caretaker"');
    expect(mine.text).not.toContain('/admin/customers/new');
    // Even asking for another caretaker's customers by the filter shows only their own.
    const asked = await listOf(await signedInAgent(env.app, tenant, caretaker.login), tenant, `?caretaker=${colleague.id}`);
    expect(listedNames(asked.text)).toEqual([]);
    const all = await listOf(await adminAgent(tenant), tenant);
    expect(listedNames(all.text)).toEqual(['Klient Bez Opiekuna', 'Klient Kolegi', 'Mój Klient']);
    expect(all.text).toContain(`href="/${tenant.slug}/admin/customers/new"`);
  });

  it('opens a caretaker’s own customer with the Accounts tab, and answers 404 for a colleague’s or another tenant’s', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const colleague = await makeUser(env.db, tenant, 'caretaker');
    const own = await makeCustomer(env.db, tenant, { name: 'Mój Klient', caretaker });
    const colleagues = await makeCustomer(env.db, tenant, { name: 'Klient Kolegi', caretaker: colleague });
    const foreign = await makeCustomer(env.db, other, { name: 'Cudzy Klient' });
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const record = await agent.get(`/${tenant.slug}/staff/customers/${own.id}`).set('Accept-Language', 'en');
    expect(record.status).toBe(200);
    expect(record.text).toContain('<h1>Mój Klient');
    expect(record.text).toContain(`href="/${tenant.slug}/staff/customers/${own.id}/accounts"`);
    expect(record.text).not.toContain('/edit"');
    expect(record.text).not.toContain('/deactivation"');
    for (const id of [colleagues.id, foreign.id, 999999]) {
      const refused = await agent.get(`/${tenant.slug}/staff/customers/${id}`);
      expect(refused.status).toBe(404);
      expect(refused.text).not.toContain('Klient Kolegi');
      expect(refused.text).not.toContain('Cudzy Klient');
    }
  });

  it('shows admins the record with the Accounts tab, the edit link and the way to the deactivation’s confirmation', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant, { name: 'Dowolny Klient' });
    const record = await (await adminAgent(tenant)).get(`/${tenant.slug}/staff/customers/${customer.id}`).set('Accept-Language', 'pl');
    expect(record.status).toBe(200);
    expect(record.text).toContain(`/staff/customers/${customer.id}/accounts"`);
    expect(record.text).toContain(`href="/${tenant.slug}/admin/customers/${customer.id}/edit"`);
    expect(record.text).toContain(`href="/${tenant.slug}/admin/customers/${customer.id}/deactivation/new"`);
    // Deactivating is asked about first: the record has no button that deactivates at once.
    expect(record.text).not.toContain(`action="/${tenant.slug}/admin/customers/${customer.id}/deactivation"`);
    expect(record.text).toMatch(/data-testid="setting-portalAccess">\s*włączony <span class="setting-source">\(wartość domyślna\)/);
  });

  it('never lists another tenant’s customers', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    await makeCustomer(env.db, other, { name: 'Cudzy Klient' });
    const list = await listOf(await adminAgent(tenant), tenant, '?status=all&q=Cudzy');
    expect(list.text).not.toContain('Cudzy Klient');
    expect(list.text).toContain('data-testid="customers-empty"');
  });

  it('searches by the start of the name, town, e-mail, tax id and customer number in any letter case, Polish letters included', async () => {
    const tenant = await makeTenant(env.db);
    const scope = scopeFor(env.db, tenant);
    await createCustomer(scope, { name: 'ŁÓDZKA SPÓŁDZIELNIA', city: 'Łódź' });
    const zulawy = await createCustomer(scope, { name: 'Żuławy Rolnicze', city: 'Malbork', email: 'Biuro@Zulawy.example' });
    await env.db('customers').where('id', zulawy.id).update({ customer_number: 'ZUL/2026/0042' });
    await createCustomer(scope, { name: 'Numer Podatkowy', taxId: validNip, city: 'Kraków' });
    await createCustomer(scope, { name: 'Procent_100%', city: 'Poznań' });
    const agent = await adminAgent(tenant);
    const search = async (term: string) => listedNames((await listOf(agent, tenant, `?q=${encodeURIComponent(term)}`)).text);
    expect(await search('łódzka spół')).toEqual(['ŁÓDZKA SPÓŁDZIELNIA']);
    expect(await search('ŁÓDŹ')).toEqual(['ŁÓDZKA SPÓŁDZIELNIA']);
    expect(await search('żuławy')).toEqual(['Żuławy Rolnicze']);
    expect(await search('biuro@zulawy')).toEqual(['Żuławy Rolnicze']);
    expect(await search('KRAKÓW')).toEqual(['Numer Podatkowy']);
    expect(await search(validNip)).toEqual(['Numer Podatkowy']);
    expect(await search(validNip.slice(0, 6))).toEqual(['Numer Podatkowy']);
    expect(await search('123-456-32-18')).toEqual(['Numer Podatkowy']);
    expect(await search('zul/2026')).toEqual(['Żuławy Rolnicze']);
    expect(await search('ZUL/2026/0042')).toEqual(['Żuławy Rolnicze']);
    // The start of a field, not letters anywhere in it (issue 20: an index range, not a scan of every name).
    expect(await search(validNip.slice(3, 9))).toEqual([]);
    expect(await search('spółdzielnia')).toEqual([]);
    // Wildcards typed by the user are searched for as they are.
    expect(await search('procent_100')).toEqual(['Procent_100%']);
    expect(await search('Procent%')).toEqual([]);
    expect(await search('Procent_1%')).toEqual([]);
    expect(await search('%')).toEqual([]);
    expect(await search('*')).toEqual([]);
    expect(await search('nic takiego')).toEqual([]);
  });

  it('filters by caretaker, by none, by status and by the portal access in force', async () => {
    const tenant = await makeTenant(env.db);
    const scope = scopeFor(env.db, tenant);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const cared = await createCustomer(scope, { name: 'Pod Opieką', caretakerId: caretaker.id });
    const orphan = await createCustomer(scope, { name: 'Bez Opieki' });
    await createCustomer(scope, { name: 'Nieaktywny', isActive: false });
    // The tenant gives the portal to selected customers only; one is switched on.
    await saveSettings(scope, 'tenant', 0, { 'portal.access': 'off' });
    await saveSettings(scope, 'customer', cared.id, { 'portal.access': 'on' });
    const agent = await adminAgent(tenant);
    const names = async (query: string) => listedNames((await listOf(agent, tenant, query)).text);
    expect(await names(`?caretaker=${caretaker.id}`)).toEqual(['Pod Opieką']);
    expect(await names('?caretaker=none')).toEqual(['Bez Opieki']);
    expect(await names('')).toEqual(['Bez Opieki', 'Pod Opieką']);
    expect(await names('?status=inactive')).toEqual(['Nieaktywny']);
    expect(await names('?status=all')).toEqual(['Bez Opieki', 'Nieaktywny', 'Pod Opieką']);
    expect(await names('?portal=on')).toEqual(['Pod Opieką']);
    expect(await names('?portal=off')).toEqual(['Bez Opieki']);
    // With the portal for everyone, only a customer switched off has none.
    await saveSettings(scope, 'tenant', 0, { 'portal.access': 'on' });
    await saveSettings(scope, 'customer', orphan.id, { 'portal.access': 'off' });
    expect(await names('?portal=on')).toEqual(['Pod Opieką']);
    expect(await names('?portal=off&status=all')).toEqual(['Bez Opieki']);
    expect(await names('?portal=on&status=all')).toEqual(['Nieaktywny', 'Pod Opieką']);
    // Anything unexpected in the address falls back to the defaults instead of failing.
    expect(await names('?status=deleted&portal=maybe&caretaker=x&sort=password')).toEqual(['Bez Opieki', 'Pod Opieką']);
  });

  it('sorts by name, city and registration date, both ways, with whitelisted columns only', async () => {
    const tenant = await makeTenant(env.db);
    const scope = scopeFor(env.db, tenant);
    const beta = await createCustomer(scope, { name: 'beta', city: 'Warszawa' });
    const alpha = await createCustomer(scope, { name: 'Alfa', city: 'Zakopane' });
    const gamma = await createCustomer(scope, { name: 'Gamma', city: 'Bydgoszcz' });
    await env.db('customers').where('id', beta.id).update({ created_at: '2026-01-02 10:00:00' });
    await env.db('customers').where('id', alpha.id).update({ created_at: '2026-01-03 10:00:00' });
    await env.db('customers').where('id', gamma.id).update({ created_at: '2026-01-01 10:00:00' });
    const agent = await adminAgent(tenant);
    const sorted = async (sort: string) => listedNames((await listOf(agent, tenant, `?sort=${sort}`)).text);
    expect(await sorted('name-asc')).toEqual(['Alfa', 'beta', 'Gamma']);
    expect(await sorted('name-desc')).toEqual(['Gamma', 'beta', 'Alfa']);
    expect(await sorted('city-asc')).toEqual(['Gamma', 'beta', 'Alfa']);
    expect(await sorted('city-desc')).toEqual(['Alfa', 'beta', 'Gamma']);
    expect(await sorted('created-desc')).toEqual(['Alfa', 'beta', 'Gamma']);
    expect(await sorted('created-asc')).toEqual(['Gamma', 'beta', 'Alfa']);
    expect(await sorted(encodeURIComponent('name; drop table customers'))).toEqual(['Alfa', 'beta', 'Gamma']);
  });

  it('pages the list 25 at a time and keeps the filters in the pager’s links', async () => {
    const tenant = await makeTenant(env.db);
    const scope = scopeFor(env.db, tenant);
    for (let index = 1; index <= 30; index += 1) await createCustomer(scope, { name: `Firma ${String(index).padStart(2, '0')}`, city: 'Gdynia' });
    await createCustomer(scope, { name: 'Firma spoza Gdyni', city: 'Sopot' });
    const agent = await adminAgent(tenant);
    const first = await listOf(agent, tenant, '?q=gdynia&sort=name-desc');
    expect(listedNames(first.text)).toHaveLength(25);
    expect(listedNames(first.text)[0]).toBe('Firma 30');
    expect(first.text).toContain('Customers found: 30');
    expect(first.text).toContain('Page 1 of 2');
    const next = /href="([^"]+)" rel="next"/.exec(first.text)![1]!.replace(/&amp;/g, '&');
    // Keyset pagination (issue 20): the next page starts after the last row shown, however deep.
    expect(next).toMatch(new RegExp(`^/${tenant.slug}/staff/customers\\?q=gdynia&sort=name-desc&page=2&after=[\\w-]+$`));
    const second = await agent.get(next).set('Accept-Language', 'en');
    expect(listedNames(second.text)).toEqual(['Firma 05', 'Firma 04', 'Firma 03', 'Firma 02', 'Firma 01']);
    expect(/href="([^"]+)" rel="prev"/.exec(second.text)![1]!.replace(/&amp;/g, '&')).toBe(`/${tenant.slug}/staff/customers?q=gdynia&sort=name-desc`);
    expect(second.text).toContain('Page 2 of 2');
    expect(second.text).not.toContain('rel="next"');
    // A page number without the cursor it came with is the list's start.
    const guessed = await listOf(agent, tenant, '?q=gdynia&sort=name-desc&page=9');
    expect(guessed.text).toContain('Page 1 of 2');
    expect(listedNames(guessed.text)[0]).toBe('Firma 30');
    expect(listedNames((await listOf(agent, tenant, '?page=abc')).text)).toHaveLength(25);
  });

  it('shows an empty state when nothing matches, and to a caretaker with no customers', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const own = await listOf(await signedInAgent(env.app, tenant, caretaker.login), tenant);
    expect(own.text).toContain('No customers are assigned to you yet.');
    const none = await listOf(await adminAgent(tenant), tenant);
    expect(none.text).toContain('There are no customers yet.');
    await makeCustomer(env.db, tenant, { name: 'Jedyny' });
    const filtered = await listOf(await adminAgent(tenant), tenant, '?q=zzz');
    expect(filtered.text).toContain('No customers match these filters.');
    expect(filtered.text).toContain('value="zzz"');
  });

  it('keeps the tax id and the customer number from wrapping inside their cells, and lets a long e-mail address break', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa' });
    await env.db('customers').where('id', customer.id).update({ tax_id: '5260250274', customer_number: 'KONTR-2026/000123', email: 'ksiegowosc@alfa.example' });

    const page = await listOf(await adminAgent(tenant), tenant);

    expect(page.text).toMatch(/class="nowrap" data-label="[^"]*"><span class="data-table__value">526-025-02-74<\/span><\/td>/);
    expect(page.text).toMatch(/class="nowrap" data-label="[^"]*"><span class="data-table__value">KONTR-2026\/000123</);
    expect(page.text).toMatch(/class="breakable" data-label="[^"]*"><span class="data-table__value">ksiegowosc@alfa.example</);
  });
});
