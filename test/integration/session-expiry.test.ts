import request from 'supertest';
import { afterEach, expect, it } from 'vitest';
import type { Tenant } from '../../src/models/tenant.js';
import { deactivateUser, lockUser } from '../../src/models/user.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor } from '../support/factories.js';
import { sessionCookieOf, signedInAgent, type Agent } from '../support/http.js';

const minutes = 60 * 1000;
const expired = 'Sesja wygasła. Zaloguj się ponownie.';
const refused = 'Sesja została zakończona. Zaloguj się ponownie.';

describeOnEachDatabase('session expiry and sign-out by the server', (env) => {
  afterEach(() => env.clock.reset());

  const sessionIdOf = (cookie: string) => {
    const value = decodeURIComponent(cookie.replace(/^ebok\.sid=/, ''));
    return value.slice(2, value.lastIndexOf('.'));
  };

  /** Asks for the portal; when sent to sign-in, follows there and returns that page's text too. */
  async function visitPortal(agent: Agent, tenant: Tenant): Promise<{ status: number; location?: string; signInPage?: string }> {
    const response = await agent.get(`/${tenant.slug}/portal`);
    if (response.status !== 303) return { status: response.status };
    const signIn = await agent.get(response.headers.location!);
    return { status: 303, location: response.headers.location, signInPage: signIn.text };
  }

  async function signedInClient() {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { firstName: 'Zofia' });
    const agent = await signedInAgent(env.app, tenant, client.login);
    return { tenant, client, agent, cookie: sessionCookieOf(agent, tenant) };
  }

  it('signs the user out after 30 minutes without activity, saying the session expired', async () => {
    const { tenant, agent, cookie } = await signedInClient();
    env.clock.advance(29 * minutes);
    expect((await visitPortal(agent, tenant)).status).toBe(200);
    env.clock.advance(31 * minutes);
    const visit = await visitPortal(agent, tenant);
    expect(visit.status).toBe(303);
    expect(visit.location).toBe(`/${tenant.slug}/login?next=${encodeURIComponent(`/${tenant.slug}/portal`)}`);
    expect(visit.signInPage).toContain(expired);
    expect(await env.db('sessions').where('sid', sessionIdOf(cookie)).first()).toBeUndefined();
    expect((await visitPortal(agent, tenant)).status).toBe(303);
  });

  it('keeps a session alive past 30 minutes in all while the user stays active', async () => {
    const { tenant, agent } = await signedInClient();
    for (let step = 1; step <= 4; step += 1) {
      env.clock.advance(20 * minutes);
      const visit = await visitPortal(agent, tenant);
      expect(visit.status, `after ${step * 20} minutes`).toBe(200);
    }
  });

  it('ends the session 12 hours after sign-in even with constant activity', async () => {
    const { tenant, agent } = await signedInClient();
    for (let step = 1; step <= 28; step += 1) {
      env.clock.advance(25 * minutes);
      expect((await visitPortal(agent, tenant)).status, `after ${step * 25} minutes`).toBe(200);
    }
    env.clock.advance(25 * minutes);
    const visit = await visitPortal(agent, tenant);
    expect(visit.status).toBe(303);
    expect(visit.signInPage).toContain(expired);
  });

  it('signs a locked user out on their very next request', async () => {
    const { tenant, client, agent, cookie } = await signedInClient();
    expect((await visitPortal(agent, tenant)).status).toBe(200);
    await lockUser(scopeFor(env.db, tenant), client.id);
    const visit = await visitPortal(agent, tenant);
    expect(visit.status).toBe(303);
    expect(visit.signInPage).toContain(refused);
    expect(await env.db('sessions').where('sid', sessionIdOf(cookie)).first()).toBeUndefined();
    const replayed = await request(env.app).get(`/${tenant.slug}/account`).set('Cookie', cookie);
    expect(replayed.status).toBe(303);
  });

  it('signs a deactivated user out on their very next request', async () => {
    const { tenant, client, agent, cookie } = await signedInClient();
    await deactivateUser(scopeFor(env.db, tenant), client.id);
    const visit = await visitPortal(agent, tenant);
    expect(visit.status).toBe(303);
    expect(visit.signInPage).toContain(refused);
    expect(await env.db('sessions').where('sid', sessionIdOf(cookie)).first()).toBeUndefined();
  });

  it('answers a form sent after the idle timeout with sign-in and the expiry message, not a CSRF refusal', async () => {
    const { tenant, client, agent } = await signedInClient();
    const hashBefore = (await env.db('users').where('id', client.id).first()).password_hash;
    const page = await agent.get(`/${tenant.slug}/account/password`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    env.clock.advance(31 * minutes);
    const response = await agent
      .post(`/${tenant.slug}/account/password`)
      .type('form')
      .send({ _csrf: token, currentPassword: 'whatever', newPassword: 'a new password', passwordConfirmation: 'a new password' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/login`);
    expect((await agent.get(response.headers.location!)).text).toContain(expired);
    expect((await env.db('users').where('id', client.id).first()).password_hash).toBe(hashBefore);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'user.password_changed' }).first()).toBeUndefined();
  });
});
