import request from 'supertest';
import { afterEach, expect, it } from 'vitest';
import { issuePasswordToken } from '../../src/models/password-token.js';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, submitSignIn, type Agent } from '../support/http.js';

const chosen = 'my very own password';
const used = 'Link został już użyty. Każdy link działa tylko raz.';

describeOnEachDatabase('one-time password-setup links', (env) => {
  afterEach(() => env.clock.reset());
  async function userWithLink(role: 'client' | 'caretaker' = 'client') {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, role, { password: null });
    const token = await issuePasswordToken(scopeFor(env.db, tenant), user.id, 'setup');
    return { tenant, user, token, link: `/${tenant.slug}/password-setup/${token}` };
  }

  /** Sends the setup form; the CSRF token comes from the sign-in page, as the link page may show no form. */
  async function setPassword(agent: Agent, tenant: Tenant, link: string, password = chosen, confirmation = password) {
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    return agent.post(link).type('form').send({ _csrf: csrf, newPassword: password, passwordConfirmation: confirmation });
  }

  const userRow = (id: number) => env.db('users').where('id', id).first();

  it('shows the form to set a password, naming the account', async () => {
    const { tenant, user, link } = await userWithLink();
    const page = await request(env.app).get(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ustaw swoje hasło');
    const lead = /<p class="lead">([^<]*)<\/p>/.exec(page.text)?.[1];
    expect(lead).toContain(user.login);
    expect(lead).toContain(tenant.name);
    expect(page.text).toContain('name="newPassword"');
  });

  it('sets the password, signs the user in and lands on their dashboard', async () => {
    const { tenant, user, link } = await userWithLink('caretaker');
    const agent = request.agent(env.app);
    const response = await setPassword(agent, tenant, link);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/staff`);
    expect((await agent.get(`/${tenant.slug}/staff`)).status).toBe(200);
    expect((await userRow(user.id)).password_hash).not.toBeNull();
    const actions = await env.db('audit_log').where({ tenant_id: tenant.id, subject_id: user.id }).pluck('action');
    // One entry says what happened: a first password set through the link, not a change of one the account never had.
    expect(actions).toContain('user.password_link_used');
    expect(actions).not.toContain('user.password_changed');
    expect((await submitSignIn(request.agent(env.app), tenant, user.login, chosen)).status).toBe(303);
  });

  it('answers a second use of the link with the “already used” page (410) and changes nothing', async () => {
    const { tenant, user, link } = await userWithLink();
    expect((await setPassword(request.agent(env.app), tenant, link)).status).toBe(303);
    const hash = (await userRow(user.id)).password_hash;
    const page = await request(env.app).get(link);
    expect(page.status).toBe(410);
    expect(page.text).toContain(used);
    const attacker = request.agent(env.app);
    const second = await setPassword(attacker, tenant, link, 'taken over password');
    expect(second.status).toBe(410);
    expect(second.text).toContain(used);
    expect((await userRow(user.id)).password_hash).toBe(hash);
    expect((await attacker.get(`/${tenant.slug}/portal`)).status).toBe(303);
  });

  it('answers an expired link with 410 and sets no password', async () => {
    const { tenant, user, link } = await userWithLink();
    env.clock.advance(7 * 24 * 60 * 60_000 + 60_000);
    const page = await request(env.app).get(link);
    expect(page.status).toBe(410);
    expect(page.text).toContain('Link wygasł.');
    const response = await setPassword(request.agent(env.app), tenant, link);
    expect(response.status).toBe(410);
    expect((await userRow(user.id)).password_hash).toBeNull();
  });

  it('answers an unknown link with 404', async () => {
    const { tenant, token } = await userWithLink();
    const unknown = `/${tenant.slug}/password-setup/${token.slice(0, -4)}${token.endsWith('abcd') ? 'wxyz' : 'abcd'}`;
    const page = await request(env.app).get(unknown);
    expect(page.status).toBe(404);
    expect(page.text).toContain('Ten link jest nieprawidłowy.');
    expect((await setPassword(request.agent(env.app), tenant, unknown)).status).toBe(404);
  });

  it('does not accept a link on another tenant’s address', async () => {
    const { user, link, token } = await userWithLink();
    const other = await makeTenant(env.db);
    expect((await request(env.app).get(`/${other.slug}/password-setup/${token}`)).status).toBe(404);
    expect((await userRow(user.id)).password_hash).toBeNull();
    expect((await request(env.app).get(link)).status).toBe(200);
  });

  it('answers a bad password with 422 and the form again, and the link still works afterwards', async () => {
    const { tenant, user, link } = await userWithLink();
    const agent = request.agent(env.app);
    const response = await setPassword(agent, tenant, link, 'short', 'short');
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'newPassword')).toBe('Hasło musi mieć co najmniej 8 znaków.');
    expect(response.text).toContain('name="newPassword"');
    const mismatch = await setPassword(agent, tenant, link, chosen, 'something else');
    expect(mismatch.status).toBe(422);
    expect(fieldErrorOf(mismatch.text, 'passwordConfirmation')).toBe('Hasła nie są takie same.');
    expect((await userRow(user.id)).password_hash).toBeNull();
    expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(303);
    expect((await setPassword(agent, tenant, link)).status).toBe(303);
  });

  it('stops an earlier link from working once a new one is issued', async () => {
    const { tenant, user, link } = await userWithLink();
    await issuePasswordToken(scopeFor(env.db, tenant), user.id, 'setup');
    const page = await request(env.app).get(link);
    expect(page.status).toBe(410);
    expect(page.text).toContain(used);
  });
});
