import { expect, it } from 'vitest';
import { loginBaseFrom, loginBaseFromName } from '../../src/models/customer-registration.js';
import { saveSettings } from '../../src/models/settings.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor } from '../support/factories.js';
import { signedInAgent } from '../support/http.js';
import { latestMailTo } from '../support/mail.js';
import { auditActions, customerFields, customerIdFrom, customerRows, submitNewCustomer } from './customers-helpers.js';

/** Seed 002 / A7: registering a customer with an e-mail creates its first portal account and invites it. */
describeOnEachDatabase('customers: the automatic first portal account', (env) => {
  async function adminOf(options: { defaultLocale?: string; name?: string } = {}) {
    const tenant = await makeTenant(env.db, options);
    const admin = await makeUser(env.db, tenant, 'admin');
    return { tenant, agent: await signedInAgent(env.app, tenant, admin.login) };
  }

  const clientsOf = (tenantId: number) => env.db('users').where({ tenant_id: tenantId, role: 'client' }).orderBy('id');

  it('offers the account on the form, ticked, while the tenant setting is on (the default)', async () => {
    const { tenant, agent } = await adminOf();
    const form = await agent.get(`/${tenant.slug}/admin/customers/new`).set('Accept-Language', 'en');
    expect(form.text).toMatch(/<input type="checkbox" id="field-createAccount" name="createAccount" value="on"[^>]* checked>/);
    expect(form.text).toContain('Create a portal account and send an invitation');
  });

  it('creates the first account, marked as primary contact, and queues the invitation in the tenant’s language (English)', async () => {
    const { tenant, agent } = await adminOf({ defaultLocale: 'en', name: 'Forklift Service Ltd' });
    const email = `Jan.Kowalski.${tenant.slug}@firma.example`;
    const response = await submitNewCustomer(agent, tenant, customerFields({ name: 'Magazyny Północ', email, createAccount: 'on', contactFirstName: 'Jan', contactLastName: 'Kowalski' }));
    expect(response.status).toBe(303);
    const customerId = customerIdFrom(response.headers.location);
    const [account] = await clientsOf(tenant.id);
    // The login comes from the contact person's name, not from the mailbox.
    expect(account).toMatchObject({ login: 'jan.kowalski', email, first_name: 'Jan', last_name: 'Kowalski', customer_id: customerId, password_hash: null });
    expect(Boolean(account.is_primary_contact)).toBe(true);
    const group = await env.db('groups').where({ tenant_id: tenant.id, is_default: true }).first();
    expect(account.group_id).toBe(group.id);
    expect((await auditActions(env.db, tenant, '')).map((entry) => entry.action)).toEqual(expect.arrayContaining(['customer.created', 'user.created', 'user.invitation_sent']));

    const record = await agent.get(response.headers.location!).set('Accept-Language', 'en');
    expect(record.text).toContain('its portal account was created and an invitation sent');

    // latestMailTo sends the outbox; on the shared MySQL database another file's sender may be the one that sent it.
    const mail = await latestMailTo(env, email);
    expect(mail.subject).toBe('Forklift Service Ltd: your invitation to the customer portal');
    expect(mail.text).toContain('Login: jan.kowalski');
    expect(mail.text).toMatch(new RegExp(`/${tenant.slug}/invitations/[A-Za-z0-9_-]{20,}`));
  });

  it('writes the invitation in Polish for a Polish tenant, naming the account after the customer when no contact person is given', async () => {
    const { tenant, agent } = await adminOf({ defaultLocale: 'pl', name: 'Serwis Wózków' });
    const email = `biuro-${tenant.slug}@hurtownia.example`;
    const response = await submitNewCustomer(agent, tenant, customerFields({ name: 'Hurtownia Łęczyca', email, createAccount: 'on' }), 'pl');
    expect(response.status).toBe(303);
    const [account] = await clientsOf(tenant.id);
    expect(account).toMatchObject({ first_name: 'Hurtownia Łęczyca', last_name: '' });
    const mail = await latestMailTo(env, email);
    expect(mail.subject).toBe('Serwis Wózków: zaproszenie do portalu klienta');
    // Greeted neutrally: the account carries the company's name, not a person's.
    expect(mail.text).toMatch(/^Dzień dobry,\n\n/);
    expect(mail.text).not.toContain('Dzień dobry Hurtownia');
  });

  it('makes the login from the contact person’s name, Polish letters folded, unique in the tenant with a number', async () => {
    const { tenant, agent } = await adminOf();
    await makeUser(env.db, tenant, 'caretaker', { login: 'lukasz.zak' });
    const names = [['Łukasz', 'Żak'], ['Łukasz', 'Żak'], ['Anna Maria', 'Nowak-Jeleńska'], ['', 'Ćwik']];
    for (const [index, [contactFirstName, contactLastName]] of names.entries()) {
      const fields = customerFields({ name: `Klient ${index}`, email: `biuro${index}@example.test`, createAccount: 'on', contactFirstName, contactLastName });
      expect((await submitNewCustomer(agent, tenant, fields)).status).toBe(303);
    }
    expect((await clientsOf(tenant.id)).map((row: { login: string }) => row.login)).toEqual(['lukasz.zak2', 'lukasz.zak3', 'anna-maria.nowak-jelenska', 'cwik']);
    expect(loginBaseFromName('  Żaneta ', "O'Brien")).toBe('zaneta.obrien');
    expect(loginBaseFromName('Jürgen', 'Groß')).toBe('jurgen.gross');
    // Nothing of the name left that a login may hold: the e-mail's local part is used instead.
    expect(loginBaseFromName('李', '王')).toBe('');
  });

  it('tells on the form where the login comes from', async () => {
    const { tenant, agent } = await adminOf();
    const form = await agent.get(`/${tenant.slug}/admin/customers/new`).set('Accept-Language', 'en');
    expect(form.text).toContain('The login is made from the contact person’s name (jan.kowalski), or from the e-mail address when no name is given');
    const polish = await agent.get(`/${tenant.slug}/admin/customers/new`).set('Accept-Language', 'pl');
    expect(polish.text).toContain('Login powstaje z imienia i nazwiska osoby kontaktowej (jan.kowalski)');
  });

  it('makes the login unique in the tenant with a number, from the e-mail’s local part in lower case when no contact person is named', async () => {
    const { tenant, agent } = await adminOf();
    await makeUser(env.db, tenant, 'caretaker', { login: 'biuro' });
    await makeUser(env.db, tenant, 'caretaker', { login: 'biuro2' });
    const other = await makeTenant(env.db);
    await makeUser(env.db, other, 'caretaker', { login: 'biuro3' });
    for (const name of ['Pierwsza', 'Druga']) {
      const response = await submitNewCustomer(agent, tenant, customerFields({ name, email: 'BIURO@example.test', createAccount: 'on' }));
      expect(response.status).toBe(303);
    }
    // Another tenant's biuro3 does not count: logins are unique per tenant.
    expect((await clientsOf(tenant.id)).map((row: { login: string }) => row.login)).toEqual(['biuro3', 'biuro4']);
  });

  it('keeps only letters, digits, dots, dashes and underscores of the local part in the login', async () => {
    const { tenant, agent } = await adminOf();
    const response = await submitNewCustomer(agent, tenant, customerFields({ email: 'Anna.Nowak+Faktury@example.test', createAccount: 'on' }));
    expect(response.status).toBe(303);
    expect((await clientsOf(tenant.id))[0].login).toBe('anna.nowakfaktury');
    // Addresses with accents are refused by the form, but a login made from one would lose them.
    expect(loginBaseFrom('Łukasz.Żółć@example.test')).toBe('lukasz.zolc');
    expect(loginBaseFrom('+++@example.test')).toBe('client');
  });

  it('creates no account when the box is unticked or the customer has no e-mail', async () => {
    const { tenant, agent } = await adminOf();
    expect((await submitNewCustomer(agent, tenant, customerFields({ name: 'Bez Konta', email: 'bez@example.test' }))).status).toBe(303);
    expect((await submitNewCustomer(agent, tenant, customerFields({ name: 'Bez Adresu', createAccount: 'on' }))).status).toBe(303);
    expect(await customerRows(env.db, tenant)).toHaveLength(2);
    expect(await clientsOf(tenant.id)).toEqual([]);
    expect(await env.db('outbox').where('tenant_id', tenant.id)).toEqual([]);
  });

  it('neither offers nor creates the account when the tenant has switched the setting off', async () => {
    const { tenant, agent } = await adminOf();
    await saveSettings(scopeFor(env.db, tenant), 'tenant', 0, { 'accounts.auto_create': 'off' });
    const form = await agent.get(`/${tenant.slug}/admin/customers/new`);
    expect(form.text).not.toContain('name="createAccount"');
    const response = await submitNewCustomer(agent, tenant, customerFields({ email: 'recznie@example.test', createAccount: 'on' }));
    expect(response.status).toBe(303);
    expect(await clientsOf(tenant.id)).toEqual([]);
    expect(await env.db('outbox').where('tenant_id', tenant.id)).toEqual([]);
  });

  it('writes neither customer, account nor e-mail when the form is refused', async () => {
    const { tenant, agent } = await adminOf();
    const response = await submitNewCustomer(agent, tenant, customerFields({ email: 'dobry@example.test', phone: 'abc', createAccount: 'on' }));
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/id="field-createAccount" name="createAccount" value="on"[^>]* checked/);
    expect(await customerRows(env.db, tenant)).toEqual([]);
    expect(await clientsOf(tenant.id)).toEqual([]);
    expect(await env.db('outbox').where('tenant_id', tenant.id)).toEqual([]);
  });

});
