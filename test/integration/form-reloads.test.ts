import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPathTo } from '../../src/lib/urls.js';
import { formRouteOf, postOnlyRoutes, sectionOf, sectionsOf, type Layout } from '../../src/middleware/routing.js';
import { routeTable, type RouteDefinition } from '../../src/routes.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeUser } from '../support/factories.js';
import { signedInAgent, type Agent } from '../support/http.js';
import { makeCustomerRecords, type CustomerRecords } from '../support/records.js';

const table = routeTable();
const pathTo = createPathTo(table);
const named = (name: string) => table.find((entry) => entry.name === name)!;
const reloadable = postOnlyRoutes(table);

describe('the page a POST-only path leads a GET to', () => {
  it('is the form the POST came from', () => {
    const formOf = (name: string) => formRouteOf(table, named(name)).name;
    expect(formOf('admin.customers.create')).toBe('admin.customers.new');
    expect(formOf('admin.customers.update')).toBe('admin.customers.edit');
    expect(formOf('admin.customerDeactivations.create')).toBe('admin.customerDeactivations.new');
    expect(formOf('admin.accountLocks.create')).toBe('admin.accounts.show');
    expect(formOf('admin.accountLocks.destroy')).toBe('admin.accounts.show');
    expect(formOf('admin.groupMoves.create')).toBe('admin.accounts.index');
    expect(formOf('admin.groupDeletions.create')).toBe('admin.groups.edit');
    expect(formOf('account.profiles.update')).toBe('account.profiles.edit');
    expect(formOf('portal.changeRequests.create')).toBe('portal.changeRequests.new');
    expect(formOf('staff.changeRequestApprovals.create')).toBe('staff.changeRequests.show');
    expect(formOf('auth.passwordResets.create')).toBe('auth.passwordResets.new');
    expect(formOf('auth.languages.update')).toBe('auth.homes.show');
    expect(formOf('account.sessions.destroy')).toBe('auth.homes.show');
  });

  it('is found for every POST-only path of the table, with no parameter the path lacks', () => {
    expect(reloadable.length).toBeGreaterThan(15);
    for (const entry of reloadable) {
      const form = formRouteOf(table, entry);
      expect(form.method, entry.name).toBe('GET');
      for (const parameter of form.path.match(/:\w+/g) ?? []) expect(entry.path, entry.name).toContain(parameter);
    }
  });
});

describe('the section of the menu a page belongs to', () => {
  const signedInPages = table.filter((entry) => entry.method === 'GET' && ['account', 'portal', 'staff', 'admin', 'superadmin'].includes(entry.audience));
  const layoutsOf = (entry: RouteDefinition): Layout[] => (entry.audience === 'account' ? ['portal', 'staff'] : entry.audience === 'portal' ? ['portal'] : ['staff']);

  it('is a menu entry of the page’s layout that every role the page lets in sees, for every page of the table', () => {
    for (const entry of signedInPages) {
      for (const layout of layoutsOf(entry)) {
        const section = sectionOf(table, entry, layout);
        expect(section, `${entry.name} in ${layout}`).toBeDefined();
        const menuRoute = named(section!);
        expect(menuRoute.menu, entry.name).toBeDefined();
        for (const role of entry.guard.rolesServed) expect(menuRoute.guard.rolesServed, `${entry.name}: ${role} sees ${section}`).toContain(role);
      }
    }
  });

  it('puts the customer form under Customers, an account and a group under Accounts and a profile under the account', () => {
    expect(sectionOf(table, named('admin.customers.edit'), 'staff')).toBe('staff.customers.index');
    expect(sectionOf(table, named('admin.customers.new'), 'staff')).toBe('staff.customers.index');
    expect(sectionOf(table, named('staff.customerAccounts.index'), 'staff')).toBe('staff.customers.index');
    expect(sectionOf(table, named('admin.accounts.show'), 'staff')).toBe('admin.accounts.index');
    // Groups are of client accounts: their pages are under Accounts (issue 15, the menu on one line).
    expect(sectionOf(table, named('admin.groups.edit'), 'staff')).toBe('admin.accounts.index');
    expect(sectionOf(table, named('admin.groups.index'), 'staff')).toBe('admin.accounts.index');
    expect(sectionOf(table, named('admin.mailbox.index'), 'staff')).toBe('admin.dashboards.show');
    expect(sectionOf(table, named('admin.ticketCategories.edit'), 'staff')).toBe('admin.dashboards.show');
    expect(sectionOf(table, named('account.profiles.edit'), 'portal')).toBe('account.accounts.show');
    expect(sectionOf(table, named('portal.changeRequests.new'), 'portal')).toBe('portal.companies.show');
    expect(sectionOf(table, named('superadmin.auditEntryExports.index'), 'staff')).toBe('admin.dashboards.show');
    expect(sectionOf(table, named('superadmin.auditEntries.index'), 'staff')).toBe('admin.dashboards.show');
    expect(sectionOf(table, named('superadmin.failedJobs.index'), 'staff')).toBe('admin.dashboards.show');
    expect(sectionOf(table, named('admin.dashboards.show'), 'staff')).toBe('admin.dashboards.show');
    expect(sectionOf(table, named('staff.dashboards.show'), 'staff')).toBe('staff.dashboards.show');
  });

  it('puts a POST that answers with a page (a refused form, a conflict) where its form is', () => {
    const sections = sectionsOf(table);
    expect(sections.staff.get('admin.customers.update')).toBe('staff.customers.index');
    expect(sections.staff.get('admin.customers.create')).toBe('staff.customers.index');
    expect(sections.staff.get('admin.customerDeactivations.create')).toBe('staff.customers.index');
    expect(sections.staff.get('admin.accountDetails.update')).toBe('admin.accounts.index');
    expect(sections.portal.get('portal.changeRequests.create')).toBe('portal.companies.show');
  });
});

describeOnEachDatabase('a GET of a path that only takes a POST', (env) => {
  let records: CustomerRecords;
  const agents = new Map<string, Agent>();

  beforeAll(async () => {
    records = await makeCustomerRecords(env.db);
    const client = await makeUser(env.db, records.tenant, 'client', { customer: records.customer });
    // A primary contact, who follows every ticket of the customer (A12): the ticket routes name one its colleague filed.
    // Also an approver (T7), whom the approval routes are for.
    await env.db('users').where('id', client.id).update({ is_primary_contact: true, is_approver: true });
    agents.set('portal', await signedInAgent(env.app, records.tenant, client.login));
    agents.set('staff', await signedInAgent(env.app, records.tenant, records.tenant.superadmin.login));
  });

  /** Who may use the route: a client of the customer for the portal, the superadmin for the rest, anyone for public pages. */
  const agentFor = (entry: RouteDefinition): Agent => (entry.audience === 'public' ? request.agent(env.app) : agents.get(entry.audience === 'portal' ? 'portal' : 'staff')!);

  for (const entry of reloadable) {
    it(`leads ${entry.method} ${entry.path} (${entry.name}) to its form with 303, and the form opens`, async () => {
      const agent = agentFor(entry);
      const parameters = { ...records.ids, tenant: records.tenant.slug };
      const response = await agent.get(pathTo(entry.name, parameters));
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(pathTo(formRouteOf(table, entry).name, parameters));
      let location = response.headers.location as string;
      let final = await agent.get(location);
      for (let hop = 0; hop < 3 && final.status === 303; hop += 1) {
        location = final.headers.location as string;
        final = await agent.get(location);
      }
      expect(final.status, location).toBe(200);
    });
  }

  it('asks the POST’s own guard and record steps first: another customer’s caretaker gets 404, a client 403, a visitor the sign-in page', async () => {
    const path = pathTo('admin.customers.update', { tenant: records.tenant.slug, customerId: records.customer.id });
    const caretaker = await makeUser(env.db, records.tenant, 'caretaker');
    expect((await (await signedInAgent(env.app, records.tenant, caretaker.login)).get(path)).status).toBe(403);
    const approval = pathTo('staff.changeRequestApprovals.create', { tenant: records.tenant.slug, requestId: records.ids.requestId! });
    expect((await (await signedInAgent(env.app, records.tenant, caretaker.login)).get(approval)).status).toBe(404);
    expect((await agents.get('portal')!.get(approval)).status).toBe(403);
    const visitor = await request(env.app).get(path);
    expect(visitor.status).toBe(303);
    expect(visitor.headers.location).toMatch(new RegExp(`^/${records.tenant.slug}/login`));
  });

  it('marks the menu entry of the page’s section as the current one: the customer form under Customers, not Administration', async () => {
    const page = await agents.get('staff')!.get(pathTo('admin.customers.edit', { tenant: records.tenant.slug, customerId: records.customer.id })).set('Accept-Language', 'en');
    expect(page.status).toBe(200);
    const current = [...page.text.matchAll(/<a href="([^"]+)" aria-current="page">/g)].map((match) => match[1]);
    expect(current).toEqual([pathTo('staff.customers.index', { tenant: records.tenant.slug })]);
  });
});
