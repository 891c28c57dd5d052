import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Role } from '../db/scope.js';
import { ForbiddenError } from '../lib/errors.js';

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

function requireRoles(guardName: string, allowed: readonly Role[]): Guard {
  const guard = (req: Request, res: Response, next: NextFunction) => {
    const user = req.currentUser;
    if (!user) return redirectToSignIn(req, res);
    if (!allowed.includes(user.role)) return next(new ForbiddenError(`${user.role} may not use a ${guardName} route`));
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
  admin: requireRoles('admin', ['admin', 'superadmin']),
  superadmin: requireRoles('superadmin', ['superadmin']),
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
