import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/db/scope.js';
import { throttlePolicy } from '../../src/models/login-throttle.js';
import { routeTable, type RouteDefinition } from '../../src/routes.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, uniqueName, type TestTenant } from '../support/factories.js';
import { appBehindProxy, csrfTokenFrom, signedInAgent, submitSignIn, uniqueClientAddress, type Agent } from '../support/http.js';

/** Every route of the superadmin's audience (the audit log, its CSV, the failed jobs, and whatever comes next). */
const superadminRoutes = routeTable().filter((route) => route.audience === 'superadmin');
const urlOf = (route: RouteDefinition, slug: string) => route.path.replace(':tenant', slug).replace(/[:*]\w+/g, '1');

describeOnEachDatabase('security events in the audit log (D3)', (env) => {
  const eventsOf = (tenant: TestTenant, action: string) => env.db('audit_log').where({ tenant_id: tenant.id, action }).orderBy('sequence');

  function send(agent: Agent, route: RouteDefinition, url: string, csrfToken: string) {
    return route.method === 'GET' ? agent.get(url) : agent.post(url).type('form').send({ _csrf: csrfToken });
  }

  describe('a signed-in user refused a superadmin page', () => {
    it('has superadmin routes to walk', () => {
      expect(superadminRoutes.map((route) => route.name)).toEqual(expect.arrayContaining(['superadmin.auditEntries.index', 'superadmin.auditEntryExports.index']));
    });

    for (const route of superadminRoutes) {
      it(`answers an admin 403 on ${route.name} and logs one access.denied with the route and the admin`, async () => {
        const tenant = await makeTenant(env.db);
        const admin = await makeUser(env.db, tenant, 'admin');
        const agent = await signedInAgent(env.app, tenant, admin.login);
        const csrfToken = await csrfTokenFrom(agent, `/${tenant.slug}/staff`);
        const response = await send(agent, route, urlOf(route, tenant.slug), csrfToken);
        expect(response.status).toBe(403);
        const rows = await eventsOf(tenant, 'access.denied');
        expect(rows.map((row) => ({ actor: Number(row.actor_id), subject: row.subject_id, details: JSON.parse(row.details) }))).toEqual([
          { actor: admin.id, subject: null, details: { route: route.name } },
        ]);
      });
    }

    for (const role of ['caretaker', 'client'] as const satisfies readonly Role[]) {
      it(`logs a ${role} refused the audit log and its CSV`, async () => {
        const tenant = await makeTenant(env.db);
        const user = await makeUser(env.db, tenant, role);
        const agent = await signedInAgent(env.app, tenant, user.login);
        expect((await agent.get(`/${tenant.slug}/admin/audit-log`)).status).toBe(403);
        expect((await agent.get(`/${tenant.slug}/admin/audit-log.csv`)).status).toBe(403);
        const rows = await eventsOf(tenant, 'access.denied');
        expect(rows.map((row) => [Number(row.actor_id), JSON.parse(row.details).route])).toEqual([
          [user.id, 'superadmin.auditEntries.index'],
          [user.id, 'superadmin.auditEntryExports.index'],
        ]);
      });
    }

    for (const role of ['caretaker', 'client'] as const satisfies readonly Role[]) {
      it(`logs a ${role} refused the purge requests, a request's page and its approval (admins' routes)`, async () => {
        const tenant = await makeTenant(env.db);
        const user = await makeUser(env.db, tenant, role);
        const agent = await signedInAgent(env.app, tenant, user.login);
        const token = await csrfTokenFrom(agent, `/${tenant.slug}/account/profile/edit`);
        expect((await agent.get(`/${tenant.slug}/admin/purge-requests`)).status).toBe(403);
        expect((await agent.get(`/${tenant.slug}/admin/purge-requests/1`)).status).toBe(403);
        expect((await agent.post(`/${tenant.slug}/admin/purge-requests/1/approval`).type('form').send({ _csrf: token, version: '1' })).status).toBe(403);
        const rows = await eventsOf(tenant, 'access.denied');
        expect(rows.map((row) => [Number(row.actor_id), JSON.parse(row.details).route])).toEqual([
          [user.id, 'admin.purgeRequests.index'],
          [user.id, 'admin.purgeRequests.show'],
          [user.id, 'admin.purgeRequestApprovals.create'],
        ]);
      });
    }

    it('logs nothing for an anonymous visitor, who is sent to sign in, nor for an admin refused an admin page of a client', async () => {
      const tenant = await makeTenant(env.db);
      expect((await request(env.app).get(`/${tenant.slug}/admin/audit-log`)).status).toBe(303);
      const admin = await makeUser(env.db, tenant, 'admin');
      const agent = await signedInAgent(env.app, tenant, admin.login);
      expect((await agent.get(`/${tenant.slug}/portal`)).status).toBe(403);
      expect(await eventsOf(tenant, 'access.denied')).toEqual([]);
    });

    it('lets the superadmin in without an entry', async () => {
      const tenant = await makeTenant(env.db);
      const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
      expect((await agent.get(`/${tenant.slug}/admin/audit-log`)).status).toBe(200);
      expect(await eventsOf(tenant, 'access.denied')).toEqual([]);
    });
  });

  describe('a refused sign-in', () => {
    const app = () => appBehindProxy(env.deps);

    it('logs a wrong password with the account as subject, and an unknown login with no subject and nothing typed', async () => {
      const tenant = await makeTenant(env.db);
      const user = await makeUser(env.db, tenant, 'client');
      const headers = { 'X-Forwarded-For': uniqueClientAddress() };
      expect((await submitSignIn(request.agent(app()), tenant, user.login, 'wrong password 1', headers)).status).toBe(401);
      const typedLogin = uniqueName('nobody').toLowerCase();
      expect((await submitSignIn(request.agent(app()), tenant, typedLogin, 'wrong password 2', headers)).status).toBe(401);
      const rows = await eventsOf(tenant, 'user.sign_in_failed');
      expect(rows.map((row) => ({ actor: row.actor_id, subjectType: row.subject_type, subject: row.subject_id === null ? null : Number(row.subject_id), details: JSON.parse(row.details) }))).toEqual([
        { actor: null, subjectType: 'user', subject: user.id, details: { isKnownLogin: true } },
        { actor: null, subjectType: 'user', subject: null, details: { isKnownLogin: false } },
      ]);
      expect(JSON.stringify(rows)).not.toContain(typedLogin);
      expect(JSON.stringify(rows)).not.toContain('wrong password');
      expect(rows[0].ip).toBe(headers['X-Forwarded-For']);
    });

    it('logs the lockout once the failures earn a wait, and no entry for the attempts the throttle refuses', async () => {
      const tenant = await makeTenant(env.db);
      const user = await makeUser(env.db, tenant, 'client');
      const headers = { 'X-Forwarded-For': uniqueClientAddress() };
      for (let attempt = 0; attempt < throttlePolicy.login.freeFailures; attempt += 1) {
        expect((await submitSignIn(request.agent(app()), tenant, user.login, `wrong ${attempt}`, headers)).status).toBe(401);
      }
      expect((await submitSignIn(request.agent(app()), tenant, user.login, 'wrong again', headers)).status).toBe(429);
      expect(await eventsOf(tenant, 'user.sign_in_failed')).toHaveLength(throttlePolicy.login.freeFailures);
      const blocked = await eventsOf(tenant, 'user.sign_in_blocked');
      expect(blocked.map((row) => ({ subject: Number(row.subject_id), details: JSON.parse(row.details) }))).toEqual([
        // The wait left when the refused attempt came: the first wait, or a second less when a second ticked over since the last failure.
        { subject: user.id, details: { isKnownLogin: true, seconds: expect.toSatisfy((seconds: number) => seconds === throttlePolicy.firstWaitSeconds || seconds === throttlePolicy.firstWaitSeconds - 1) } },
      ]);
    });
  });
});
