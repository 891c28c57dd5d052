import express from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { mountRoutes } from '../../src/app.js';
import type { Role } from '../../src/db/scope.js';
import { createPathTo } from '../../src/lib/urls.js';
import type { Guard } from '../../src/middleware/guards.js';
import { load } from '../../src/middleware/loaders.js';
import { parametersOf } from '../../src/middleware/routing.js';
import type { User } from '../../src/models/user.js';
import { audienceGuards, routeTable, type Audience, type RouteDefinition } from '../../src/routes.js';
import { portletRegistry, reportIds, type ReportId } from '../../src/models/portlet-registry.js';
import { saveSettings } from '../../src/models/settings.js';
import { reportRoutes } from '../../src/presenters/client-reports.js';
import { describeOnEachDatabase, type TestEnvironment } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, uniqueName, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, sessionCookieOf, signedInAgent, type Agent } from '../support/http.js';
import { makeCustomerRecords, rowsOfTenants, writingFormsOf, type CustomerRecords } from '../support/records.js';

type SignedInAudience = Exclude<Audience, 'operations' | 'public'>;

/**
 * Who may use each signed-in audience. The table is written out rather than read from the
 * guards, so a guard that lets in one role too many fails here. A new audience fails to compile.
 */
const allowedRoles: Record<SignedInAudience, readonly Role[]> = {
  account: ['client', 'caretaker', 'admin', 'superadmin'],
  portal: ['client'],
  staff: ['caretaker', 'admin', 'superadmin'],
  admin: ['admin', 'superadmin'],
  superadmin: ['superadmin'],
};
const roles: readonly Role[] = ['client', 'caretaker', 'admin', 'superadmin'];

const table = routeTable();
const tenantRoutes = table.filter((route) => route.path === '/:tenant' || route.path.startsWith('/:tenant/'));
const guardedRoutes = tenantRoutes.filter((route) => route.audience !== 'public');
const label = (route: RouteDefinition) => `${route.method} ${route.path}`;
const isSignedInAudience = (audience: Audience): audience is SignedInAudience => audience in allowedRoles;
const mayUse = (role: Role, route: RouteDefinition) => isSignedInAudience(route.audience) && allowedRoles[route.audience].includes(role);

/** The route's URL on a tenant; other parameters get a plausible value, as a visitor would guess one. */
function urlOf(route: RouteDefinition, slug: string): string {
  return route.path.replace(':tenant', slug).replace(/[:*]\w+/g, '1').replace(/[{}]/g, '');
}

const hasOtherParameters = (route: RouteDefinition) => /[:*]\w+/.test(route.path.replace(':tenant', ''));

/** Sends the route's request the way a browser form would: POSTs carry the session's CSRF token. */
function send(agent: Agent | ReturnType<typeof request>, route: RouteDefinition, url: string, csrfToken: string) {
  return route.method === 'GET' ? agent.get(url) : agent.post(url).type('form').send({ _csrf: csrfToken });
}

type SignedIn = { tenant: TestTenant; agent: Agent; csrfToken: string };

/** A signed-in agent of the user, with the CSRF token of its session (from its dashboard's forms). */
async function signInAs(env: TestEnvironment, tenant: TestTenant, user: Pick<User, 'login' | 'role'>): Promise<SignedIn> {
  const agent = await signedInAgent(env.app, tenant, user.login);
  return { tenant, agent, csrfToken: await csrfTokenFrom(agent, `/${tenant.slug}/${user.role === 'client' ? 'portal' : 'staff'}`) };
}

/** A signed-in agent of a new user of the role on the tenant (the tenant's own superadmin for that role). */
async function signIn(env: TestEnvironment, tenant: TestTenant, role: Role, overrides: { firstName?: string } = {}): Promise<SignedIn> {
  return signInAs(env, tenant, role === 'superadmin' && !overrides.firstName ? tenant.superadmin : await makeUser(env.db, tenant, role, overrides));
}

const pathTo = createPathTo(table);
const isDenial = (row: unknown) => (row as { action: string }).action === 'access.denied';
const denialsIn = (rows: Record<string, unknown[]>) => rows.audit_log!.filter(isDenial).length;
const withoutDenials = (rows: Record<string, unknown[]>) => ({ ...rows, audit_log: rows.audit_log!.filter((row) => !isDenial(row)) });
/** The routes of each report (its page, CSV and PDF), which a client's group must have (P3). */
const reportOfRoute = new Map<string, ReportId>(reportIds.flatMap((id) => Object.values(reportRoutes(id)).map((name) => [name, id] as const)));
const recordParameters = Object.values(load).map((step) => step.parameter!);
/** The routes whose path names a record (:customerId, :requestId, :userId, :groupId). */
const recordRoutes = guardedRoutes.filter((route) => parametersOf(route.path).some((parameter) => recordParameters.includes(parameter)));

/** Who reaches for the records of a customer that is not theirs (each role once). */
const personas = [
  { name: 'a client of another customer', role: 'client' },
  { name: 'the caretaker of another customer', role: 'caretaker' },
  { name: 'an admin of another tenant', role: 'admin' },
] as const;

describe('the route table', () => {
  it('gives every route a named guard, the one of its audience', () => {
    for (const route of table) {
      expect(typeof route.guard, label(route)).toBe('function');
      expect(route.guard.guardName, label(route)).toMatch(/\S/);
      expect(route.guard, label(route)).toBe(audienceGuards[route.audience]);
    }
  });

  it('has portal and staff routes, so the refusals below are not checked against nothing', () => {
    expect(guardedRoutes.some((route) => route.audience === 'portal')).toBe(true);
    expect(guardedRoutes.some((route) => route.audience === 'staff')).toBe(true);
    for (const role of roles) expect(guardedRoutes.some((route) => !mayUse(role, route)), role).toBe(true);
  });

  it('puts every tenant route in an audience whose roles the matrix knows', () => {
    for (const route of tenantRoutes) expect(route.audience === 'public' || isSignedInAudience(route.audience), label(route)).toBe(true);
  });

  it('has no route that updates or deletes a ledger entry: under ledger-entries a POST only approves, rejects or corrects one (M1)', () => {
    const ledgerPosts = table.filter((route) => route.method === 'POST' && route.path.includes('/ledger-entries'));
    expect(ledgerPosts.length).toBeGreaterThan(0);
    for (const route of ledgerPosts) expect(route.path, route.name).toMatch(/^\/:tenant\/admin\/ledger-entries\/:entryId\/(approval|rejection|corrections?)$/);
  });

  it('refuses to mount a route without a guard', () => {
    const [example] = guardedRoutes;
    const unguarded = { ...example!, path: '/:tenant/unguarded', guard: undefined as unknown as Guard };
    expect(() => mountRoutes(express(), express.Router(), [unguarded])).toThrow(/has no guard/);
  });

  it('refuses to mount a route whose guard has no name', () => {
    const [example] = guardedRoutes;
    const nameless = { ...example!, guard: ((_req, _res, next) => next()) as Guard };
    expect(() => mountRoutes(express(), express.Router(), [nameless])).toThrow(/has no guard/);
  });
});

describeOnEachDatabase('the route matrix', (env) => {
  describe('an anonymous visitor', () => {
    for (const route of guardedRoutes) {
      it(`is sent from ${label(route)} to sign-in`, async () => {
        const tenant = await makeTenant(env.db);
        const agent = request.agent(env.app);
        const csrfToken = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
        const response = await send(agent, route, urlOf(route, tenant.slug), csrfToken);
        expect(response.status).toBe(303);
        if (route.method === 'GET') expect(response.headers.location).toMatch(new RegExp(`^/${tenant.slug}/login(\\?|$)`));
        else expect(response.headers.location).toBe(`/${tenant.slug}/login`);
      });
    }
  });

  describe('a user of another tenant', () => {
    for (const route of tenantRoutes) {
      it(`is treated as an anonymous visitor on ${label(route)}`, async () => {
        const tenant = await makeTenant(env.db);
        await makeUser(env.db, tenant, 'client', { firstName: 'Victim' });
        const otherTenant = await makeTenant(env.db);
        // The intruder holds the role the route is for, so only the tenant check stands in the way.
        const intruderRole: Role = route.audience === 'portal' ? 'client' : 'superadmin';
        const intruderName = uniqueName('Intruder');
        const intruder = await signIn(env, otherTenant, intruderRole, { firstName: intruderName });
        const url = urlOf(route, tenant.slug);
        const replayed = await send(request(env.app), route, url, intruder.csrfToken).set('Cookie', sessionCookieOf(intruder.agent, otherTenant));

        const anonymous = request.agent(env.app);
        const anonymousToken = await csrfTokenFrom(anonymous, `/${tenant.slug}/login`);
        const expected = await send(anonymous, route, url, anonymousToken);

        expect(replayed.status).toBe(expected.status);
        expect(replayed.headers.location).toBe(expected.headers.location);
        expect(replayed.text).not.toContain(intruderName);
        expect(replayed.text).not.toContain('data-testid="user-name"');
        if (route.audience !== 'public') {
          expect([303, 403, 404]).toContain(replayed.status);
          if (replayed.status === 303) expect(replayed.headers.location).toMatch(new RegExp(`^/${tenant.slug}/login(\\?|$)`));
        }
      });
    }
  });

  for (const role of roles) {
    describe(`${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`, () => {
      for (const route of guardedRoutes.filter((candidate) => !mayUse(role, candidate))) {
        it(`is refused on ${label(route)} with 403`, async () => {
          const tenant = await makeTenant(env.db);
          const { agent, csrfToken } = await signIn(env, tenant, role);
          const response = await send(agent, route, urlOf(route, tenant.slug), csrfToken);
          expect(response.status).toBe(403);
          expect(response.text).toContain('<h1');
        });
      }

      const reachable = guardedRoutes.filter((route) => route.method === 'GET' && mayUse(role, route) && !hasOtherParameters(route));
      for (const route of reachable) {
        it(`opens ${label(route)} with 200`, async () => {
          const tenant = await makeTenant(env.db);
          // A report's routes open for a client whose group has the report (P3): the tenant's default gives it here.
          const report = reportOfRoute.get(route.name);
          if (report) await saveSettings(scopeFor(env.db, tenant), 'tenant', 0, { 'portal.portlets': [{ id: report, settings: portletRegistry[report].defaults }] });
          const { agent } = await signIn(env, tenant, role);
          const response = await agent.get(urlOf(route, tenant.slug));
          expect(response.status).toBe(200);
        });
      }
    });
  }

  describe('a client whose group lacks a report (P3)', () => {
    it('has every report of the registry behind a page, a CSV and a PDF route', () => {
      expect([...reportOfRoute.keys()].sort()).toEqual(table.filter((route) => route.path.startsWith('/:tenant/portal/reports/')).map((route) => route.name).sort());
      expect(reportOfRoute.size).toBe(reportIds.length * 3);
    });

    for (const [name, report] of reportOfRoute) {
      it(`is refused ${name} with 403 and none of its rows, though the group has the other reports`, async () => {
        const tenant = await makeTenant(env.db);
        const others = reportIds.filter((id) => id !== report).map((id) => ({ id, settings: portletRegistry[id].defaults }));
        await saveSettings(scopeFor(env.db, tenant), 'tenant', 0, { 'portal.portlets': others });
        const { agent } = await signIn(env, tenant, 'client');
        const response = await agent.get(pathTo(name, { tenant: tenant.slug }));
        expect(response.status).toBe(403);
        expect(response.headers['content-type']).toContain('text/html');
        expect(response.text).toContain('<h1');
      });
    }
  });

  describe('personas who reach for the records of a customer not theirs', () => {
    let records: CustomerRecords;
    let rowsBefore: Record<string, unknown[]>;
    let tenantIds: number[];
    const signedIn = new Map<Role, SignedIn>();

    beforeAll(async () => {
      records = await makeCustomerRecords(env.db);
      const { tenant } = records;
      const caretaker = await makeUser(env.db, tenant, 'caretaker');
      await makeCustomer(env.db, tenant, { caretaker });
      const otherTenant = await makeTenant(env.db);
      signedIn.set('client', await signInAs(env, tenant, await makeUser(env.db, tenant, 'client')));
      signedIn.set('caretaker', await signInAs(env, tenant, caretaker));
      signedIn.set('admin', await signInAs(env, otherTenant, await makeUser(env.db, otherTenant, 'admin')));
      // Taken once everyone has signed in: sign-in writes (last sign-in, last page), a refusal must not.
      tenantIds = [tenant.id, otherTenant.id];
      rowsBefore = await rowsOfTenants(env.db, tenantIds);
    });

    it('has the id of a real record for every record parameter of the table', () => {
      expect(recordRoutes.length).toBeGreaterThan(15);
      for (const parameter of recordRoutes.flatMap((route) => parametersOf(route.path)).filter((name) => name !== 'tenant')) expect(records.ids, parameter).toHaveProperty(parameter);
    });

    for (const route of recordRoutes) {
      for (const persona of personas) {
        const expected = mayUse(persona.role, route) ? 404 : 403;
        it(`answers ${persona.name} ${expected} on ${route.name} with real ids, and writes nothing`, async () => {
          const { tenant, agent, csrfToken } = signedIn.get(persona.role)!;
          const url = pathTo(route.name, { ...records.ids, tenant: tenant.slug });
          const deniedBefore = denialsIn(await rowsOfTenants(env.db, tenantIds));
          const response = route.method === 'GET' ? await agent.get(url) : await agent.post(url).type('form').send({ _csrf: csrfToken, ...(writingFormsOf(records)[route.name] ?? {}) });
          expect(response.status).toBe(expected);
          expect(response.text).toContain('<h1');
          expect(response.text).not.toContain(records.customer.name);
          // A refused admin or superadmin page is logged (access.denied, guards.ts), and nothing else changes.
          const rowsAfter = await rowsOfTenants(env.db, tenantIds);
          const isRefusalAudited = expected === 403 && (route.audience === 'superadmin' || route.audience === 'admin');
          expect(denialsIn(rowsAfter) - deniedBefore).toBe(isRefusalAudited ? 1 : 0);
          expect(withoutDenials(rowsAfter)).toEqual(withoutDenials(rowsBefore));
        });
      }
    }
  });
});
