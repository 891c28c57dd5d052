import { expect, it } from 'vitest';
import { toDatabaseTime } from '../../src/lib/time.js';
import type { Customer } from '../../src/models/customer.js';
import type { Tenant } from '../../src/models/tenant.js';
import type { User } from '../../src/models/user.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, renewConfigurationVersion } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent, type Agent } from '../support/http.js';

/** The part of a page inside one section (data-testid="section-…"), up to the section's end. */
function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`data-testid="section-${id}"`);
  if (start < 0) throw new Error(`no section ${id} on the page`);
  return html.slice(start, html.indexOf('</section>', start));
}

describeOnEachDatabase('the client’s start page (issue 14)', (env) => {
  async function caretakerOf(tenant: Tenant, overrides: { phone?: string | null } = {}): Promise<User> {
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Karolina', lastName: 'Zielińska' });
    await env.db('users').where('id', caretaker.id).update({ phone: overrides.phone === undefined ? '+48 22 100 20 30' : overrides.phone });
    return { ...caretaker, email: caretaker.email };
  }

  async function clientAgent(tenant: Tenant, customer: Customer): Promise<{ client: User; agent: Agent }> {
    const client = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Anna', lastName: 'Nowak' });
    return { client, agent: await signedInAgent(env.app, tenant, client.login) };
  }

  async function setOffice(tenant: Tenant, office: Record<string, string | null>): Promise<void> {
    await env.db('tenants').where('id', tenant.id).update(office);
    await renewConfigurationVersion(env.db, tenant);
  }

  it('names the caretaker with a phone and an e-mail link, and the provider', async () => {
    const tenant = await makeTenant(env.db, { name: 'Serwis Demo sp. z o.o.' });
    const caretaker = await caretakerOf(tenant);
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.', caretaker });
    const { agent } = await clientAgent(tenant, customer);
    const page = await agent.get(`/${tenant.slug}/portal`);
    expect(page.status).toBe(200);
    const care = sectionOf(page.text, 'care');
    expect(care).toContain('Kto się Tobą opiekuje');
    expect(care).toContain('Karolina Zielińska');
    expect(care).toContain(`<a href="mailto:${caretaker.email}"`);
    expect(care).toContain('<a href="tel:+48221002030" data-testid="contact-phone">+48 22 100 20 30</a>');
    expect(sectionOf(page.text, 'provider')).toContain('Serwis Demo sp. z o.o.');
  });

  it('gives the office’s contact details when the customer has no caretaker, or the caretaker has left', async () => {
    const tenant = await makeTenant(env.db);
    await setOffice(tenant, { office_email: 'biuro@serwis.example', office_phone: '22 100 20 00', office_address: 'ul. Prosta 1\n00-001 Warszawa', office_hours: 'pon.–pt. 8–16' });
    const withoutCaretaker = await makeCustomer(env.db, tenant);
    const formerCaretaker = await caretakerOf(tenant);
    const leftBehind = await makeCustomer(env.db, tenant, { caretaker: formerCaretaker });
    await env.db('users').where('id', formerCaretaker.id).update({ is_active: false });

    for (const customer of [withoutCaretaker, leftBehind]) {
      const { agent } = await clientAgent(tenant, customer);
      const page = await agent.get(`/${tenant.slug}/portal`);
      const care = sectionOf(page.text, 'care');
      expect(care).toContain('Twoja firma nie ma jeszcze przypisanego opiekuna. W sprawach bieżących pomoże biuro dostawcy:');
      expect(care).toContain('<a href="mailto:biuro@serwis.example"');
      expect(care).toContain('<a href="tel:221002000"');
      expect(care).toContain('pon.–pt. 8–16');
      expect(care).not.toContain('Karolina');
      const provider = sectionOf(page.text, 'provider');
      expect(provider).toContain('ul. Prosta 1\n00-001 Warszawa');
    }
  });

  it('says plainly when neither a caretaker nor the office can be named', async () => {
    const tenant = await makeTenant(env.db);
    const { agent } = await clientAgent(tenant, await makeCustomer(env.db, tenant));
    const page = await agent.get(`/${tenant.slug}/portal`);
    expect(sectionOf(page.text, 'care')).toContain('data-testid="care-none"');
    expect(sectionOf(page.text, 'provider')).toContain('Dostawca nie podał jeszcze danych kontaktowych.');
  });

  it('uses no internal words: no role, no group, in the page or its header', async () => {
    const tenant = await makeTenant(env.db);
    const { agent } = await clientAgent(tenant, await makeCustomer(env.db, tenant));
    for (const path of ['portal', 'account']) {
      const page = await agent.get(`/${tenant.slug}/${path}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toMatch(/\(klient\)|Rola|rola:|CLIENTS|Twoja rola|data-testid="user-role"/);
    }
  });

  it('shows the company’s data with the way to ask for a change, and the requests waiting or decided in the last 30 days', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.' });
    await env.db('customers').where('id', customer.id).update({ tax_id: '1234563218', street: 'ul. Stara 1', postal_code: '00-001', city: 'Warszawa', email: 'biuro@alfa.example', phone: '22 555 66 77' });
    const { client, agent } = await clientAgent(tenant, customer);

    const empty = await agent.get(`/${tenant.slug}/portal`);
    const company = sectionOf(empty.text, 'company');
    expect(company).toContain('Dane firmy Alfa sp. z o.o.');
    for (const value of ['123-456-32-18', 'ul. Stara 1', '00-001 Warszawa', 'biuro@alfa.example', '22 555 66 77']) expect(company).toContain(value);
    expect(company).toContain(`href="/${tenant.slug}/portal/company/change-requests/new"`);
    expect(sectionOf(empty.text, 'change-requests')).toContain('Żaden wniosek o zmianę danych nie czeka na decyzję ani nie został rozpatrzony w ciągu ostatnich 30 dni.');

    const token = await csrfTokenFrom(agent, `/${tenant.slug}/portal/company/change-requests/new`);
    const sent = await agent.post(`/${tenant.slug}/portal/company/change-requests`).type('form').send({ _csrf: token, street: 'ul. Nowa 2', postalCode: '00-001', city: 'Warszawa', country: 'PL', taxId: '1234563218', bankAccount: '' });
    expect(sent.status).toBe(303);
    const [pending] = await env.db('customer_change_requests').where('customer_id', customer.id);
    // One decided long ago: the company page keeps it, the start page does not.
    const [oldId] = await env.db('customer_change_requests').insert({
      tenant_id: tenant.id, customer_id: customer.id, requested_by: client.id, changes: JSON.stringify({ city: 'Kraków' }), previous: JSON.stringify({}), status: 'rejected',
      created_at: toDatabaseTime(new Date(Date.now() - 50 * 86_400_000)), decided_at: toDatabaseTime(new Date(Date.now() - 40 * 86_400_000)), decision_reason: 'Old',
    });

    const page = await agent.get(`/${tenant.slug}/portal`);
    const requests = sectionOf(page.text, 'change-requests');
    expect(requests).toContain(`data-testid="change-request-${pending.id}"`);
    expect(requests).toContain('oczekuje na decyzję');
    expect(requests).toContain('Ulica i numer');
    expect(requests).not.toContain(`data-testid="change-request-${oldId}"`);
    expect(requests).toContain(`href="/${tenant.slug}/portal/company"`);
  });

  it('never shows another customer’s data, caretaker or requests', async () => {
    const tenant = await makeTenant(env.db);
    const otherCaretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Zenon', lastName: 'Obcy' });
    const other = await makeCustomer(env.db, tenant, { name: 'Obca Firma S.A.', caretaker: otherCaretaker });
    const otherClient = await makeUser(env.db, tenant, 'client', { customer: other });
    const otherAgent = await signedInAgent(env.app, tenant, otherClient.login);
    const token = await csrfTokenFrom(otherAgent, `/${tenant.slug}/portal/company/change-requests/new`);
    await otherAgent.post(`/${tenant.slug}/portal/company/change-requests`).type('form').send({ _csrf: token, street: 'Tajna 7', postalCode: '', city: '', country: 'PL', taxId: '', bankAccount: '' });

    const { agent } = await clientAgent(tenant, await makeCustomer(env.db, tenant, { name: 'Moja Firma' }));
    const page = await agent.get(`/${tenant.slug}/portal`);
    expect(page.text).toContain('Moja Firma');
    for (const foreign of ['Obca Firma', 'Zenon', 'Obcy', 'Tajna 7']) expect(page.text).not.toContain(foreign);
  });

  it('is in English for a client who reads English', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.' });
    const client = await makeUser(env.db, tenant, 'client', { customer, locale: 'en' });
    const agent = await signedInAgent(env.app, tenant, client.login);
    const page = await agent.get(`/${tenant.slug}/portal`);
    expect(page.text).toContain('Who looks after you');
    expect(page.text).toContain('Alfa sp. z o.o. data');
    expect(page.text).toContain('Your provider');
    expect(page.text).not.toMatch(/\(client\)|Role|CLIENTS/);
  });

  it('shows a foreign customer’s tax id with its country’s code, a NIP in its groups', async () => {
    const tenant = await makeTenant(env.db);
    const slovak = await makeCustomer(env.db, tenant, { name: 'Beta s.r.o.' });
    await env.db('customers').where('id', slovak.id).update({ tax_country: 'SK', tax_id: '2020123456' });
    const polish = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.' });
    await env.db('customers').where('id', polish.id).update({ tax_country: 'PL', tax_id: '5260250274' });
    const companyOf = async (customer: Customer) => {
      const page = await (await clientAgent(tenant, customer)).agent.get(`/${tenant.slug}/portal`).set('Accept-Language', 'pl');
      return page.text.split('data-testid="section-company"')[1]!.split('</section>')[0]!;
    };

    expect(await companyOf(slovak)).toContain('<dd>SK 2020123456</dd>');
    expect(await companyOf(polish)).toContain('<dd>526-025-02-74</dd>');
  });
});
