import type { NextFunction, Request, Response } from 'express';
import { scopeOf, tenantOf } from './context.js';
import { findSessionUser } from '../models/authentication.js';
import { fromDatabaseTime } from '../lib/time.js';
import type { User } from '../models/user.js';
import { sessionTimeouts } from './session-timeouts.js';
import { newCsrfToken } from './csrf.js';

export const sessionCookieName = 'ebok.sid';

export { sessionTimeouts } from './session-timeouts.js';

/**
 * Reloads the signed-in user on every request. A user who is locked, deactivated, of another
 * tenant than the URL's, or past the idle or absolute timeout is signed out at once, and the
 * request goes on as an anonymous one (its guard then sends it to sign-in).
 */
export async function loadSessionUser(req: Request, _res: Response, next: NextFunction): Promise<void> {
  const userId = req.session?.userId;
  if (!userId) return next();
  const now = req.deps.clock().getTime();
  const signedInAt = req.session.signedInAt ?? 0;
  const lastSeenAt = req.session.lastSeenAt ?? 0;
  const timedOut =
    now - signedInAt > sessionTimeouts.absoluteMilliseconds || now - lastSeenAt > sessionTimeouts.idleMilliseconds;
  // Looked up in the URL's tenant only: a user of another tenant is simply not found here.
  const found = timedOut ? undefined : await findSessionUser(scopeOf(req), userId);
  const user = found?.user;
  // A session begun before the password last changed is over: the change (or reset) ended it,
  // even if a request in flight at that moment wrote the session back afterwards.
  const predatesPassword = Boolean(user?.passwordChangedAt) && signedInAt < fromDatabaseTime(user!.passwordChangedAt)!.getTime();
  const isRefused = !user || user.tenantId !== tenantOf(req).id || user.isLocked || !user.isActive || predatesPassword;
  // A client whose customer has lost the portal (A6) is signed out at once, like a locked account.
  const hasLostPortal = !isRefused && !found!.hasPortalAccess;
  if (isRefused || hasLostPortal) {
    // The form token survives, so a form sent after the timeout is answered by sign-in, not by a CSRF refusal.
    const csrfToken = req.session.csrfToken;
    await endSession(req);
    if (csrfToken) req.session.csrfToken = csrfToken;
    const reason = timedOut ? 'auth:signedOutExpired' : hasLostPortal ? 'auth:signedOutNoPortalAccess' : 'auth:signedOutRefused';
    req.session.flash = { type: 'info', key: reason };
    return next();
  }
  if (now - lastSeenAt > sessionTimeouts.lastSeenResolutionMilliseconds) req.session.lastSeenAt = now;
  req.currentUser = user;
  req.lastVisitedPath = found!.lastVisitedPath;
  next();
}

/** Destroys the session and starts a fresh, empty one. */
export function endSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
}

/** Starts a new session for a user who has just proved who they are (a new id: no fixation). */
export async function beginSession(req: Request, user: User): Promise<void> {
  await endSession(req);
  const now = req.deps.clock().getTime();
  // The rest of this request acts as the user (their landing page is read with their rights).
  req.currentUser = user;
  req.session.userId = user.id;
  req.session.tenantId = tenantOf(req).id;
  req.session.signedInAt = now;
  req.session.lastSeenAt = now;
  // The signed-in session carries its own form token from its first write, as before sign-in the cookie did.
  req.session.csrfToken = newCsrfToken();
}
