import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Role } from '../db/scope.js';
import { ForbiddenError } from '../lib/errors.js';
import { recordAccessDenied } from '../models/audit.js';
import { scopeOf } from './context.js';

/**
 * A guard is a named middleware; the name is what `npm run routes` prints. `rolesServed` are the
 * signed-in roles whose pages it guards (none for open pages).
 */
export type Guard = RequestHandler & { guardName: string; rolesServed: readonly Role[] };

function named(guardName: string, handler: RequestHandler, rolesServed: readonly Role[] = []): Guard {
  return Object.assign(handler, { guardName, rolesServed });
}

/** Sends an anonymous visitor to sign-in, remembering where they were going (GET only). */
function redirectToSignIn(req: Request, res: Response): void {
  res.redirect(303, req.pathTo('auth.sessions.new', {}, { next: req.method === 'GET' ? req.originalUrl : undefined }));
}

/** Logs a refusal; should the log fail, the request is refused all the same, and the failure is in the process log. */
async function auditRefusal(req: Request, res: Response): Promise<void> {
  try {
    await recordAccessDenied(scopeOf(req), String(res.locals?.routeName ?? 'unknown'), req.ip ?? null);
  } catch (error) {
    req.log?.error({ err: error }, 'refused access not logged');
  }
}

/**
 * `isRefusalAudited`: a signed-in user refused by this guard is logged (access.denied, the route's
 * name), so that a superadmin sees who tried the audit log, the purge, the administration and
 * what comes after them (D3). Decided here rather than per route, so every future route of the audience is covered.
 */
function requireRoles(guardName: string, allowed: readonly Role[], options: { isRefusalAudited?: boolean } = {}): Guard {
  const guard = async (req: Request, res: Response, next: NextFunction) => {
    const user = req.currentUser;
    if (!user) return redirectToSignIn(req, res);
    if (!allowed.includes(user.role)) {
      if (options.isRefusalAudited) await auditRefusal(req, res);
      return next(new ForbiddenError(`${user.role} may not use a ${guardName} route`));
    }
    next();
  };
  return named(guardName, guard, allowed);
}

export const guards = {
  /** Public pages: sign-in, one-time links, language. */
  anyone: named('anyone', (_req, _res, next) => next()),
  signedIn: requireRoles('signed-in', ['client', 'caretaker', 'admin', 'superadmin']),
  client: requireRoles('client', ['client']),
  staff: requireRoles('staff', ['caretaker', 'admin', 'superadmin']),
  // Refusals are on record here too: the purge requests' list, page and approval are admins' routes (D2, D3).
  admin: requireRoles('admin', ['admin', 'superadmin'], { isRefusalAudited: true }),
  superadmin: requireRoles('superadmin', ['superadmin'], { isRefusalAudited: true }),
  /** Operations endpoints (health checks) outside any tenant. */
  operations: named('operations', (_req, _res, next) => next()),
} as const;

/**
 * After a reset or on first sign-in the user must choose a new password before anything else.
 * Routes that stay open meanwhile (the password page, sign-out, language) say so in routes.ts.
 */
export const requirePasswordChange: RequestHandler = (req, res, next) => {
  if (req.currentUser?.mustChangePassword) return res.redirect(303, req.pathTo('account.passwords.edit'));
  next();
};
