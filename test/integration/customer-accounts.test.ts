import request from 'supertest';
import { expect, it } from 'vitest';
import { createClientAccount } from '../../src/models/client-account.js';
import type { Customer } from '../../src/models/customer.js';
import type { Tenant } from '../../src/models/tenant.js';
import { deactivateUser, lockUser } from '../../src/models/user.js';
import { toDatabaseTime } from '../../src/lib/time.js';
import { isWrite, statementsDuring } from '../support/apps.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, uniqueName } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, submitSignIn, type Agent } from '../support/http.js';

const firstPassword = 'first password 1';

describeOnEachDatabase('a customer’s client accounts (the Accounts tab)', (env) => {
  /** A tenant with a caretaker, their customer and the caretaker signed in on the customer's Accounts tab. */
  async function caretakerAndCustomer() {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    return { tenant, caretaker, customer, agent, page: accountsPage(tenant, customer) };
  }

  const accountsPage = (tenant: Tenant, customer: Pick<Customer, 'id'>) => `/${tenant.slug}/staff/customers/${customer.id}/accounts`;

  function invitationFields(overrides: Record<string, string> = {}) {
    return { login: uniqueName('jan'), firstName: 'Jan', lastName: 'Kowalski', email: `${uniqueName('jan')}@example.test`, phone: '+48 600 100 200', access: 'invitation', ...overrides };
  }

  /** Sends the create form with a CSRF token from a page the agent may open (the staff dashboard has the sign-out form). */
  async function submit(agent: Agent, tenant: Tenant, page: string, fields: Record<string, string>) {
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/staff`);
    return agent.post(page).type('form').send({ _csrf: csrf, ...fields });
  }

  /** The SQL writes of the create form's POST alone, to the tables that hold accounts and what comes with them. */
  async function accountWritesOf(agent: Agent, tenant: Tenant, page: string, expectedStatus: number): Promise<string[]> {
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/staff`);
    const statements = await statementsDuring(env.db, async () => {
      expect((await agent.post(page).type('form').send({ _csrf: csrf, ...invitationFields() })).status).toBe(expectedStatus);
    });
    return statements.filter(isWrite).filter((sql) => /\b(users|outbox|audit_log|password_tokens)\b/.test(sql));
  }

  const usersOf = (tenant: Tenant) => env.db('users').where('tenant_id', tenant.id);
  const clientCount = async (tenant: Tenant) => Number((await usersOf(tenant).where('role', 'client').count({ count: '*' }).first())?.count);
  const rowOf = (tenant: Tenant, login: string) => usersOf(tenant).where('login', login).first();

  it('lists the customer’s accounts with contact data, flags, state and last sign-in, and no one else’s', async () => {
    const { tenant, customer, agent, page } = await caretakerAndCustomer();
    const active = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Anna', lastName: 'Aktywna' });
    const locked = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Bartek', lastName: 'Blokowany' });
    const gone = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Cezary', lastName: 'Wyłączony' });
    const invited = await createClientAccount(scopeFor(env.db, tenant), customer.id, { ...accountInput('dorota.invited'), access: { kind: 'invitation' } }, { bcryptCost: 4, links: env.links });
    await lockUser(scopeFor(env.db, tenant), locked.id);
    await deactivateUser(scopeFor(env.db, tenant), gone.id);
    await env.db('users').where('id', active.id).update({ phone: '+48 111 222 333', is_primary_contact: true, is_approver: true, last_sign_in_at: toDatabaseTime(new Date('2026-03-02T09:30:00Z')) });
    const stranger = await makeUser(env.db, tenant, 'client', { firstName: 'Obcy', lastName: 'Klient' });

    const response = await agent.get(page);
    expect(response.status).toBe(200);
    const row = (login: string) => new RegExp(`<tr role="row" data-login="${login}">([\\s\\S]*?)</tr>`).exec(response.text)?.[1] ?? '';
    expect(row(active.login)).toContain('Anna Aktywna');
    expect(row(active.login)).toContain(active.email!);
    expect(row(active.login)).toContain('+48 111 222 333');
    expect(row(active.login)).toContain('główny kontakt, akceptuje zgłoszenia');
    expect(row(active.login)).toContain('aktywne');
    expect(row(active.login)).toContain('2026');
    expect(row(locked.login)).toContain('zablokowane');
    expect(row(gone.login)).toContain('nieaktywne');
    expect(row(invited.login)).toContain('zaproszenie wysłane');
    expect(row(invited.login)).toContain('nigdy');
    expect(row(invited.login)).toContain('Wyślij zaproszenie ponownie');
    expect(row(active.login)).not.toContain('Wyślij zaproszenie ponownie');
    expect(response.text).not.toContain(stranger.login);
    expect(response.text).toContain('aria-current="page"');
    expect(response.text).toContain(`href="/${tenant.slug}/staff/customers/${customer.id}"`);
  });

  it('shows the tab in English to a reader who asks for it', async () => {
    const { agent, page } = await caretakerAndCustomer();
    const response = await agent.get(page).set('Accept-Language', 'en');
    expect(response.status).toBe(200);
    expect(response.text).toContain('New client account');
    expect(response.text).toContain('This customer has no portal accounts yet.');
  });

  it('creates an account with an invitation: a client of the customer in CLIENTS, with its flags, an e-mail queued and the audit entries', async () => {
    const { tenant, caretaker, customer, agent, page } = await caretakerAndCustomer();
    const fields = invitationFields({ login: 'Jan.Kowalski', isPrimaryContact: 'on', isApprover: 'on' });
    const response = await submit(agent, tenant, page, fields);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(page);
    expect((await agent.get(page)).text).toContain('Konto zostało utworzone, a zaproszenie wysłane.');

    const row = await rowOf(tenant, 'jan.kowalski');
    expect(row).toMatchObject({ role: 'client', customer_id: customer.id, email: fields.email, phone: '+48 600 100 200', first_name: 'Jan', last_name: 'Kowalski' });
    expect(Boolean(row.is_primary_contact)).toBe(true);
    expect(Boolean(row.is_approver)).toBe(true);
    expect(row.password_hash).toBeNull();
    expect(row.invited_at).not.toBeNull();
    const group = await env.db('groups').where('id', row.group_id).first();
    expect(group).toMatchObject({ tenant_id: tenant.id, name: 'CLIENTS' });
    const mail = await env.db('outbox').where({ tenant_id: tenant.id, recipient: fields.email }).first();
    expect(mail).toMatchObject({ template: 'invitation', locale: 'pl' });
    expect(await env.db('password_tokens').where({ user_id: row.id, purpose: 'invitation' }).whereNull('used_at').count({ count: '*' }).first()).toMatchObject({ count: 1 });
    const audit = await env.db('audit_log').where({ tenant_id: tenant.id, subject_id: row.id }).select('action', 'actor_id');
    expect(audit).toEqual(expect.arrayContaining([{ action: 'user.created', actor_id: caretaker.id }, { action: 'user.invitation_sent', actor_id: caretaker.id }]));
  });

  it('creates an account with a first password that the client must change at the first sign-in', async () => {
    const { tenant, agent, page } = await caretakerAndCustomer();
    const fields = invitationFields({ access: 'password', newPassword: firstPassword, passwordConfirmation: firstPassword, email: '', phone: '' });
    const response = await submit(agent, tenant, page, fields);
    expect(response.status).toBe(303);
    expect((await agent.get(page)).text).toContain('Konto zostało utworzone. Przekaż klientowi login i pierwsze hasło.');
    const row = await rowOf(tenant, fields.login);
    expect(Boolean(row.must_change_password)).toBe(true);
    expect(row.email).toBeNull();
    expect(row.phone).toBeNull();
    expect(Boolean(row.is_primary_contact)).toBe(false);
    expect(await env.db('outbox').where('tenant_id', tenant.id).count({ count: '*' }).first()).toMatchObject({ count: 0 });

    const client = request.agent(env.app);
    const signIn = await submitSignIn(client, tenant, fields.login, firstPassword);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe(`/${tenant.slug}/account/password`);
    expect((await client.get(`/${tenant.slug}/portal`)).headers.location).toBe(`/${tenant.slug}/account/password`);
  });

  it('lets an admin open and fill the Accounts tab of any customer', async () => {
    const tenant = await makeTenant(env.db);
    const otherCaretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker: otherCaretaker });
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(env.app, tenant, admin.login);
    const page = accountsPage(tenant, customer);
    expect((await agent.get(page)).status).toBe(200);
    const fields = invitationFields();
    expect((await submit(agent, tenant, page, fields)).status).toBe(303);
    expect((await rowOf(tenant, fields.login)).customer_id).toBe(customer.id);
    const superadmin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    expect((await superadmin.get(page)).status).toBe(200);
  });

  it('answers the caretaker of another customer 404, as if it did not exist, and writes nothing', async () => {
    const { tenant, agent } = await caretakerAndCustomer();
    const someoneElse = await makeUser(env.db, tenant, 'caretaker');
    const customerB = await makeCustomer(env.db, tenant, { caretaker: someoneElse });
    const unassigned = await makeCustomer(env.db, tenant);
    for (const customer of [customerB, unassigned]) {
      const page = accountsPage(tenant, customer);
      const listing = await agent.get(page);
      expect(listing.status).toBe(404);
      expect(listing.text).not.toContain('Nowe konto klienta');
      expect(listing.text).not.toContain(customer.name);
      const before = await clientCount(tenant);
      expect(await accountWritesOf(agent, tenant, page, 404)).toEqual([]);
      expect(await clientCount(tenant)).toBe(before);
    }
  });

  it('refuses a client, even on its own customer’s tab, with 403 and writes nothing', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant);
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const agent = await signedInAgent(env.app, tenant, client.login);
    const page = accountsPage(tenant, customer);
    expect((await agent.get(page)).status).toBe(403);
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/portal`);
    const before = await clientCount(tenant);
    expect((await agent.post(page).type('form').send({ _csrf: csrf, ...invitationFields() })).status).toBe(403);
    expect(await clientCount(tenant)).toBe(before);
  });

  it('answers another tenant’s customer, a missing one and a made-up id with 404, and writes nothing', async () => {
    const { tenant: victimTenant, customer } = await caretakerAndCustomer();
    const otherTenant = await makeTenant(env.db);
    const intruder = await signedInAgent(env.app, otherTenant, otherTenant.superadmin.login);
    const foreignPage = accountsPage(otherTenant, customer);
    expect((await intruder.get(foreignPage)).status).toBe(404);
    expect(await accountWritesOf(intruder, otherTenant, foreignPage, 404)).toEqual([]);
    expect(await clientCount(victimTenant)).toBe(0);
    expect(await clientCount(otherTenant)).toBe(0);
    for (const id of ['999999', 'abc', '1e3', '0']) {
      expect((await intruder.get(`/${otherTenant.slug}/staff/customers/${id}/accounts`)).status, id).toBe(404);
    }
  });

  it('refuses a login already taken in the tenant, whatever its case, with 422 on the login field', async () => {
    const { tenant, agent, page } = await caretakerAndCustomer();
    await makeUser(env.db, tenant, 'caretaker', { login: 'anna.nowak' });
    const before = await clientCount(tenant);
    const response = await submit(agent, tenant, page, invitationFields({ login: 'Anna.Nowak', firstName: 'Anna' }));
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'login')).toBe('Ten login jest już zajęty. Wybierz inny.');
    expect(response.text).toContain('value="Anna.Nowak"');
    expect(response.text).toContain('value="Anna"');
    expect(await clientCount(tenant)).toBe(before);
    expect(await env.db('outbox').where('tenant_id', tenant.id).count({ count: '*' }).first()).toMatchObject({ count: 0 });
  });

  it('accepts a login that another tenant already uses', async () => {
    const other = await makeTenant(env.db);
    await makeUser(env.db, other, 'client', { login: 'wspolny.login' });
    const { tenant, agent, page } = await caretakerAndCustomer();
    expect((await submit(agent, tenant, page, invitationFields({ login: 'wspolny.login' }))).status).toBe(303);
    expect(await rowOf(tenant, 'wspolny.login')).toBeDefined();
  });

  it('makes one account of two requests racing for the same login, and answers the other with 422', async () => {
    const { tenant, agent, page } = await caretakerAndCustomer();
    const csrf = await csrfTokenFrom(agent, page);
    const login = uniqueName('race');
    const send = () => agent.post(page).type('form').send({ _csrf: csrf, ...invitationFields({ login }) });
    const responses = await Promise.all([send(), send(), send()]);
    expect(responses.map((response) => response.status).sort()).toEqual([303, 422, 422]);
    for (const refused of responses.filter((response) => response.status === 422)) {
      expect(fieldErrorOf(refused.text, 'login')).toBe('Ten login jest już zajęty. Wybierz inny.');
    }
    expect(await usersOf(tenant).where('login', login).count({ count: '*' }).first()).toMatchObject({ count: 1 });
    expect(await env.db('outbox').where('tenant_id', tenant.id).count({ count: '*' }).first()).toMatchObject({ count: 1 });
  });

  it('refuses a taken login in the model too, when concurrent calls race for it', async () => {
    const { tenant, customer } = await caretakerAndCustomer();
    const scope = scopeFor(env.db, tenant);
    const input = { ...accountInput(uniqueName('model')), access: { kind: 'invitation' as const } };
    const results = await Promise.allSettled([0, 1, 2].map(() => createClientAccount(scope, customer.id, input, { bcryptCost: 4, links: env.links })));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((candidate) => candidate.status === 'rejected')) {
      expect((result as PromiseRejectedResult).reason).toMatchObject({ status: 422, fieldErrors: { login: 'accounts:create.loginTaken' } });
    }
  });

  it('refuses bad input with 422, the messages and the values typed, and writes nothing', async () => {
    const { tenant, agent, page } = await caretakerAndCustomer();
    const before = await clientCount(tenant);
    const bad = await submit(agent, tenant, page, {
      login: 'jan kowalski!',
      firstName: 'x'.repeat(101),
      lastName: '',
      email: 'not-an-address',
      phone: '12ab',
      access: 'invitation',
    });
    expect(bad.status).toBe(422);
    expect(fieldErrorOf(bad.text, 'login')).toBe('Login może zawierać tylko litery a–z (bez polskich liter), cyfry oraz . _ - @, bez spacji.');
    expect(fieldErrorOf(bad.text, 'firstName')).toBe('To pole może mieć najwyżej 100 znaków.');
    expect(fieldErrorOf(bad.text, 'lastName')).toBe('To pole jest wymagane.');
    expect(fieldErrorOf(bad.text, 'email')).toBe('Podaj adres e-mail, na przykład jan.kowalski@example.com.');
    expect(fieldErrorOf(bad.text, 'phone')).toMatch(/^Podaj numer telefonu/);
    expect(bad.text).toContain('value="jan kowalski!"');
    expect(bad.text).toContain('value="not-an-address"');
    expect(bad.text).toContain('role="alert"');

    const tooLong = await submit(agent, tenant, page, invitationFields({ login: 'a'.repeat(101), email: `${'e'.repeat(196)}@x.pl`, phone: '1'.repeat(41) }));
    expect(tooLong.status).toBe(422);
    expect(fieldErrorOf(tooLong.text, 'login')).toBe('To pole może mieć najwyżej 100 znaków.');
    expect(fieldErrorOf(tooLong.text, 'email')).toBe('To pole może mieć najwyżej 200 znaków.');
    expect(fieldErrorOf(tooLong.text, 'phone')).toBe('To pole może mieć najwyżej 40 znaków.');

    const short = await submit(agent, tenant, page, invitationFields({ login: 'a' }));
    expect(short.status).toBe(422);
    expect(fieldErrorOf(short.text, 'login')).toMatch(/^To pole musi mieć co najmniej 2 /);

    const noEmail = await submit(agent, tenant, page, invitationFields({ email: '' }));
    expect(noEmail.status).toBe(422);
    expect(fieldErrorOf(noEmail.text, 'email')).toBe('Do wysłania zaproszenia potrzebny jest adres e-mail.');

    const noChoice = await submit(agent, tenant, page, invitationFields({ access: '' }));
    expect(noChoice.status).toBe(422);
    expect(fieldErrorOf(noChoice.text, 'access')).toBe('Wybierz, jak konto otrzyma hasło.');

    const passwords = await submit(agent, tenant, page, invitationFields({ access: 'password', newPassword: 'short', passwordConfirmation: 'other' }));
    expect(passwords.status).toBe(422);
    expect(fieldErrorOf(passwords.text, 'newPassword')).toBe('Hasło musi mieć co najmniej 8 znaków.');
    expect(fieldErrorOf(passwords.text, 'passwordConfirmation')).toBe('Hasła nie są takie same.');
    expect(passwords.text).not.toContain('value="short"');
    expect(passwords.text).toContain('value="password" checked');

    expect(await clientCount(tenant)).toBe(before);
    expect(await env.db('outbox').where('tenant_id', tenant.id).count({ count: '*' }).first()).toMatchObject({ count: 0 });
  });

  it('stores the account under the login in lower case, so it signs in with any case', async () => {
    const { tenant, agent, page } = await caretakerAndCustomer();
    const login = `Ewa.${uniqueName('Nowak')}`;
    await submit(agent, tenant, page, invitationFields({ login, access: 'password', newPassword: firstPassword, passwordConfirmation: firstPassword }));
    expect(await rowOf(tenant, login.toLowerCase())).toBeDefined();
    expect((await submitSignIn(request.agent(env.app), tenant, login.toUpperCase(), firstPassword)).status).toBe(303);
  });
});

function accountInput(login: string) {
  return { login, firstName: 'Dorota', lastName: 'Zaproszona', email: `${login}@example.test`, phone: null, isPrimaryContact: false, isApprover: false };
}
