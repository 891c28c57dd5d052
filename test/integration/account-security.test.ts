import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, expect, it } from 'vitest';
import { enqueueMail } from '../../src/models/outbox.js';
import { issuePasswordToken } from '../../src/models/password-token.js';
import type { Tenant } from '../../src/models/tenant.js';
import { toDatabaseTime } from '../../src/lib/time.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor, testPassword } from '../support/factories.js';
import { appBehindProxy, csrfTokenFrom, signedInAgent, uniqueClientAddress, type Agent } from '../support/http.js';
import { latestMailTo, linkPathIn } from '../support/mail.js';

const newPassword = 'a brand new password';

/** Issue 14, item 11: the two holes an attacker found, each tried as the attacker did. */
describeOnEachDatabase('holes an attacker found in the account layer (issue 14)', (env) => {
  let app: Express;
  beforeAll(() => {
    app = appBehindProxy(env.deps);
  });
  const visitor = () => request.agent(app).set('X-Forwarded-For', uniqueClientAddress());
  const mailbox = (tenant: Tenant) => `/${tenant.slug}/admin/mailbox`;

  async function askReset(tenant: Tenant, loginOrEmail: string) {
    const agent = visitor();
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/password-resets/new`);
    return agent.post(`/${tenant.slug}/password-resets`).type('form').send({ _csrf: csrf, loginOrEmail });
  }

  async function saveOwnEmail(agent: Agent, tenant: Tenant, email: string, extra: Record<string, string> = {}) {
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/account/profile/edit`);
    return agent.post(`/${tenant.slug}/account/profile`).type('form').send({ _csrf: csrf, email, phone: '', correspondenceAddress: '', locale: 'pl', landingPage: 'dashboard', textSize: 'default', currentPassword: testPassword, ...extra });
  }

  async function changeOwnPassword(agent: Agent, tenant: Tenant) {
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/account/password`);
    return agent.post(`/${tenant.slug}/account/password`).type('form').send({ _csrf: csrf, currentPassword: testPassword, newPassword, passwordConfirmation: newPassword });
  }

  it('keeps a superadmin’s reset link out of the mailbox of an admin who took the superadmin’s e-mail address', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(env.app, tenant, admin.login);
    const superadminEmail = tenant.superadmin.email!;
    // The profile warns that the address is another account's (naming it), and takes it only once confirmed.
    const warned = await saveOwnEmail(agent, tenant, superadminEmail);
    expect(warned.status).toBe(422);
    expect(warned.text).toContain(tenant.superadmin.login);
    expect((await saveOwnEmail(agent, tenant, superadminEmail, { confirmSharedEmail: superadminEmail })).status).toBe(303);
    expect((await askReset(tenant, tenant.superadmin.login)).status).toBe(303);
    expect((await askReset(tenant, superadminEmail)).status).toBe(303);

    const [superadminLink] = (await env.db('outbox').where({ tenant_id: tenant.id, recipient_user_id: tenant.superadmin.id, template: 'password-reset' }).orderBy('id', 'desc')).map((row) => String(JSON.parse(String(row.data)).link));
    expect(superadminLink).toMatch(/\/password-resets\//);
    const page = await agent.get(mailbox(tenant));
    expect(page.status).toBe(200);
    expect(page.text).toContain(superadminEmail);
    expect(page.text).not.toContain(superadminLink);
    expect(page.text).not.toContain(linkPathIn({ to: '', subject: '', text: superadminLink! }, env.config.baseUrl));
    // The admin's own reset, asked for by the shared address, is the admin's to read.
    const [ownLink] = (await env.db('outbox').where({ tenant_id: tenant.id, recipient_user_id: admin.id, template: 'password-reset-shared' })).map((row) => String(JSON.parse(String(row.data)).link));
    expect(ownLink).toMatch(/\/password-resets\//);
    expect(page.text).toContain(`<a href="${ownLink}">`);
    // The superadmin reads both.
    const asSuperadmin = await (await signedInAgent(env.app, tenant, tenant.superadmin.login)).get(mailbox(tenant));
    expect(asSuperadmin.text).toContain(`<a href="${superadminLink}">`);
  });

  it('hides from an admin the links of a message that names no account, and of another admin’s; shows a caretaker’s and a client’s', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const otherAdmin = await makeUser(env.db, tenant, 'admin');
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const queue = async (recipientUserId: number | null, link: string) => {
      const id = await enqueueMail(scopeFor(env.db, tenant), { to: 'shared@example.test', recipientUserId, locale: 'en', template: 'password-setup', data: { tenant: tenant.name, login: 'x', link } });
      // Far off, so no test's worker (they share the MySQL database) sends it while this test looks.
      await env.db('outbox').where('id', id).update({ next_attempt_at: toDatabaseTime(new Date(Date.now() + 24 * 3600 * 1000)) });
    };
    await queue(null, 'https://ebok.example/nobody');
    await queue(otherAdmin.id, 'https://ebok.example/other-admin');
    await queue(caretaker.id, 'https://ebok.example/caretaker');
    await queue(admin.id, 'https://ebok.example/own');
    const page = await (await signedInAgent(env.app, tenant, admin.login)).get(mailbox(tenant));
    expect(page.text).not.toContain('https://ebok.example/nobody');
    expect(page.text).not.toContain('https://ebok.example/other-admin');
    expect(page.text).toContain('<a href="https://ebok.example/caretaker">');
    expect(page.text).toContain('<a href="https://ebok.example/own">');
    expect(page.text).toContain('data-testid="mailbox-hidden-links"');
  });

  it('says the mailbox’s messages are logged, not sent', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const client = await makeUser(env.db, tenant, 'client');
    const id = await enqueueMail(scopeFor(env.db, tenant), { to: client.email!, recipientUserId: client.id, locale: 'pl', template: 'password-setup', data: { tenant: tenant.name, login: client.login, link: 'https://ebok.example/x' } });
    await env.db('outbox').where('id', id).update({ status: 'sent', sent_at: toDatabaseTime(new Date()) });
    const page = await (await signedInAgent(env.app, tenant, admin.login)).get(mailbox(tenant));
    expect(page.text).toContain('Nie ustawiono serwera poczty (SMTP_URL), więc wiadomości nie są wysyłane');
    expect(page.text).toContain(`data-testid="mail-${id}-status">zapisana w dzienniku (nie wysłano)<`);
    const english = await (await signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'admin', { locale: 'en' })).login)).get(mailbox(tenant));
    expect(english.text).toContain(`data-testid="mail-${id}-status">logged (not sent)<`);
  });

  it('voids a reset link asked for earlier once the password is changed on the account page', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    expect((await askReset(tenant, client.login)).status).toBe(303);
    const link = linkPathIn(await latestMailTo(env, client.email!), env.config.baseUrl);
    const agent = await signedInAgent(env.app, tenant, client.login);
    expect((await changeOwnPassword(agent, tenant)).status).toBe(303);

    const opened = await visitor().get(link);
    expect(opened.text).toContain('Ten link został już użyty');
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/account`);
    const used = await agent.post(link).type('form').send({ _csrf: csrf, newPassword: 'the attacker’s password', passwordConfirmation: 'the attacker’s password' });
    expect(used.status).not.toBe(303);
    // The password stays the one the user chose.
    expect((await signedInAgent(env.app, tenant, client.login, newPassword))).toBeDefined();
  });

  it('voids every outstanding link (reset, setup, invitation) of an account whose password is set through any one of them', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { password: null });
    const scope = scopeFor(env.db, tenant);
    const invitation = await issuePasswordToken(scope, client.id, 'invitation');
    const setup = await issuePasswordToken(scope, client.id, 'setup');
    const reset = await issuePasswordToken(scope, client.id, 'reset');
    const agent = visitor();
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    expect((await agent.post(`/${tenant.slug}/password-resets/${reset}`).type('form').send({ _csrf: csrf, newPassword, passwordConfirmation: newPassword })).status).toBe(303);
    const unused = await env.db('password_tokens').where({ tenant_id: tenant.id, user_id: client.id }).whereNull('used_at');
    expect(unused).toEqual([]);
    expect((await visitor().get(`/${tenant.slug}/password-setup/${setup}`)).text).toContain('został już użyty');
    expect((await visitor().get(`/${tenant.slug}/invitations/${invitation}`)).text).not.toContain('name="newPassword"');
  });

  it('names the login each reset link is for when several accounts share the address, one message per account', async () => {
    const tenant = await makeTenant(env.db, { defaultLocale: 'en' });
    const first = await makeUser(env.db, tenant, 'client', { firstName: 'Anna', lastName: 'Nowak' });
    const second = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Anna', lastName: 'Nowak' });
    await env.db('users').where('id', second.id).update({ email: first.email!.toUpperCase() });
    expect((await askReset(tenant, first.email!)).status).toBe(303);
    await env.deliverMail();
    const rows = await env.db('outbox').where({ tenant_id: tenant.id, template: 'password-reset-shared' }).orderBy('id');
    expect(rows.map((row) => Number(row.recipient_user_id)).sort()).toEqual([first.id, second.id].sort());
    const { renderMail } = await import('../../src/lib/mail-templates.js');
    for (const [row, account] of rows.map((row) => [row, Number(row.recipient_user_id) === first.id ? first : second] as const)) {
      const mail = renderMail(env.deps.i18n, { to: String(row.recipient), locale: String(row.locale), template: String(row.template), data: JSON.parse(String(row.data)) });
      expect(mail.subject).toBe(`${tenant.name}: a new password for the account ${account.login}`);
      expect(mail.text).toMatch(/^Hello Anna,\n\n/);
      expect(mail.text).toContain(`sets the password of the account ${account.login} only`);
      expect(mail.text).toContain(first.login);
      expect(mail.text).toContain(second.login);
    }
  });

  it('greets by first name, or neutrally when the account carries no person’s name', async () => {
    const tenant = await makeTenant(env.db);
    const named = await makeUser(env.db, tenant, 'client', { firstName: 'Zofia', lastName: 'Nowicka' });
    const company = await makeUser(env.db, tenant, 'client', { firstName: 'Alfa sp. z o.o.', lastName: '' });
    await askReset(tenant, named.login);
    await askReset(tenant, company.login);
    expect((await latestMailTo(env, named.email!)).text).toMatch(/^Dzień dobry Zofia,\n\n/);
    const neutral = await latestMailTo(env, company.email!);
    expect(neutral.text).toMatch(/^Dzień dobry,\n\n/);
    expect(neutral.text).not.toContain('Alfa sp. z o.o.,');
  });
});
