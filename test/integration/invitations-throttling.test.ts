import type { Express } from 'express';
import request from 'supertest';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { inviteUser } from '../../src/models/invitation.js';
import { issuePasswordToken } from '../../src/models/password-token.js';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor } from '../support/factories.js';
import { appBehindProxy, csrfTokenFrom, submitSignIn, uniqueClientAddress } from '../support/http.js';
import { latestMailTo, linkPathIn } from '../support/mail.js';

const seconds = 1000;
const throttledText = 'Z Twojego adresu IP otwarto zbyt wiele nieprawidłowych linków.';

describeOnEachDatabase('guessing one-time link tokens', (env) => {
  let app: Express;
  beforeAll(() => {
    app = appBehindProxy(env.deps);
  });
  afterEach(() => env.clock.reset());
  const from = (address: string) => request.agent(app).set('X-Forwarded-For', address);
  const guess = (n: number) => `guess${String(n).padStart(38, '0')}`;

  /** A tenant with an invited client, and the invitation's link from the e-mail. */
  async function invitation() {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { password: null });
    await inviteUser(scopeFor(env.db, tenant), client.id, { links: env.links });
    return { tenant, client, link: linkPathIn(await latestMailTo(env, client.email!), env.config.baseUrl) };
  }

  async function guessTimes(tenant: Tenant, address: string, kind: string, times: number, start = 0): Promise<void> {
    for (let attempt = start; attempt < start + times; attempt += 1) {
      const response = await from(address).get(`/${tenant.slug}/${kind}/${guess(attempt)}`);
      expect(response.status, `guess ${attempt} on ${kind}`).toBe(404);
    }
  }

  it('answers 429 with a clear message after twenty unknown invitation links from one address, a valid link too, until the wait passes', async () => {
    const { tenant, link } = await invitation();
    const address = uniqueClientAddress();
    await guessTimes(tenant, address, 'invitations', 20);

    const blocked = await from(address).get(`/${tenant.slug}/invitations/${guess(99)}`);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain(throttledText);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(25);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(30);
    const valid = await from(address).get(link);
    expect(valid.status).toBe(429);
    expect(valid.text).not.toContain('invited-login');
    const inEnglish = await from(address).get(link).set('Accept-Language', 'en');
    expect(inEnglish.text).toContain('Too many invalid links were opened from your IP address.');

    expect((await from(uniqueClientAddress()).get(link)).status).toBe(200);
    env.clock.advance(31 * seconds);
    expect((await from(address).get(link)).status).toBe(200);
  });

  it('refuses the form of a valid link too while the address waits, and sets no password', async () => {
    const { tenant, client, link } = await invitation();
    const address = uniqueClientAddress();
    const agent = from(address);
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    await guessTimes(tenant, address, 'invitations', 20);
    const response = await agent.post(link).type('form').send({ _csrf: csrf, newPassword: 'a good password', passwordConfirmation: 'a good password' });
    expect(response.status).toBe(429);
    expect((await env.db('users').where('id', client.id).first()).password_hash).toBeNull();
  });

  it('counts unknown set-up, invitation and reset links together, and not expired or used ones', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client', { password: null });
    const address = uniqueClientAddress();
    await guessTimes(tenant, address, 'password-setup', 7);
    await guessTimes(tenant, address, 'invitations', 7, 7);
    await guessTimes(tenant, address, 'password-resets', 5, 14);
    // Used and expired links are real links: opening them again is no guess.
    const used = await issuePasswordToken(scopeFor(env.db, tenant), user.id, 'setup');
    await issuePasswordToken(scopeFor(env.db, tenant), user.id, 'setup');
    const expired = await issuePasswordToken(scopeFor(env.db, tenant), user.id, 'invitation');
    await env.db('password_tokens').where({ user_id: user.id, purpose: 'invitation' }).update({ expires_at: '2000-01-01 00:00:00' });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await from(address).get(`/${tenant.slug}/password-setup/${used}`)).status).toBe(410);
      expect((await from(address).get(`/${tenant.slug}/invitations/${expired}`)).status).toBe(410);
    }
    await guessTimes(tenant, address, 'password-resets', 1, 19);
    for (const kind of ['password-setup', 'invitations', 'password-resets']) {
      expect((await from(address).get(`/${tenant.slug}/${kind}/${guess(50)}`)).status, kind).toBe(429);
    }
    const csrfAgent = from(address);
    const csrf = await csrfTokenFrom(csrfAgent, `/${tenant.slug}/login`);
    expect((await csrfAgent.post(`/${tenant.slug}/password-setup/${guess(51)}`).type('form').send({ _csrf: csrf })).status).toBe(429);
  });

  it('counts guesses sent as forms too', async () => {
    const tenant = await makeTenant(env.db);
    const address = uniqueClientAddress();
    const agent = from(address);
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const response = await agent.post(`/${tenant.slug}/invitations/${guess(attempt)}`).type('form').send({ _csrf: csrf, newPassword: 'a good password', passwordConfirmation: 'a good password' });
      expect(response.status).toBe(404);
    }
    expect((await agent.get(`/${tenant.slug}/invitations/${guess(20)}`)).status).toBe(429);
  });

  it('leaves sign-in from a blocked address as it was', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const address = uniqueClientAddress();
    await guessTimes(tenant, address, 'invitations', 20);
    expect((await from(address).get(`/${tenant.slug}/invitations/${guess(20)}`)).status).toBe(429);
    expect((await submitSignIn(from(address), tenant, user.login)).status).toBe(303);
    // The sign-in took its attempt from the address and gave it back: nothing counts against it.
    const throttles = await env.db('login_throttles').where('throttle_key', 'like', `%${address}`).andWhere('failures', '>', 0).pluck('throttle_key');
    expect(throttles).toEqual([`token-ip:${tenant.id}:${address}`]);
  });
});
