import { expect, it } from 'vitest';
import type { Customer } from '../../src/models/customer.js';
import type { Tenant } from '../../src/models/tenant.js';
import type { User } from '../../src/models/user.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, uniqueName } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, type Agent } from '../support/http.js';

/** Issue 14, item 3: editing an account's name, e-mail, phone and a client's flags (A4, A12). */
describeOnEachDatabase('editing an account (A4, A12)', (env) => {
  const panelForm = (tenant: Tenant, user: Pick<User, 'id'>) => `/${tenant.slug}/admin/accounts/${user.id}/details/edit`;
  const panelSave = (tenant: Tenant, user: Pick<User, 'id'>) => `/${tenant.slug}/admin/accounts/${user.id}/details`;
  const tabForm = (tenant: Tenant, customer: Pick<Customer, 'id'>, user: Pick<User, 'id'>) => `/${tenant.slug}/staff/customers/${customer.id}/accounts/${user.id}/details/edit`;
  const tabSave = (tenant: Tenant, customer: Pick<Customer, 'id'>, user: Pick<User, 'id'>) => `/${tenant.slug}/staff/customers/${customer.id}/accounts/${user.id}/details`;
  const rowOf = (id: number) => env.db('users').where('id', id).first();

  /** The form's fields (version and base hidden among them) as a browser would send them back. */
  async function openedForm(agent: Agent, path: string): Promise<Record<string, string>> {
    const page = await agent.get(path);
    expect(page.status).toBe(200);
    return openedFormFrom(page.text);
  }

  async function send(agent: Agent, path: string, fields: Record<string, string>) {
    return agent.post(path).type('form').send(fields);
  }

  async function adminOf(tenant: Tenant): Promise<{ admin: User; agent: Agent }> {
    const admin = await makeUser(env.db, tenant, 'admin');
    return { admin, agent: await signedInAgent(env.app, tenant, admin.login) };
  }

  it('lets an admin change a client’s name, e-mail, phone and flags, bumps the version and audits the fields by name', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { firstName: 'Jan', lastName: 'Kowal' });
    const { agent } = await adminOf(tenant);
    const form = await openedForm(agent, panelForm(tenant, client));
    expect(form.version).toBe('1');
    const email = `${uniqueName('jan')}@example.test`;
    const response = await send(agent, panelSave(tenant, client), { ...form, firstName: 'Janusz', email, phone: '+48 600 100 200', isPrimaryContact: 'on', isApprover: 'on' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/admin/accounts/${client.id}`);
    expect(await rowOf(client.id)).toMatchObject({ first_name: 'Janusz', last_name: 'Kowal', email, phone: '+48 600 100 200', version: 2 });
    const row = await rowOf(client.id);
    expect(Boolean(row.is_primary_contact) && Boolean(row.is_approver)).toBe(true);
    const audit = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'account.updated', subject_id: client.id }).first();
    expect(JSON.parse(String(audit.details))).toEqual({ fields: ['firstName', 'email', 'phone', 'isPrimaryContact', 'isApprover'] });
    expect(String(audit.details)).not.toContain(email);
    expect((await agent.get(`/${tenant.slug}/admin/accounts/${client.id}`)).text).toContain('Zapisano zmiany w danych konta.');
  });

  it('says the form allows several primary contacts, and saves a second one', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const first = await makeUser(env.db, tenant, 'client', { customer });
    const second = await makeUser(env.db, tenant, 'client', { customer });
    await env.db('users').where('id', first.id).update({ is_primary_contact: true });
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const form = await openedForm(agent, tabForm(tenant, customer, second));
    expect((await agent.get(tabForm(tenant, customer, second))).text).toContain('Klient może mieć kilka osób do głównego kontaktu; każda z nich widzi wszystkie zgłoszenia klienta.');
    expect((await send(agent, tabSave(tenant, customer, second), { ...form, isPrimaryContact: 'on' })).status).toBe(303);
    const primary = await env.db('users').where({ tenant_id: tenant.id, customer_id: customer.id, is_primary_contact: true }).orderBy('id');
    expect(primary.map((row) => Number(row.id))).toEqual([first.id, second.id]);
  });

  it('lets a caretaker edit the client accounts of their own customers, from the Accounts tab', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Ewa', lastName: 'Lis' });
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const tab = await agent.get(`/${tenant.slug}/staff/customers/${customer.id}/accounts`);
    expect(tab.text).toContain(`href="${tabForm(tenant, customer, client)}"`);
    const form = await openedForm(agent, tabForm(tenant, customer, client));
    const response = await send(agent, tabSave(tenant, customer, client), { ...form, lastName: 'Lisowska' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/staff/customers/${customer.id}/accounts`);
    expect((await rowOf(client.id)).last_name).toBe('Lisowska');
  });

  it('answers 404 for an account out of reach and writes nothing: another customer’s client, a staff account, another tenant’s', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const own = await makeCustomer(env.db, tenant, { caretaker });
    const ownClient = await makeUser(env.db, tenant, 'client', { customer: own });
    const strangerClient = await makeUser(env.db, tenant, 'client', { firstName: 'Obcy' });
    const colleague = await makeUser(env.db, tenant, 'caretaker');
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/staff`);
    const fields = { _csrf: csrf, firstName: 'Przejęty', lastName: 'X', email: '', phone: '', version: '1' };
    // The own customer's path with another customer's client or a staff account: not one of this customer's accounts.
    for (const target of [strangerClient, colleague]) {
      expect((await agent.get(tabForm(tenant, own, target))).status).toBe(404);
      expect((await send(agent, tabSave(tenant, own, target), fields)).status).toBe(404);
    }
    // The other customer's path: that customer is out of the caretaker's reach.
    expect((await send(agent, tabSave(tenant, { id: strangerClient.customerId! }, strangerClient), fields)).status).toBe(404);
    // The panel is for admins.
    expect((await send(agent, panelSave(tenant, ownClient), fields)).status).toBe(403);
    const otherTenant = await makeTenant(env.db);
    const { agent: outsider } = await adminOf(otherTenant);
    const outsiderCsrf = await csrfTokenFrom(outsider, `/${otherTenant.slug}/staff`);
    expect((await send(outsider, `/${otherTenant.slug}/admin/accounts/${ownClient.id}/details`, { ...fields, _csrf: outsiderCsrf })).status).toBe(404);
    for (const user of [ownClient, strangerClient, colleague]) expect((await rowOf(user.id)).first_name).not.toBe('Przejęty');
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'account.updated' })).toEqual([]);
  });

  it('keeps the role rules: an admin may not edit a superadmin, another admin or their own account (403); a superadmin may edit an admin', async () => {
    const tenant = await makeTenant(env.db);
    const { admin, agent } = await adminOf(tenant);
    const otherAdmin = await makeUser(env.db, tenant, 'admin');
    for (const target of [tenant.superadmin, otherAdmin, admin]) {
      expect((await agent.get(panelForm(tenant, target))).status).toBe(403);
      const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/staff`);
      expect((await send(agent, panelSave(tenant, target), { _csrf: csrf, firstName: 'X', lastName: 'Y', email: '', phone: '', version: '1' })).status).toBe(403);
      expect((await rowOf(target.id)).first_name).not.toBe('X');
    }
    const superadmin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const form = await openedForm(superadmin, panelForm(tenant, otherAdmin));
    expect(form).not.toHaveProperty('isPrimaryContact');
    expect((await send(superadmin, panelSave(tenant, otherAdmin), { ...form, phone: '600 100 200' })).status).toBe(303);
    expect((await rowOf(otherAdmin.id)).phone).toBe('600 100 200');
  });

  it('answers bad input with 422, the messages in the user’s language and the values typed, and writes nothing', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { firstName: 'Jan', lastName: 'Kowal' });
    const { agent } = await adminOf(tenant);
    const form = await openedForm(agent, panelForm(tenant, client));
    const response = await send(agent, panelSave(tenant, client), { ...form, firstName: '', email: 'not-an-address', phone: 'call me maybe', lastName: 'Nowak<b>' });
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'firstName')).toBe('To pole jest wymagane.');
    expect(fieldErrorOf(response.text, 'email')).toBeTruthy();
    expect(fieldErrorOf(response.text, 'phone')).toBeTruthy();
    expect(response.text).toContain('value="not-an-address"');
    expect(response.text).toContain('value="Nowak&lt;b&gt;"');
    expect(response.text).toContain('name="version" value="1"');
    expect(await rowOf(client.id)).toMatchObject({ first_name: 'Jan', last_name: 'Kowal', version: 1 });
    const tampered = await send(agent, panelSave(tenant, client), { ...form, version: 'abc' });
    expect(tampered.status).toBe(422);
  });

  it('after a conflict starts the form from the stored version with only this user’s changes, so saving keeps both people’s work', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { firstName: 'Jan', lastName: 'Kowal' });
    const { agent: first } = await adminOf(tenant);
    const { agent: second } = await adminOf(tenant);
    const firstForm = await openedForm(first, panelForm(tenant, client));
    const secondForm = await openedForm(second, panelForm(tenant, client));
    expect((await send(first, panelSave(tenant, client), { ...firstForm, phone: '+48 600 100 200' })).status).toBe(303);
    const conflict = await send(second, panelSave(tenant, client), { ...secondForm, lastName: 'Kowalski' });
    expect(conflict.status).toBe(409);
    expect(conflict.text).toContain('data-testid="account-conflict"');
    expect(conflict.text).not.toContain('data-testid="account-clashes"');
    // The form holds the first admin's phone and the second's last name, at the stored version.
    expect(conflict.text).toContain('value="+48 600 100 200"');
    expect(conflict.text).toContain('value="Kowalski"');
    expect(conflict.text).toContain('name="version" value="2"');
    expect((await rowOf(client.id)).last_name).toBe('Kowal');
    const merged = openedFormFrom(conflict.text);
    expect((await send(second, panelSave(tenant, client), merged)).status).toBe(303);
    expect(await rowOf(client.id)).toMatchObject({ last_name: 'Kowalski', phone: '+48 600 100 200', version: 3 });
  });

  it('shows the fields both people changed side by side, with this user’s value in the form', async () => {
    const tenant = await makeTenant(env.db, { defaultLocale: 'en' });
    const client = await makeUser(env.db, tenant, 'client', { firstName: 'Jan', lastName: 'Kowal' });
    const { agent: first } = await adminOf(tenant);
    const { agent: second } = await adminOf(tenant);
    const firstForm = await openedForm(first, panelForm(tenant, client));
    const secondForm = await openedForm(second, panelForm(tenant, client));
    expect((await send(first, panelSave(tenant, client), { ...firstForm, firstName: 'Janusz', isApprover: 'on' })).status).toBe(303);
    const conflict = await send(second, panelSave(tenant, client), { ...secondForm, firstName: 'Johann' });
    expect(conflict.status).toBe(409);
    const clash = /data-testid="clash-firstName">([\s\S]*?)<\/tr>/.exec(conflict.text)?.[1] ?? '';
    expect(clash).toContain('<td>Johann</td>');
    expect(clash).toContain('<td>Janusz</td>');
    expect(conflict.text).not.toContain('data-testid="clash-isApprover"');
    const merged = openedFormFrom(conflict.text);
    expect(merged).toMatchObject({ firstName: 'Johann', isApprover: 'on', version: '2' });
  });

  it('counts the same values sent twice (a double click) as saved, with one audit entry', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const { agent } = await adminOf(tenant);
    const form = { ...(await openedForm(agent, panelForm(tenant, client))), phone: '600 700 800' };
    const [one, two] = await Promise.all([send(agent, panelSave(tenant, client), form), send(agent, panelSave(tenant, client), form)]);
    expect([one.status, two.status]).toEqual([303, 303]);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'account.updated' })).toHaveLength(1);
    expect((await rowOf(client.id)).version).toBe(2);
  });

  it('voids the links sent to the old address when the e-mail changes, and tells the old address', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { firstName: 'Jan', lastName: 'Kowal' });
    const { agent } = await adminOf(tenant);
    await send(agent, `/${tenant.slug}/admin/accounts/${client.id}/password-reset`, { _csrf: await csrfTokenFrom(agent, `/${tenant.slug}/admin/accounts/${client.id}`) });
    expect(await env.db('password_tokens').where({ user_id: client.id }).whereNull('used_at')).toHaveLength(1);
    const form = await openedForm(agent, panelForm(tenant, client));
    expect((await send(agent, panelSave(tenant, client), { ...form, email: `${uniqueName('new')}@example.test` })).status).toBe(303);
    expect(await env.db('password_tokens').where({ user_id: client.id }).whereNull('used_at')).toEqual([]);
    const notice = await env.db('outbox').where({ tenant_id: tenant.id, template: 'email-changed', recipient: client.email! }).first();
    expect(Number(notice.recipient_user_id)).toBe(client.id);
  });

  it('warns about an e-mail address another account uses, naming it, and saves once the person confirms that address', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Ewa', lastName: 'Nowak' });
    const client = await makeUser(env.db, tenant, 'client');
    const { agent } = await adminOf(tenant);
    const form = await openedForm(agent, panelForm(tenant, client));
    const warned = await send(agent, panelSave(tenant, client), { ...form, email: other.email!.toUpperCase() });
    expect(warned.status).toBe(422);
    expect(fieldErrorOf(warned.text, 'email')).toContain(`${other.login} (Ewa Nowak)`);
    expect(warned.text).toContain(`name="confirmSharedEmail" value="${other.email!.toUpperCase()}"`);
    expect((await rowOf(client.id)).email).toBe(client.email);
    // A confirmation of another address confirms nothing.
    expect((await send(agent, panelSave(tenant, client), { ...form, email: other.email!, confirmSharedEmail: 'someone@else.test' })).status).toBe(422);
    expect((await send(agent, panelSave(tenant, client), { ...form, email: other.email!, confirmSharedEmail: other.email! })).status).toBe(303);
    expect((await rowOf(client.id)).email).toBe(other.email);
  });

  it('warns on creating a staff or client account with an address in use; a caretaker learns only a count of accounts out of reach', async () => {
    const tenant = await makeTenant(env.db);
    const strangerClient = await makeUser(env.db, tenant, 'client', { firstName: 'Tajny', lastName: 'Klient' });
    const { agent } = await adminOf(tenant);
    const staffFields = { login: uniqueName('ewa'), firstName: 'Ewa', lastName: 'Nowa', email: strangerClient.email!, phone: '', role: 'caretaker', passwordChoice: 'invitation' };
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/admin/accounts/new`);
    const staff = await send(agent, `/${tenant.slug}/admin/accounts`, { _csrf: csrf, ...staffFields });
    expect(staff.status).toBe(422);
    expect(fieldErrorOf(staff.text, 'email')).toContain(`${strangerClient.login} (Tajny Klient)`);
    expect(staff.text).toContain(`value="${staffFields.login}"`);
    expect(await env.db('users').where({ tenant_id: tenant.id, login: staffFields.login })).toEqual([]);
    expect((await send(agent, `/${tenant.slug}/admin/accounts`, { _csrf: csrf, ...staffFields, confirmSharedEmail: strangerClient.email! })).status).toBe(303);

    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const caretakerAgent = await signedInAgent(env.app, tenant, caretaker.login);
    const caretakerCsrf = await csrfTokenFrom(caretakerAgent, `/${tenant.slug}/staff`);
    const clientFields = { _csrf: caretakerCsrf, login: uniqueName('jan'), firstName: 'Jan', lastName: 'Nowy', email: strangerClient.email!, phone: '', access: 'invitation' };
    const refused = await send(caretakerAgent, `/${tenant.slug}/staff/customers/${customer.id}/accounts`, clientFields);
    expect(refused.status).toBe(422);
    const message = fieldErrorOf(refused.text, 'email')!;
    expect(message).toContain(`${staffFields.login} (Ewa Nowa)`);
    expect(message).toContain('1 konto, którego nie możesz zobaczyć');
    expect(message).not.toContain(strangerClient.login);
    expect(refused.text).not.toContain('Tajny');
    expect((await send(caretakerAgent, `/${tenant.slug}/staff/customers/${customer.id}/accounts`, { ...clientFields, confirmSharedEmail: strangerClient.email! })).status).toBe(303);
  });

  it('gives the same login hint on the staff and the client account forms, up front', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const hint = 'Login: litery a–z, cyfry oraz . _ - @, od 2 do 100 znaków, bez spacji i bez polskich liter (ą, ę, ł…).';
    const { agent } = await adminOf(tenant);
    expect((await agent.get(`/${tenant.slug}/admin/accounts/new`)).text).toContain(`<p class="field__hint" id="field-login-hint">${hint}</p>`);
    const caretakerAgent = await signedInAgent(env.app, tenant, caretaker.login);
    expect((await caretakerAgent.get(`/${tenant.slug}/staff/customers/${customer.id}/accounts`)).text).toContain(`<p class="field__hint" id="field-login-hint">${hint}</p>`);
  });

  /** The fields of a form page's HTML, as its browser would send them. */
  function openedFormFrom(html: string): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const match of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*>/g)) {
      const tag = match[0];
      if (/type="checkbox"/.test(tag)) {
        if (/\schecked/.test(tag)) fields[match[1]!] = 'on';
        continue;
      }
      fields[match[1]!] = (/value="([^"]*)"/.exec(tag)?.[1] ?? '').replace(/&#34;/g, '"').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    }
    return fields;
  }
});
