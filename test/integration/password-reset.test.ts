import type { Express } from 'express';
import request from 'supertest';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { Tenant } from '../../src/models/tenant.js';
import { lockUser, type User } from '../../src/models/user.js';
import { fromDatabaseTime } from '../../src/lib/time.js';
import { isWrite, statementsDuring } from '../support/apps.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor, testPassword, uniqueName } from '../support/factories.js';
import { appBehindProxy, csrfTokenFrom, fieldErrorOf, signedInAgent, submitSignIn, uniqueClientAddress, type Agent } from '../support/http.js';
import { latestMailTo, linkPathIn } from '../support/mail.js';

const newPassword = 'a brand new password';
const sentPage = 'Jeśli podane dane pasują do konta z adresem e-mail, wysłaliśmy na ten adres link do ustawienia nowego hasła.';

describeOnEachDatabase('password reset by e-mail', (env) => {
  afterEach(() => env.clock.reset());
  // Each test asks from an address of its own, so the per-address limit of one never reaches another.
  let app: Express;
  beforeAll(() => {
    app = appBehindProxy(env.deps);
  });
  const visitor = () => request.agent(app).set('X-Forwarded-For', uniqueClientAddress());

  async function ask(agent: Agent, tenant: Tenant, loginOrEmail: string) {
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/password-resets/new`);
    return agent.post(`/${tenant.slug}/password-resets`).type('form').send({ _csrf: csrf, loginOrEmail });
  }

  async function setNewPassword(agent: Agent, tenant: Tenant, link: string, password = newPassword, confirmation = password) {
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    return agent.post(link).type('form').send({ _csrf: csrf, newPassword: password, passwordConfirmation: confirmation });
  }

  /** Asks for a reset of the user's account and returns the link from the e-mail. */
  async function resetLinkFor(tenant: Tenant, user: User, by: 'login' | 'email' = 'login'): Promise<string> {
    expect((await ask(visitor(), tenant, by === 'login' ? user.login : user.email!)).status).toBe(303);
    return linkPathIn(await latestMailTo(env, user.email!), env.config.baseUrl);
  }

  const userRow = (id: number) => env.db('users').where('id', id).first();
  const countIn = async (table: string, tenant: Tenant) => Number((await env.db(table).where('tenant_id', tenant.id).count({ count: '*' }).first())?.count);

  it('offers “Forgot your password?” on the sign-in page, in both languages', async () => {
    const tenant = await makeTenant(env.db);
    const polish = await request(app).get(`/${tenant.slug}/login`);
    expect(polish.text).toContain(`<a href="/${tenant.slug}/password-resets/new">Nie pamiętasz hasła?</a>`);
    const english = await request(app).get(`/${tenant.slug}/login`).set('Accept-Language', 'en');
    expect(english.text).toContain('Forgot your password?</a>');
    const form = await request(app).get(`/${tenant.slug}/password-resets/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="loginOrEmail"');
  });

  it('answers an unknown login exactly as a known one: the same status, the same address and the same page', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const known = await ask(visitor(), tenant, user.login);
    const unknown = await ask(visitor(), tenant, uniqueName('nobody'));
    const unknownAddress = await ask(visitor(), tenant, 'nobody@nowhere.example');
    for (const response of [known, unknown, unknownAddress]) {
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(`/${tenant.slug}/password-resets/sent`);
      expect(response.text).toBe(known.text);
      expect(Boolean(response.headers['set-cookie'])).toBe(Boolean(known.headers['set-cookie']));
    }
    const page = await request(app).get(`/${tenant.slug}/password-resets/sent`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(sentPage);
  });

  it('writes nothing for an unknown login but the counter of the asking address', async () => {
    const tenant = await makeTenant(env.db);
    await makeUser(env.db, tenant, 'client');
    const agent = visitor();
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/password-resets/new`);
    const statements = await statementsDuring(env.db, async () => {
      expect((await agent.post(`/${tenant.slug}/password-resets`).type('form').send({ _csrf: csrf, loginOrEmail: uniqueName('nobody') })).status).toBe(303);
    });
    const writes = statements.filter(isWrite).filter((sql) => !/\bsessions\b/.test(sql));
    expect(writes.length).toBeGreaterThan(0);
    for (const sql of writes) expect(sql).toMatch(/\blogin_throttles\b/);
    expect(await countIn('password_tokens', tenant)).toBe(0);
    expect(await countIn('outbox', tenant)).toBe(0);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'user.password_reset_requested' }).count({ count: '*' }).first()).toMatchObject({ count: 0 });
  });

  it('e-mails a one-hour link in the account’s language, found by login or by e-mail address', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const byLogin = await resetLinkFor(tenant, user);
    expect(byLogin).toMatch(new RegExp(`^/${tenant.slug}/password-resets/[A-Za-z0-9_-]{43}$`));
    const mail = await latestMailTo(env, user.email!);
    expect(mail.subject).toBe(`${tenant.name}: ustawienie nowego hasła`);
    expect(mail.text).toContain(user.login);
    const token = await env.db('password_tokens').where({ user_id: user.id, purpose: 'reset' }).orderBy('id', 'desc').first();
    expect(fromDatabaseTime(token.expires_at)!.getTime() - fromDatabaseTime(token.created_at)!.getTime()).toBe(60 * 60 * 1000);

    const english = await makeUser(env.db, tenant, 'caretaker', { locale: 'en' });
    const byEmail = await resetLinkFor(tenant, english, 'email');
    expect(byEmail).not.toBe(byLogin);
    expect((await latestMailTo(env, english.email!)).subject).toBe(`${tenant.name}: set a new password`);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, subject_id: english.id, action: 'user.password_reset_requested' }).first()).toBeDefined();
  });

  it('sets the new password from the link, ends every other session of the user, and signs in afresh on the dashboard', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const elsewhere = await signedInAgent(env.app, tenant, user.login);
    expect((await elsewhere.get(`/${tenant.slug}/portal`)).status).toBe(200);
    const link = await resetLinkFor(tenant, user);

    const agent = visitor();
    const form = await agent.get(link);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Ustaw nowe hasło');
    expect(form.text).toContain(user.login);
    const response = await setNewPassword(agent, tenant, link);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/portal`);
    const dashboard = await agent.get(`/${tenant.slug}/portal`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('Nowe hasło zostało zapisane, a wszystkie inne sesje zakończone.');

    const other = await elsewhere.get(`/${tenant.slug}/portal`);
    expect(other.status).toBe(303);
    expect(other.headers.location).toMatch(new RegExp(`^/${tenant.slug}/login`));
    expect((await submitSignIn(visitor(), tenant, user.login, testPassword)).status).toBe(401);
    expect((await submitSignIn(visitor(), tenant, user.login, newPassword)).status).toBe(303);
    const actions = await env.db('audit_log').where({ tenant_id: tenant.id, subject_id: user.id }).pluck('action');
    expect(actions).toEqual(expect.arrayContaining(['user.password_reset_requested', 'user.password_reset']));
  });

  it('lands staff on the staff dashboard and clears a forced password change', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'caretaker', { mustChangePassword: true });
    const agent = visitor();
    const response = await setNewPassword(agent, tenant, await resetLinkFor(tenant, user));
    expect(response.headers.location).toBe(`/${tenant.slug}/staff`);
    expect((await agent.get(`/${tenant.slug}/staff`)).status).toBe(200);
    expect(Boolean((await userRow(user.id)).must_change_password)).toBe(false);
  });

  it('answers a used link (410) and an expired one (410) with the request form and a note, and changes nothing', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const link = await resetLinkFor(tenant, user);
    expect((await setNewPassword(visitor(), tenant, link)).status).toBe(303);
    const hash = (await userRow(user.id)).password_hash;
    const used = await visitor().get(link);
    expect(used.status).toBe(410);
    expect(used.text).toContain('Ten link został już użyty');
    expect(used.text).toContain('name="loginOrEmail"');
    expect((await setNewPassword(visitor(), tenant, link, 'an attacker’s password')).status).toBe(410);
    expect((await userRow(user.id)).password_hash).toBe(hash);

    const second = await resetLinkFor(tenant, user);
    // A reset link works for an hour of the app's clock.
    env.clock.advance(59 * 60_000);
    expect((await visitor().get(second)).status).toBe(200);
    env.clock.advance(2 * 60_000);
    const expired = await visitor().get(second);
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('Ten link wygasł: link do zmiany hasła działa przez godzinę.');
    expect((await setNewPassword(visitor(), tenant, second)).status).toBe(410);
    expect((await userRow(user.id)).password_hash).toBe(hash);
  });

  it('answers an unknown link with 404 and a new link, five minutes later, voids the earlier one', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const first = await resetLinkFor(tenant, user);
    const unknown = await visitor().get(`/${tenant.slug}/password-resets/${'x'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Ten link jest nieprawidłowy.');
    // Five minutes of the app's clock later, another request replaces the link.
    env.clock.advance(6 * 60 * 1000);
    const second = await resetLinkFor(tenant, user);
    expect((await visitor().get(first)).status).toBe(410);
    expect((await visitor().get(second)).status).toBe(200);
  });

  it('answers a bad new password with 422 and the form, and the link still works', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const link = await resetLinkFor(tenant, user);
    const agent = visitor();
    const short = await setNewPassword(agent, tenant, link, 'short');
    expect(short.status).toBe(422);
    expect(fieldErrorOf(short.text, 'newPassword')).toBe('Hasło musi mieć co najmniej 8 znaków.');
    const mismatch = await setNewPassword(agent, tenant, link, newPassword, 'another one');
    expect(fieldErrorOf(mismatch.text, 'passwordConfirmation')).toBe('Hasła nie są takie same.');
    expect((await setNewPassword(agent, tenant, link)).status).toBe(303);
  });

  it('answers an empty or over-long request with 422 and sends nothing', async () => {
    const tenant = await makeTenant(env.db);
    const empty = await ask(visitor(), tenant, '   ');
    expect(empty.status).toBe(422);
    expect(fieldErrorOf(empty.text, 'loginOrEmail')).toBe('To pole jest wymagane.');
    const tooLong = await ask(visitor(), tenant, 'x'.repeat(201));
    expect(tooLong.status).toBe(422);
    expect(fieldErrorOf(tooLong.text, 'loginOrEmail')).toBe('To pole może mieć najwyżej 200 znaków.');
    expect(await countIn('outbox', tenant)).toBe(0);
  });

  it('sends nothing to a deactivated account, and does not sign a locked one in', async () => {
    const tenant = await makeTenant(env.db);
    const gone = await makeUser(env.db, tenant, 'client');
    await env.db('users').where('id', gone.id).update({ is_active: false });
    expect((await ask(visitor(), tenant, gone.login)).status).toBe(303);
    expect(await countIn('outbox', tenant)).toBe(0);

    const locked = await makeUser(env.db, tenant, 'client');
    const link = await resetLinkFor(tenant, locked);
    await lockUser(scopeFor(env.db, tenant), locked.id);
    const agent = visitor();
    const response = await setNewPassword(agent, tenant, link);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/login`);
    expect((await agent.get(`/${tenant.slug}/login`)).text).toContain('konto jest zablokowane');
    expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(303);
  });

  it('sends no second link within five minutes, so nobody can flood an inbox or keep voiding a fresh link', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const first = await resetLinkFor(tenant, user);
    const outboxBefore = await countIn('outbox', tenant);
    const again = await ask(visitor(), tenant, user.login);
    expect(again.status).toBe(303);
    expect(await countIn('outbox', tenant)).toBe(outboxBefore);
    expect((await visitor().get(first)).status).toBe(200);
  });
});
