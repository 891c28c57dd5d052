import type { Request, Response } from 'express';
import { linksOf, scopeOf } from '../../middleware/context.js';
import { completeLink, linkOf, renderResetRequestForm } from '../../middleware/one-time-links.js';
import { renderPage, throttledMessage } from '../../lib/render.js';
import { requestPasswordResetFrom } from '../../models/password-reset.js';
import { passwordResetForm, passwordResetRequestForm } from '../../validators/password-reset.js';
import { parseForm, type FieldError } from '../../validators/form.js';

/** GET /:tenant/password-resets/new: "forgot your password?" (A11). */
function newReset(req: Request, res: Response): void {
  renderResetRequestForm(req, res, 200);
}
export { newReset as new };

/**
 * POST /:tenant/password-resets: the same answer whether or not an account matches, so the form
 * tells nobody which logins exist; only the per-address limit is ever told.
 */
export async function create(req: Request, res: Response): Promise<void> {
  const form = parseForm(passwordResetRequestForm, req.body);
  if (!form.ok) return renderResetRequestForm(req, res, 422, { errors: form.errors });
  const result = await requestPasswordResetFrom(scopeOf(req), form.data.loginOrEmail, { ip: req.ip ?? 'unknown' }, { links: linksOf(req) });
  if (result.outcome === 'throttled') return renderResetRequestForm(req, res, 429, { formError: throttledMessage(res, result.retryAfterSeconds, 'accounts:passwordReset.throttled') });
  res.redirect(303, req.pathTo('auth.passwordResetConfirmations.show'));
}

function renderForm(req: Request, res: Response, status: number, errors: Record<string, FieldError> = {}): void {
  renderPage(res, 'auth/password-resets/edit', { title: res.locals.t('accounts:passwordReset.editTitle'), login: linkOf(req).user.login, errors }, status);
}

/** GET /:tenant/password-resets/:token: the form for the new password. */
export function edit(req: Request, res: Response): void {
  renderForm(req, res, 200);
}

/**
 * POST /:tenant/password-resets/:token: sets the new password once; every session of the user
 * ends (usePasswordToken), and this browser starts a fresh one, unless the account is locked.
 */
export async function update(req: Request, res: Response): Promise<void> {
  const form = parseForm(passwordResetForm, req.body);
  if (!form.ok) return renderForm(req, res, 422, form.errors);
  await completeLink(req, res, form.data.newPassword, 'accounts:passwordReset.changed');
}
