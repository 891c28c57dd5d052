import { createHmac } from 'node:crypto';
import request from 'supertest';
import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser } from '../support/factories.js';
import { csrfTokenFrom, sessionCookieOf, signedInAgent, submitSignIn } from '../support/http.js';

/** The session id inside a cookie ("ebok.sid=s%3A<id>.<signature>"). */
function sessionIdOf(cookie: string): string {
  const value = decodeURIComponent(cookie.split(';')[0]!.replace(/^ebok\.sid=/, ''));
  return value.slice(2, value.lastIndexOf('.'));
}

/** The ebok.sid cookie a response sets, with its attributes, if it sets one. */
function setSessionCookie(response: request.Response): string | undefined {
  const header = response.headers['set-cookie'] as unknown as string[] | undefined;
  return (header ?? []).find((cookie) => cookie.startsWith('ebok.sid='));
}

/** A cookie value signed the way express-session signs one. */
function signedCookie(sessionId: string, secret: string): string {
  const signature = createHmac('sha256', secret).update(sessionId).digest('base64').replace(/=+$/, '');
  return `ebok.sid=${encodeURIComponent(`s:${sessionId}.${signature}`)}`;
}

describeOnEachDatabase('sessions', (env) => {
  const sessionRow = (sessionId: string) => env.db('sessions').where('sid', sessionId).first();

  it('gives the browser a new session id at sign-in and deletes the session it had before', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, user.login);
    // A visitor has a session of their own only when one was left to them: here, signed out by the idle timeout.
    env.clock.advance(31 * 60 * 1000);
    try {
      expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(303);
    } finally {
      env.clock.reset();
    }
    const anonymousId = sessionIdOf(sessionCookieOf(agent, tenant));
    expect((await sessionRow(anonymousId))?.user_id).toBeNull();
    const response = await submitSignIn(agent, tenant, user.login);
    expect(response.status).toBe(303);
    const signedInId = sessionIdOf(setSessionCookie(response)!);
    expect(signedInId).not.toBe(anonymousId);
    expect(sessionIdOf(sessionCookieOf(agent, tenant))).toBe(signedInId);
    expect(await sessionRow(anonymousId)).toBeUndefined();
  });

  it('keeps the tenant and the user on the session row, and only the user id in the session', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'caretaker');
    const agent = await signedInAgent(env.app, tenant, user.login);
    const row = await sessionRow(sessionIdOf(sessionCookieOf(agent, tenant)));
    expect(Number(row.tenant_id)).toBe(tenant.id);
    expect(Number(row.user_id)).toBe(user.id);
    const stored = JSON.parse(row.sess);
    expect(stored.userId).toBe(user.id);
    expect(JSON.stringify(stored)).not.toContain(user.login);
    expect(JSON.stringify(stored)).not.toContain('$2b$');
  });

  it('destroys the session at sign-out, so the old cookie is anonymous afterwards', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, user.login);
    const cookie = sessionCookieOf(agent, tenant);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/portal`);
    const response = await agent.post(`/${tenant.slug}/logout`).type('form').send({ _csrf: token });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/login?signedOut=1&lang=pl`);
    expect(setSessionCookie(response)).toMatch(/^ebok\.sid=;.*Expires=Thu, 01 Jan 1970/);
    expect(await sessionRow(sessionIdOf(cookie))).toBeUndefined();
    const goodbye = await agent.get(response.headers.location!);
    expect(goodbye.text).toContain('Wylogowano. Do zobaczenia!');
    const replayed = await request(env.app).get(`/${tenant.slug}/portal`).set('Cookie', cookie);
    expect(replayed.status).toBe(303);
    expect(replayed.headers.location).toMatch(new RegExp(`^/${tenant.slug}/login\\?next=`));
    expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(303);
  });

  it('refuses to sign out without a session, sending the visitor to sign-in', async () => {
    const tenant = await makeTenant(env.db);
    const agent = request.agent(env.app);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    const response = await agent.post(`/${tenant.slug}/logout`).type('form').send({ _csrf: token });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/login`);
  });

  it('refuses a session cookie replayed on another tenant’s address and destroys that session', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    // Both tenants have a superadmin called "owner": only the tenant check tells them apart.
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const cookie = sessionCookieOf(agent, tenant);
    const replayed = await request(env.app).get(`/${other.slug}/staff`).set('Cookie', cookie);
    expect(replayed.status).toBe(303);
    expect(replayed.headers.location).toBe(`/${other.slug}/login?next=${encodeURIComponent(`/${other.slug}/staff`)}`);
    expect(await sessionRow(sessionIdOf(cookie))).toBeUndefined();
    const home = await agent.get(`/${tenant.slug}/staff`);
    expect(home.status).toBe(303);
    expect(home.headers.location).toMatch(new RegExp(`^/${tenant.slug}/login`));
  });

  it.each([
    ['garbage', () => 'ebok.sid=garbage'],
    ['a badly encoded value', () => 'ebok.sid=%E0%A4%A'],
    ['a forged signature', () => 'ebok.sid=s%3Aforged-session-id.bad-signature'],
    ['a signature made with another secret', () => signedCookie('forged-session-id', 'not-the-secret-of-this-application-at-all')],
    ['a rightly signed id that was never issued', () => signedCookie('never-issued-session-id', env.config.sessionSecret)],
  ])('shows the sign-in form to a cookie with %s as to any visitor, starting no session, and the cookie opens nothing', async (_case, cookie) => {
    const tenant = await makeTenant(env.db);
    const sent = cookie();
    const page = await request(env.app).get(`/${tenant.slug}/login`).set('Cookie', sent);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="_csrf"');
    expect(setSessionCookie(page)).toBeUndefined();
    expect(await env.db('sessions').where('sess', 'like', `%"path":"/${tenant.slug}"%`).first()).toBeUndefined();
    const guarded = await request(env.app).get(`/${tenant.slug}/portal`).set('Cookie', sent);
    expect(guarded.status).toBe(303);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax and only for the tenant’s path', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const response = await submitSignIn(request.agent(env.app), tenant, user.login);
    const cookie = setSessionCookie(response)!;
    const attributes = cookie.split(';').slice(1).map((part) => part.trim());
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Lax');
    expect(attributes).toContain(`Path=/${tenant.slug}`);
    expect(attributes).not.toContain('Path=/');
  });
});
