import request from 'supertest';
import { expect, it } from 'vitest';
import type { Tenant } from '../../src/models/tenant.js';
import type { User } from '../../src/models/user.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { saveSettings } from '../../src/models/settings.js';
import { makeTenant, makeUser, testPassword, userScope } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent, submitSignIn, type Agent } from '../support/http.js';

describeOnEachDatabase('landing page after sign-in and the last visited page (A10)', (env) => {
  const lastVisited = async (user: User) => (await env.db('users').where('id', user.id).first()).last_visited_path as string | null;
  const prefer = async (user: User, landingPage: 'last' | 'dashboard' | 'tickets', lastVisitedPath: string | null = null) => {
    await saveSettings(userScope(env.db, user), 'account', user.id, { 'account.landing_page': landingPage });
    await env.db('users').where('id', user.id).update({ last_visited_path: lastVisitedPath });
  };

  async function landingOf(tenant: Tenant, user: User, next?: string): Promise<string | undefined> {
    const agent = request.agent(env.app);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    const response = await agent.post(`/${tenant.slug}/login`).type('form').send({ _csrf: token, login: user.login, password: testPassword, ...(next ? { next } : {}) });
    expect(response.status).toBe(303);
    return response.headers.location;
  }

  /** Signs out with the token of the page given, so that page stays the last one visited. */
  async function signOut(agent: Agent, tenant: Tenant, page: string): Promise<void> {
    const token = await csrfTokenFrom(agent, page);
    expect((await agent.post(`/${tenant.slug}/logout`).type('form').send({ _csrf: token })).status).toBe(303);
  }

  it('lands on the dashboard by default', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    expect(await landingOf(tenant, client)).toBe(`/${tenant.slug}/portal`);
    expect(await landingOf(tenant, caretaker)).toBe(`/${tenant.slug}/staff`);
  });

  it('lands on the last page visited when the user chose it, after signing out and in again', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    await prefer(client, 'last');
    const agent = await signedInAgent(env.app, tenant, client.login);
    expect((await agent.get(`/${tenant.slug}/account/password`)).status).toBe(200);
    expect(await lastVisited(client)).toBe(`/${tenant.slug}/account/password`);
    await signOut(agent, tenant, `/${tenant.slug}/account/password`);
    expect(await landingOf(tenant, client)).toBe(`/${tenant.slug}/account/password`);
  });

  it('keeps a page asked for with next ahead of the preference', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    await prefer(client, 'last', `/${tenant.slug}/account/password`);
    expect(await landingOf(tenant, client, `/${tenant.slug}/account`)).toBe(`/${tenant.slug}/account`);
  });

  it('sends the ticket-list choice to the client’s tickets and to the staff’s own tasks', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const admin = await makeUser(env.db, tenant, 'admin');
    await prefer(client, 'tickets');
    await prefer(admin, 'tickets');
    expect(await landingOf(tenant, client)).toBe(`/${tenant.slug}/portal/tickets`);
    expect(await landingOf(tenant, admin)).toBe(`/${tenant.slug}/staff/tasks`);
  });

  it('falls back to the dashboard when the last page is not one the user may open, or no page at all', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const cases: Array<[User, string, string]> = [
      [client, `/${tenant.slug}/admin`, 'portal'],
      [client, `/${tenant.slug}/staff`, 'portal'],
      [client, `/${other.slug}/portal`, 'portal'],
      [client, `/${tenant.slug}/portal/no-such-page`, 'portal'],
      [client, 'https://evil.example/phish', 'portal'],
      [client, `/${tenant.slug}/login`, 'portal'],
      [caretaker, `/${tenant.slug}/admin/settings`, 'staff'],
      [caretaker, `/${tenant.slug}/portal`, 'staff'],
    ];
    for (const [user, path, dashboard] of cases) {
      await prefer(user, 'last', path);
      expect(await landingOf(tenant, user), path).toBe(`/${tenant.slug}/${dashboard}`);
    }
  });

  it('remembers only pages shown with 200: not redirects, errors, refusals or form posts', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    expect((await agent.get(`/${tenant.slug}/account`)).status).toBe(200);
    const remembered = `/${tenant.slug}/account`;
    expect(await lastVisited(client)).toBe(remembered);

    expect((await agent.get(`/${tenant.slug}/portal/no-such-page`)).status).toBe(404);
    expect((await agent.get(`/${tenant.slug}/staff`)).status).toBe(403);
    expect((await agent.get(`/${tenant.slug}/login`)).status).toBe(303);
    expect((await agent.get(`/${tenant.slug}`)).status).toBe(303);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/account`);
    expect((await agent.post(`/${tenant.slug}/language`).type('form').send({ _csrf: token, locale: 'en', returnTo: `/${tenant.slug}/portal` })).status).toBe(303);
    expect(await lastVisited(client)).toBe(remembered);
  });

  it('writes the last page only when it changed, not on every page view', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    const writes: string[] = [];
    const listener = (query: { sql: string }) => {
      if (/^update/i.test(query.sql) && query.sql.includes('last_visited_path')) writes.push(query.sql);
    };
    env.db.on('query', listener);
    try {
      await agent.get(`/${tenant.slug}/account`);
      await agent.get(`/${tenant.slug}/account`);
      await agent.get(`/${tenant.slug}/account`);
      expect(writes).toHaveLength(1);
      await agent.get(`/${tenant.slug}/account/password`);
      expect(writes).toHaveLength(2);
    } finally {
      env.db.off('query', listener);
    }
  });

  it('does not remember pages for a user who must first change their password', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { mustChangePassword: true });
    const agent = request.agent(env.app);
    expect((await submitSignIn(agent, tenant, client.login)).headers.location).toBe(`/${tenant.slug}/account/password`);
    expect((await agent.get(`/${tenant.slug}/account/password`)).status).toBe(200);
    expect(await lastVisited(client)).toBeNull();
  });
});
