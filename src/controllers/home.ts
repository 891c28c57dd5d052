import type { Request, Response } from 'express';
import { scopeOf, setFlash, tenantPath } from '../middleware/context.js';
import { beginSession } from '../middleware/session-user.js';
import { hasPortalAccess } from '../models/authentication.js';
import { recordSuccessfulSignIn, type User } from '../models/user.js';

/** Where a user belongs after sign-in: clients in the portal, staff in the staff panel. */
export function homePathFor(req: Request, user: User): string {
  return tenantPath(req, user.role === 'client' ? 'portal' : 'staff');
}

/** GET /:tenant: the dashboard when signed in, else sign-in. */
export function show(req: Request, res: Response): void {
  res.redirect(303, req.currentUser ? homePathFor(req, req.currentUser) : tenantPath(req, 'login'));
}

/**
 * After a one-time link has set a password: sign the user in and take them home, unless the
 * account is locked or its customer has no portal access, when they are told so on sign-in.
 */
export async function signInAfterPasswordLink(req: Request, res: Response, user: User, successFlash?: string): Promise<void> {
  if (user.isLocked) {
    setFlash(req, 'info', 'accounts:passwordReset.changedButLocked');
    return res.redirect(303, tenantPath(req, 'login'));
  }
  if (!(await hasPortalAccess(scopeOf(req), user))) {
    setFlash(req, 'info', 'auth:passwordSetNoPortalAccess');
    return res.redirect(303, tenantPath(req, 'login'));
  }
  await recordSuccessfulSignIn(scopeOf(req), user.id, req.ip ?? null);
  await beginSession(req, user.id);
  if (successFlash) setFlash(req, 'success', successFlash);
  res.redirect(303, homePathFor(req, user));
}
