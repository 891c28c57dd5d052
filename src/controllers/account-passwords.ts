import type { Request, Response } from 'express';
import { currentUserOf, scopeOf, setFlash } from '../middleware/context.js';
import { renderPage } from '../lib/render.js';
import { changePassword } from '../models/user.js';
import { passwordChangeForm } from '../validators/auth.js';
import { parseForm, type FieldError } from '../validators/form.js';
import { homePathFor } from './home.js';

function renderForm(req: Request, res: Response, status: number, errors: Record<string, FieldError> = {}): void {
  renderPage(res, 'account/password', {
    title: res.locals.t('account:password.title'),
    isForced: currentUserOf(req).mustChangePassword,
    errors,
  }, status);
}

/** GET /:tenant/account/password */
export function edit(req: Request, res: Response): void {
  renderForm(req, res, 200);
}

/** POST /:tenant/account/password: the current password is required, also for a forced change. */
export async function update(req: Request, res: Response): Promise<void> {
  const form = parseForm(passwordChangeForm, req.body);
  if (!form.ok) return renderForm(req, res, 422, form.errors);
  const user = currentUserOf(req);
  const changed = await changePassword(scopeOf(req), user.id, form.data, { bcryptCost: req.deps.config.bcryptCost });
  if (!changed) return renderForm(req, res, 422, { currentPassword: { key: 'account:password.currentWrong' } });
  setFlash(req, 'success', 'account:password.changed');
  res.redirect(303, homePathFor(req, user));
}
