import request from 'supertest';
import { afterEach, expect, it } from 'vitest';
import { createClientAccount } from '../../src/models/client-account.js';
import type { Customer } from '../../src/models/customer.js';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, uniqueName, userScope } from '../support/factories.js';
import { latestMailTo, linkPathIn } from '../support/mail.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, submitSignIn, type Agent } from '../support/http.js';

const chosen = 'my own portal password';
const usedText = 'Link został już użyty. Każdy link działa tylko raz.';
const askText = 'Poproś opiekuna lub administratora o nowy link.';

describeOnEachDatabase('invitations to the portal', (env) => {
  afterEach(() => env.clock.reset());
  /** A caretaker's customer (in a tenant of the given language) and a client account invited to it. */
  async function invitedClient(options: { defaultLocale?: string; locale?: string } = {}) {
    const tenant = await makeTenant(env.db, { defaultLocale: options.defaultLocale ?? 'pl' });
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker, name: uniqueName('Firma') });
    const login = uniqueName('zofia');
    const email = `${login}@example.test`;
    const scope = userScope(env.db, caretaker);
    const user = await createClientAccount(scope, customer.id, accountOf(login, email), { bcryptCost: 4, links: env.links });
    if (options.locale) {
      // The account's own language (chosen in its profile) decides the next e-mail.
      await env.db('users').where('id', user.id).update({ locale: options.locale });
      expect((await createInvitationAgain(tenant, caretaker.login, customer, user.id)).status).toBe(303);
    }
    return { tenant, caretaker, customer, user, email };
  }

  async function createInvitationAgain(tenant: Tenant, staffLogin: string, customer: Customer, userId: number) {
    const agent = await signedInAgent(env.app, tenant, staffLogin);
    return resend(agent, tenant, customer, userId);
  }

  async function resend(agent: Agent, tenant: Tenant, customer: Pick<Customer, 'id'>, userId: number) {
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/staff`);
    return agent.post(`/${tenant.slug}/staff/customers/${customer.id}/accounts/${userId}/invitation`).type('form').send({ _csrf: csrf });
  }

  /** Sends the set-password form of a link; the CSRF token comes from the sign-in page, as a used link shows no form. */
  async function accept(agent: Agent, tenant: Tenant, link: string, password = chosen, confirmation = password) {
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    return agent.post(link).type('form').send({ _csrf: csrf, newPassword: password, passwordConfirmation: confirmation });
  }

  const linkFor = async (email: string) => linkPathIn(await latestMailTo(env, email), env.config.baseUrl);
  const userRow = (id: number) => env.db('users').where('id', id).first();

  it('lets the invited client open the link from the e-mail, set a password and land on the portal dashboard', async () => {
    const { tenant, customer, user, email } = await invitedClient();
    const mail = await latestMailTo(env, email);
    expect(mail.subject).toBe(`${tenant.name}: zaproszenie do portalu klienta`);
    expect(mail.text).toContain(`Login: ${user.login}\n`);
    expect(mail.text).toContain(customer.name);
    const link = linkPathIn(mail, env.config.baseUrl);
    expect(link).toMatch(new RegExp(`^/${tenant.slug}/invitations/[A-Za-z0-9_-]{43}$`));

    const agent = request.agent(env.app);
    const page = await agent.get(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Witamy w portalu klienta');
    expect(/data-testid="invited-name">([^<]*)</.exec(page.text)?.[1]).toBe('Zofia Zaproszona');
    expect(/data-testid="invited-login">([^<]*)</.exec(page.text)?.[1]).toBe(user.login);
    expect(/data-testid="invited-customer">([^<]*)</.exec(page.text)?.[1]).toBe(customer.name);

    const response = await accept(agent, tenant, link);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/portal`);
    const dashboard = await agent.get(`/${tenant.slug}/portal`);
    expect(dashboard.status).toBe(200);
    expect(/data-testid="user-name">([^<]*)</.exec(dashboard.text)?.[1]).toBe('Zofia Zaproszona');
    expect(/data-testid="user-customer">([^<]*)</.exec(dashboard.text)?.[1]).toBe(customer.name);

    const row = await userRow(user.id);
    expect(row.password_hash).not.toBeNull();
    expect(Boolean(row.must_change_password)).toBe(false);
    const actions = await env.db('audit_log').where({ tenant_id: tenant.id, subject_id: user.id }).pluck('action');
    expect(actions).toEqual(expect.arrayContaining(['user.created', 'user.invitation_sent', 'user.invitation_used']));
    expect((await submitSignIn(request.agent(env.app), tenant, user.login, chosen)).status).toBe(303);
  });

  it('writes the invitation in the tenant’s language, or in the account’s own when it has one', async () => {
    const english = await invitedClient({ defaultLocale: 'en' });
    const inEnglish = await latestMailTo(env, english.email);
    expect(inEnglish.subject).toBe(`${english.tenant.name}: your invitation to the customer portal`);
    expect(inEnglish.text).toContain(`Login: ${english.user.login}\n`);

    const own = await invitedClient({ defaultLocale: 'pl', locale: 'en' });
    expect((await latestMailTo(env, own.email)).subject).toBe(`${own.tenant.name}: your invitation to the customer portal`);
  });

  it('shows the invitation page in English to an English browser', async () => {
    const { email } = await invitedClient();
    const page = await request(env.app).get(await linkFor(email)).set('Accept-Language', 'en');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Welcome to the customer portal');
  });

  it('answers a second use of the link with the “already used” page (410) and changes nothing', async () => {
    const { tenant, user, email } = await invitedClient();
    const link = await linkFor(email);
    expect((await accept(request.agent(env.app), tenant, link)).status).toBe(303);
    const hash = (await userRow(user.id)).password_hash;
    const page = await request(env.app).get(link);
    expect(page.status).toBe(410);
    expect(page.text).toContain(usedText);
    expect(page.text).toContain(askText);
    const attacker = request.agent(env.app);
    const second = await accept(attacker, tenant, link, 'taken over password');
    expect(second.status).toBe(410);
    expect((await userRow(user.id)).password_hash).toBe(hash);
    expect((await attacker.get(`/${tenant.slug}/portal`)).status).toBe(303);
  });

  it('answers an expired link with the “expired” page (410) and sets no password', async () => {
    const { tenant, user, email } = await invitedClient();
    const link = await linkFor(email);
    // The clock moves past the invitation's seven days, a minute before and a minute after.
    env.clock.advance(7 * 24 * 60 * 60_000 - 60_000);
    expect((await request(env.app).get(link)).status).toBe(200);
    env.clock.advance(2 * 60_000);
    const page = await request(env.app).get(link);
    expect(page.status).toBe(410);
    expect(page.text).toContain('Link wygasł.');
    expect(page.text).toContain(askText);
    expect((await accept(request.agent(env.app), tenant, link)).status).toBe(410);
    expect((await userRow(user.id)).password_hash).toBeNull();
  });

  it('makes links that work for seven days', async () => {
    const { user } = await invitedClient();
    const token = await env.db('password_tokens').where({ user_id: user.id, purpose: 'invitation' }).first();
    const lifetime = new Date(`${token.expires_at.replace(' ', 'T')}Z`).getTime() - new Date(`${token.created_at.replace(' ', 'T')}Z`).getTime();
    expect(lifetime).toBe(7 * 24 * 60 * 60 * 1000);
    expect(token.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers an unknown link with 404, and an invitation link is no set-up or reset link', async () => {
    const { tenant, email } = await invitedClient();
    const link = await linkFor(email);
    const token = link.split('/').pop()!;
    const unknown = await request(env.app).get(`/${tenant.slug}/invitations/${token.slice(0, -4)}${token.endsWith('abcd') ? 'wxyz' : 'abcd'}`);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Ten link jest nieprawidłowy.');
    expect((await request(env.app).get(`/${tenant.slug}/password-setup/${token}`)).status).toBe(404);
    expect((await request(env.app).get(`/${tenant.slug}/password-resets/${token}`)).status).toBe(404);
    const otherTenant = await makeTenant(env.db);
    expect((await request(env.app).get(`/${otherTenant.slug}/invitations/${token}`)).status).toBe(404);
    expect((await request(env.app).get(link)).status).toBe(200);
  });

  it('answers a bad password with 422 and the form again, and the link still works afterwards', async () => {
    const { tenant, user, email } = await invitedClient();
    const link = await linkFor(email);
    const agent = request.agent(env.app);
    const short = await accept(agent, tenant, link, 'short');
    expect(short.status).toBe(422);
    expect(fieldErrorOf(short.text, 'newPassword')).toBe('Hasło musi mieć co najmniej 8 znaków.');
    expect(short.text).toContain(user.login);
    const mismatch = await accept(agent, tenant, link, chosen, 'something else');
    expect(fieldErrorOf(mismatch.text, 'passwordConfirmation')).toBe('Hasła nie są takie same.');
    expect((await userRow(user.id)).password_hash).toBeNull();
    expect((await accept(agent, tenant, link)).status).toBe(303);
  });

  it('lets the caretaker send the invitation again: the old link stops working and the new one works', async () => {
    const { tenant, caretaker, customer, user, email } = await invitedClient();
    const oldLink = await linkFor(email);
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const response = await resend(agent, tenant, customer, user.id);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/staff/customers/${customer.id}/accounts`);
    expect((await agent.get(response.headers.location!)).text).toContain('Wysłano nowe zaproszenie. Wcześniejsze linki już nie działają.');
    const newLink = await linkFor(email);
    expect(newLink).not.toBe(oldLink);

    const old = await request(env.app).get(oldLink);
    expect(old.status).toBe(410);
    expect(old.text).toContain(usedText);
    expect((await accept(request.agent(env.app), tenant, oldLink)).status).toBe(410);
    expect((await accept(request.agent(env.app), tenant, newLink)).status).toBe(303);
    const sent = await env.db('audit_log').where({ tenant_id: tenant.id, subject_id: user.id, action: 'user.invitation_sent' }).count({ count: '*' }).first();
    expect(Number(sent?.count)).toBe(2);
  });

  it('lets an admin send the invitation again for any customer', async () => {
    const { tenant, customer, user, email } = await invitedClient();
    const admin = await makeUser(env.db, tenant, 'admin');
    const before = await linkFor(email);
    expect((await createInvitationAgain(tenant, admin.login, customer, user.id)).status).toBe(303);
    expect(await linkFor(email)).not.toBe(before);
    // Both invitations name the account's customer: a purge of the customer takes them.
    const invitations = await env.db('outbox').where({ tenant_id: tenant.id, recipient_user_id: user.id, template: 'invitation' }).select('customer_id');
    expect(invitations.map((row) => Number(row.customer_id))).toEqual([customer.id, customer.id]);
  });

  it('answers another caretaker, and an account of another customer or tenant, 404, and sends nothing', async () => {
    const { tenant, customer, user, email } = await invitedClient();
    const outsider = await makeUser(env.db, tenant, 'caretaker');
    const outsiderCustomer = await makeCustomer(env.db, tenant, { caretaker: outsider });
    const outsiderAgent = await signedInAgent(env.app, tenant, outsider.login);
    const mailCount = async () => Number((await env.db('outbox').where('tenant_id', tenant.id).count({ count: '*' }).first())?.count);
    const before = await mailCount();

    // The customer is out of the outsider's reach: not found, as if it did not exist.
    expect((await resend(outsiderAgent, tenant, customer, user.id)).status).toBe(404);
    // Under the outsider's own customer the account is not found: it belongs to another customer.
    expect((await resend(outsiderAgent, tenant, outsiderCustomer, user.id)).status).toBe(404);
    const otherTenant = await makeTenant(env.db);
    const intruder = await signedInAgent(env.app, otherTenant, otherTenant.superadmin.login);
    expect((await resend(intruder, otherTenant, customer, user.id)).status).toBe(404);
    const staffMember = await makeUser(env.db, tenant, 'caretaker');
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    expect((await resend(admin, tenant, customer, staffMember.id)).status).toBe(404);

    expect(await mailCount()).toBe(before);
    expect((await request(env.app).get(await linkFor(email))).status).toBe(200);
  });

  it('refuses a new invitation for an account that has already set its password, with 409', async () => {
    const { tenant, caretaker, customer, user, email } = await invitedClient();
    expect((await accept(request.agent(env.app), tenant, await linkFor(email))).status).toBe(303);
    const response = await createInvitationAgain(tenant, caretaker.login, customer, user.id);
    expect(response.status).toBe(409);
    expect(response.text).toContain('To konto nie czeka na zaproszenie');
  });
});

function accountOf(login: string, email: string) {
  return { login, firstName: 'Zofia', lastName: 'Zaproszona', email, phone: null, isPrimaryContact: true, isApprover: false, access: { kind: 'invitation' as const } };
}
