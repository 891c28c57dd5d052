import express from 'express';
import { describe, expect, it } from 'vitest';
import { mountRoutes } from '../../../src/app.js';
import { allow, checkSteps, load } from '../../../src/middleware/loaders.js';
import { link } from '../../../src/middleware/one-time-links.js';
import { parametersOf, route, type Audience } from '../../../src/middleware/routing.js';
import { routeTable, type RouteDefinition } from '../../../src/routes.js';

/** What each line of src/routes.ts must say: a unique name of its shape, and the record each URL parameter names loaded through the actor. */

const table = routeTable();
const label = (entry: RouteDefinition) => `${entry.name} (${entry.method} ${entry.path})`;

/** The controller folder of each audience: the public pages are the auth folder's. */
const folderOf: Record<Audience, string> = { operations: 'operations', public: 'auth', account: 'account', portal: 'portal', staff: 'staff', admin: 'admin', superadmin: 'superadmin' };

/** The URL parameters that name a record, each with the load step that finds it through the actor. */
const recordParameters = new Map(Object.values(load).map((step) => [step.parameter!, step]));

/**
 * Record parameters a route leaves to its model, and why. The invitation of a customer's client
 * account loads the customer (and asks manageAccounts); resendInvitation then reads the account
 * through visibleAccounts, limited to that customer's client accounts: any other :userId is 404
 * (src/models/client-account.ts resendInvitation; test/integration/invitations.test.ts).
 */
const parametersCheckedByModel: Record<string, string[]> = {
  'staff.customerAccountInvitations.create': ['userId'],
};

/** The problems of a route's parameters: one nothing loads, a load for a parameter the path lacks, a token without its link step. */
function parameterProblems(entry: RouteDefinition): string[] {
  const parameters = parametersOf(entry.path).filter((parameter) => parameter !== 'tenant');
  const loaded = entry.steps.filter((step) => step.kind === 'load').map((step) => step.parameter!);
  const problems: string[] = [];
  for (const parameter of parameters) {
    if (parameter === 'token') {
      if (!entry.steps.some((step) => step.kind === 'link')) problems.push(`${label(entry)}: :token without a link step`);
    } else if (!recordParameters.has(parameter)) problems.push(`${label(entry)}: :${parameter} names no known record`);
    else if (!loaded.includes(parameter) && !(parametersCheckedByModel[entry.name] ?? []).includes(parameter)) problems.push(`${label(entry)}: :${parameter} is not loaded`);
  }
  for (const parameter of loaded) if (!parameters.includes(parameter)) problems.push(`${label(entry)}: loads :${parameter}, which its path lacks`);
  return problems;
}

const handler: express.RequestHandler = (_req, res) => res.end();

describe('the route table', () => {
  it('gives every route a name of its own', () => {
    const names = table.map((entry) => entry.name);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('names every route <folder>.<resource>.<action>, the folder its audience’s', () => {
    for (const entry of table) {
      expect(entry.name, label(entry)).toMatch(/^[a-z]+\.[a-z][A-Za-z]*\.(index|show|new|create|edit|update|destroy)$/);
      expect(entry.name.split('.')[0], label(entry)).toBe(folderOf[entry.audience]);
    }
  });

  it('finds a record parameter that nothing loads, a load the path does not name and a token without its link', () => {
    const unloaded = route('staff.customers.show', 'GET', '/:tenant/staff/customers/:customerId', 'staff', handler);
    const elsewhere = route('staff.customers.index', 'GET', '/:tenant/staff/customers', 'staff', [load.customer], handler);
    const unknown = route('staff.widgets.show', 'GET', '/:tenant/staff/widgets/:widgetId', 'staff', handler);
    const token = route('auth.invitations.edit', 'GET', '/:tenant/invitations/:token', 'public', handler);
    expect([unloaded, elsewhere, unknown, token].flatMap(parameterProblems)).toEqual([
      'staff.customers.show (GET /:tenant/staff/customers/:customerId): :customerId is not loaded',
      'staff.customers.index (GET /:tenant/staff/customers): loads :customerId, which its path lacks',
      'staff.widgets.show (GET /:tenant/staff/widgets/:widgetId): :widgetId names no known record',
      'auth.invitations.edit (GET /:tenant/invitations/:token): :token without a link step',
    ]);
    expect(parameterProblems(route('auth.invitations.edit', 'GET', '/:tenant/invitations/:token', 'public', [link('invitation')], handler))).toEqual([]);
  });

  it('loads the record each URL parameter names through the actor, but where the model does', () => {
    expect(table.filter((entry) => entry.steps.some((step) => step.kind === 'load')).length).toBeGreaterThan(15);
    expect(table.flatMap(parameterProblems)).toEqual([]);
  });

  it('leaves a parameter to the model only on routes that have it and load the record it belongs to', () => {
    for (const [name, parameters] of Object.entries(parametersCheckedByModel)) {
      const entry = table.find((candidate) => candidate.name === name);
      expect(entry, name).toBeDefined();
      const loaded = entry!.steps.filter((step) => step.kind === 'load').map((step) => step.parameter);
      for (const parameter of parameters) expect(parametersOf(entry!.path), name).toContain(parameter);
      for (const parameter of parameters) expect(loaded, `${name} loads :${parameter} now: take it off the list`).not.toContain(parameter);
      expect(loaded.length, name).toBeGreaterThan(0);
    }
  });

  it('checks each allow against the record loaded before it, for every line of the table', () => {
    for (const entry of table) expect(() => checkSteps(entry.name, entry.steps), label(entry)).not.toThrow();
  });

  describe('a wrong line', () => {
    const mounting = (steps: Parameters<typeof checkSteps>[1]) => () =>
      mountRoutes(express(), express.Router(), [route('staff.customers.show', 'GET', '/:tenant/staff/customers/:customerId', 'staff', [...steps], handler)]);

    it('stops the start when it allows an action its record does not have', () => {
      expect(mounting([load.group, allow('edit')])).toThrow('route staff.customers.show: group has no action edit');
      expect(mounting([load.customer, allow('decide')])).toThrow('route staff.customers.show: customer has no action decide');
    });

    it('stops the start when it allows before loading anything', () => {
      expect(mounting([allow('edit'), load.customer])).toThrow('route staff.customers.show: "allow edit" comes before any load step');
    });

    it('checks an allow against the last record loaded', () => {
      expect(mounting([load.customer, load.group, allow('edit')])).toThrow('group has no action edit');
      expect(mounting([load.group, load.customer, allow('edit')])).not.toThrow();
    });

    it('refuses a step that is neither a load nor an allow nor a link', () => {
      const plain = ((_req, _res, next) => next()) as express.RequestHandler;
      expect(() => route('staff.customers.show', 'GET', '/:tenant/staff/customers/:customerId', 'staff', [plain as never], handler)).toThrow('is not a load or allow step');
    });
  });
});
