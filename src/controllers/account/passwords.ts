import type { Request, Response } from 'express';
import { currentUserOf, scopeOf, setFlash } from '../../middleware/context.js';
import { dashboardPathFor } from '../../middleware/last-visited.js';
import { beginSession } from '../../middleware/session-user.js';
import { renderPage, throttledMessage } from '../../lib/render.js';
import { changeOwnPassword } from '../../models/password-change.js';
import { passwordChangeForm } from '../../validators/auth.js';
import { parseForm, type FieldError } from '../../validators/form.js';

function renderForm(req: Request, res: Response, status: number, errors: Record<string, FieldError> = {}): void {
  renderPage(res, 'account/passwords/edit', {
    title: res.locals.t('account:password.title'),
    isForced: currentUserOf(req).mustChangePassword,
    errors,
  }, status);
}

/** GET /:tenant/account/password */
export function edit(req: Request, res: Response): void {
  renderForm(req, res, 200);
}

/**
 * POST /:tenant/account/password: the current password is required, also for a forced change.
 * A new password ends every other session of the user and gives this one a new id.
 */
export async function update(req: Request, res: Response): Promise<void> {
  const form = parseForm(passwordChangeForm, req.body);
  if (!form.ok) return renderForm(req, res, 422, form.errors);
  const user = currentUserOf(req);
  const result = await changeOwnPassword(scopeOf(req), user, form.data, { bcryptCost: req.deps.config.bcryptCost, ip: req.ip ?? 'unknown' });
  if (result.outcome === 'throttled') return renderForm(req, res, 429, { currentPassword: throttledMessage(res, result.retryAfterSeconds, 'auth:signIn.throttled') });
  if (result.outcome === 'wrong-current') return renderForm(req, res, 422, { currentPassword: { key: 'account:password.currentWrong' } });
  await req.deps.sessionStore.destroyAllOfUser(user.tenantId, user.id);
  await beginSession(req, user);
  setFlash(req, 'success', 'account:password.changed');
  res.redirect(303, dashboardPathFor(req, user));
}
