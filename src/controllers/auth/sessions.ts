import type { Request, Response } from 'express';
import type passport from 'passport';
import { signInWithPassword } from '../../middleware/auth.js';
import { tenantOf } from '../../middleware/context.js';
import { dashboardPathFor, landingPathFor } from '../../middleware/last-visited.js';
import { beginSession } from '../../middleware/session-user.js';
import { renderPage, throttledMessage } from '../../lib/render.js';
import { formValues, parseForm, type FieldError } from '../../validators/form.js';
import { signInForm } from '../../validators/auth.js';
import { safeReturnPath } from '../../validators/preferences.js';

function renderSignIn(req: Request, res: Response, status: number, extra: { errors?: Record<string, FieldError>; formError?: FieldError } = {}): void {
  renderPage(res, 'auth/sessions/new', {
    title: res.locals.t('auth:signIn.title'),
    values: formValues(req.body, ['login']),
    next: typeof req.query.next === 'string' ? req.query.next : (req.body?.next ?? ''),
    signedOut: req.query.signedOut === '1',
    errors: extra.errors ?? {},
    formError: extra.formError,
  }, status);
}

/** GET /:tenant/login */
function newSession(req: Request, res: Response): void {
  if (req.currentUser) return res.redirect(303, dashboardPathFor(req, req.currentUser));
  renderSignIn(req, res, 200);
}
export { newSession as new };

/**
 * POST /:tenant/login. One message for every refusal (unknown login, wrong password, locked
 * account); a throttled login is told how long to wait; a right password of a client whose
 * customer has no portal access is told so. With no page asked for, the user lands where their
 * profile says (A10).
 */
export function create(authenticator: passport.PassportStatic) {
  return async function createSession(req: Request, res: Response): Promise<void> {
    const form = parseForm(signInForm, req.body);
    if (!form.ok) return renderSignIn(req, res, 422, { errors: form.errors });
    const result = await signInWithPassword(authenticator, req);
    if (result.outcome === 'throttled') return renderSignIn(req, res, 429, { formError: throttledMessage(res, result.retryAfterSeconds, 'auth:signIn.throttled') });
    if (result.outcome === 'refused') return renderSignIn(req, res, 401, { formError: { key: 'auth:signIn.refused' } });
    if (result.outcome === 'no-portal-access') {
      return renderSignIn(req, res, 403, { formError: { key: 'auth:signIn.noPortalAccess', values: { tenant: tenantOf(req).name } } });
    }
    await beginSession(req, result.user);
    const home = await landingPathFor(req, result.user);
    const target = result.user.mustChangePassword ? req.pathTo('account.passwords.edit') : safeReturnPath(req.body.next, tenantOf(req).slug, home);
    res.redirect(303, target);
  };
}
