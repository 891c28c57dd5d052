import { expect, it } from 'vitest';
import type { Role } from '../../src/db/scope.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, testPassword, uniqueName, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, submitSignIn, type Agent } from '../support/http.js';
import { latestMailTo, linkPathIn } from '../support/mail.js';
import request from 'supertest';

type Signed = { agent: Agent; csrfToken: string; userId: number };

describeOnEachDatabase('creating staff accounts (A4)', (env) => {
  async function signInAs(tenant: TestTenant, role: Role): Promise<Signed> {
    const user = role === 'superadmin' ? tenant.superadmin : await makeUser(env.db, tenant, role);
    const agent = await signedInAgent(env.app, tenant, user.login);
    return { agent, csrfToken: await csrfTokenFrom(agent, `/${tenant.slug}/admin/accounts/new`), userId: user.id };
  }

  function createAccount(actor: Signed, tenant: TestTenant, fields: Record<string, string>) {
    const form = { login: uniqueName('staff'), firstName: 'Ewa', lastName: 'Nowa', email: '', phone: '', role: 'caretaker', passwordChoice: 'password', newPassword: testPassword, passwordConfirmation: testPassword, ...fields };
    return actor.agent.post(`/${tenant.slug}/admin/accounts`).set('Accept-Language', 'en').type('form').send({ _csrf: actor.csrfToken, ...form });
  }

  const userWithLogin = (tenant: TestTenant, login: string) => env.db('users').where({ tenant_id: tenant.id, login }).first();

  it('offers an admin only the caretaker role, and a superadmin all three', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await signInAs(tenant, 'admin');
    const adminForm = await admin.agent.get(`/${tenant.slug}/admin/accounts/new`);
    expect(adminForm.text).toContain('value="caretaker"');
    expect(adminForm.text).not.toContain('id="role-admin"');
    const owner = await signInAs(tenant, 'superadmin');
    const ownerForm = await owner.agent.get(`/${tenant.slug}/admin/accounts/new`);
    expect(ownerForm.text).toContain('id="role-admin"');
    expect(ownerForm.text).toContain('id="role-superadmin"');
  });

  it('lets an admin create a caretaker with a password, to be changed at the first sign-in', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await signInAs(tenant, 'admin');
    const response = await createAccount(admin, tenant, { login: 'Ewa.Nowa', phone: '+48 600 100 200' });

    expect(response.status).toBe(303);
    const row = await userWithLogin(tenant, 'ewa.nowa');
    expect(response.headers.location).toBe(`/${tenant.slug}/admin/accounts/${row.id}`);
    expect(row).toMatchObject({ role: 'caretaker', first_name: 'Ewa', phone: '+48 600 100 200', customer_id: null, group_id: null });
    expect(Boolean(row.must_change_password)).toBe(true);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'user.created', subject_id: row.id, actor_id: admin.userId })).toHaveLength(1);
    const signIn = await submitSignIn(request.agent(env.app), tenant, 'ewa.nowa');
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe(`/${tenant.slug}/account/password`);
  });

  it('creates a staff account with an invitation e-mail whose link sets the password', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await signInAs(tenant, 'admin');
    const email = `${uniqueName('new')}@example.test`;
    const response = await createAccount(admin, tenant, { login: 'invited', email, passwordChoice: 'invitation', newPassword: '', passwordConfirmation: '' });

    expect(response.status).toBe(303);
    const row = await userWithLogin(tenant, 'invited');
    expect(row.password_hash).toBeNull();
    expect(row.invited_at).not.toBeNull();
    const mail = await latestMailTo(env, email);
    // A colleague is invited to the staff panel, not to a customer portal (tenant default language: Polish).
    expect(mail.subject).toBe(`${tenant.name}: konto pracownika w eBOK`);
    expect(mail.text).not.toContain('portalu klienta (');
    const link = linkPathIn(mail, env.config.baseUrl);
    expect(link).toMatch(new RegExp(`^/${tenant.slug}/invitations/\\S+$`));
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'user.invitation_sent', subject_id: row.id })).toHaveLength(1);

    // The invited colleague sets a password on the link and lands in the staff panel.
    const colleague = request.agent(env.app);
    const csrfToken = await csrfTokenFrom(colleague, link);
    const accepted = await colleague.post(link).type('form').send({ _csrf: csrfToken, newPassword: testPassword, passwordConfirmation: testPassword });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.location).toBe(`/${tenant.slug}/staff`);
    expect((await colleague.get(`/${tenant.slug}/staff`)).status).toBe(200);
  });

  it('refuses an invitation without an e-mail address with 422, writing nothing', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await signInAs(tenant, 'admin');
    const response = await createAccount(admin, tenant, { login: 'nomail', passwordChoice: 'invitation' });
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'email')).toContain('An invitation is sent by e-mail');
    expect(await userWithLogin(tenant, 'nomail')).toBeUndefined();
  });

  for (const role of ['admin', 'superadmin'] as const) {
    it(`refuses an admin creating a${role === 'admin' ? 'n' : ''} ${role} with 403, writing nothing`, async () => {
      const tenant = await makeTenant(env.db);
      const admin = await signInAs(tenant, 'admin');
      const login = uniqueName('climber');
      const response = await createAccount(admin, tenant, { login, role });
      expect(response.status).toBe(403);
      expect(await userWithLogin(tenant, login)).toBeUndefined();
      expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'user.created', actor_id: admin.userId })).toHaveLength(0);
    });

    it(`lets a superadmin create a${role === 'admin' ? 'n' : ''} ${role}`, async () => {
      const tenant = await makeTenant(env.db);
      const owner = await signInAs(tenant, 'superadmin');
      const login = uniqueName('boss');
      const response = await createAccount(owner, tenant, { login, role });
      expect(response.status).toBe(303);
      expect((await userWithLogin(tenant, login)).role).toBe(role);
    });
  }

  it('refuses a caretaker creating any staff account with 403', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const csrfToken = await csrfTokenFrom(agent, `/${tenant.slug}/staff`);
    const response = await createAccount({ agent, csrfToken, userId: caretaker.id }, tenant, { login: 'sneaky' });
    expect(response.status).toBe(403);
    expect(await userWithLogin(tenant, 'sneaky')).toBeUndefined();
  });

  it('refuses a login taken in the tenant with 422, whatever its case, but allows one of another tenant', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    await makeUser(env.db, other, 'caretaker', { login: 'shared.login' });
    const admin = await signInAs(tenant, 'admin');

    const taken = await createAccount(admin, tenant, { login: tenant.superadmin.login.toUpperCase() });
    expect(taken.status).toBe(422);
    expect(fieldErrorOf(taken.text, 'login')).toContain('already taken');
    expect(taken.text).toContain(`value="${tenant.superadmin.login.toUpperCase()}"`);

    expect((await createAccount(admin, tenant, { login: 'shared.login' })).status).toBe(303);
  });

  it('gives one of two simultaneous requests for the same login the account and the other a 422', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await signInAs(tenant, 'admin');
    const responses = await Promise.all([createAccount(admin, tenant, { login: 'racer' }), createAccount(admin, tenant, { login: 'racer' })]);
    expect(responses.map((response) => response.status).sort()).toEqual([303, 422]);
    expect(await env.db('users').where({ tenant_id: tenant.id, login: 'racer' })).toHaveLength(1);
  });

  it('answers bad input with 422, the messages and the values typed, never the password', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await signInAs(tenant, 'admin');
    const response = await createAccount(admin, tenant, {
      login: 'two words',
      firstName: '',
      lastName: 'x'.repeat(101),
      email: 'not-an-address',
      phone: 'call me',
      newPassword: 'short',
      passwordConfirmation: 'short',
    });
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'login')).toContain('only the letters a–z (no accented letters), digits');
    expect(fieldErrorOf(response.text, 'firstName')).toBe('This field is required.');
    expect(fieldErrorOf(response.text, 'lastName')).toBe('This field can be at most 100 characters long.');
    expect(fieldErrorOf(response.text, 'email')).toContain('e-mail address');
    expect(fieldErrorOf(response.text, 'phone')).toContain('phone number');
    expect(fieldErrorOf(response.text, 'newPassword')).toContain('at least 8 characters');
    expect(response.text).toContain('value="two words"');
    expect(response.text).not.toContain('value="short"');
    expect(await userWithLogin(tenant, 'two words')).toBeUndefined();
  });
});
