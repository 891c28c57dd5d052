import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { roles, type Role } from '../../src/db/scope.js';
import { ForbiddenError } from '../../src/lib/errors.js';
import { guards, requirePasswordChange, type Guard } from '../../src/middleware/guards.js';
import { createPathTo, type PathParameters, type QueryParameters } from '../../src/lib/urls.js';
import { routeTable } from '../../src/routes.js';

const pathTo = createPathTo(routeTable());

type Outcome = { redirect?: { status: number; location: string }; nextCalls: unknown[][] };

/** Runs a middleware on a fake request and reports what it did: a redirect, or a call to next. */
function run(middleware: Guard | typeof requirePasswordChange, request: { method?: string; url?: string; role?: Role; mustChangePassword?: boolean }): Outcome {
  const outcome: Outcome = { nextCalls: [] };
  const req = {
    method: request.method ?? 'GET',
    originalUrl: request.url ?? '/acme/staff',
    tenant: { id: 1, slug: 'acme' },
    pathTo: (name: string, parameters: PathParameters = {}, query?: QueryParameters) => pathTo(name, { tenant: 'acme', ...parameters }, query),
    currentUser: request.role ? { id: 7, tenantId: 1, role: request.role, mustChangePassword: request.mustChangePassword ?? false } : undefined,
  } as unknown as Request;
  const res = {
    redirect(status: number, location: string) {
      outcome.redirect = { status, location };
    },
  } as unknown as Response;
  const next: NextFunction = (...args: unknown[]) => {
    outcome.nextCalls.push(args);
  };
  void middleware(req, res, next);
  return outcome;
}

const allowedRoles: Record<string, readonly Role[]> = {
  signedIn: roles,
  client: ['client'],
  staff: ['caretaker', 'admin', 'superadmin'],
  admin: ['admin', 'superadmin'],
  superadmin: ['superadmin'],
};

const roleGuards = Object.keys(allowedRoles) as Array<keyof typeof allowedRoles & keyof typeof guards>;

describe('guards', () => {
  describe.each(roleGuards)('the %s guard', (name) => {
    const guard = guards[name];

    it('sends an anonymous GET to sign-in with a 303, remembering the page in next', () => {
      const outcome = run(guard, { method: 'GET', url: '/acme/staff?page=2' });
      expect(outcome.redirect).toEqual({ status: 303, location: `/acme/login?next=${encodeURIComponent('/acme/staff?page=2')}` });
      expect(outcome.nextCalls).toEqual([]);
    });

    it('sends an anonymous POST to sign-in without next', () => {
      const outcome = run(guard, { method: 'POST', url: '/acme/logout' });
      expect(outcome.redirect).toEqual({ status: 303, location: '/acme/login' });
      expect(outcome.nextCalls).toEqual([]);
    });

    it.each(allowedRoles[name]!.map((role) => [role]))('lets a %s through', (role) => {
      const outcome = run(guard, { role });
      expect(outcome.redirect).toBeUndefined();
      expect(outcome.nextCalls).toEqual([[]]);
    });

    const refusedRoles = roles.filter((role) => !allowedRoles[name]!.includes(role));
    if (refusedRoles.length > 0) {
      it.each(refusedRoles.map((role) => [role]))('refuses a %s with a ForbiddenError', async (role) => {
        const outcome = run(guard, { role });
        // The superadmin guard first logs the refusal (here it has no database, and refuses all the same).
        await new Promise((resolve) => setImmediate(resolve));
        expect(outcome.redirect).toBeUndefined();
        expect(outcome.nextCalls).toHaveLength(1);
        const [error] = outcome.nextCalls[0]!;
        expect(error).toBeInstanceOf(ForbiddenError);
        expect((error as ForbiddenError).status).toBe(403);
      });
    }
  });

  it.each(['anyone', 'operations'] as const)('lets everyone through the %s guard, anonymous visitors included', (name) => {
    for (const role of [undefined, ...roles]) {
      const outcome = run(guards[name], { role });
      expect(outcome.redirect).toBeUndefined();
      expect(outcome.nextCalls).toEqual([[]]);
    }
  });

  it('gives every guard a name of its own, which npm run routes prints and the start requires', () => {
    const names = Object.values(guards).map((guard) => guard.guardName);
    expect(names.every((name) => typeof name === 'string' && name.length > 0)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('requirePasswordChange', () => {
  it('sends a user who must change their password to the password page with a 303', () => {
    for (const role of roles) {
      const outcome = run(requirePasswordChange, { role, mustChangePassword: true, url: '/acme/portal' });
      expect(outcome.redirect).toEqual({ status: 303, location: '/acme/account/password' });
      expect(outcome.nextCalls).toEqual([]);
    }
  });

  it('lets a user with a settled password through', () => {
    const outcome = run(requirePasswordChange, { role: 'client', mustChangePassword: false });
    expect(outcome.redirect).toBeUndefined();
    expect(outcome.nextCalls).toEqual([[]]);
  });

  it('lets an anonymous visitor through, leaving them to the audience guard', () => {
    const outcome = run(requirePasswordChange, {});
    expect(outcome.redirect).toBeUndefined();
    expect(outcome.nextCalls).toEqual([[]]);
  });
});
