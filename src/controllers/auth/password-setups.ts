import type { Request, Response } from 'express';
import { renderPage } from '../../lib/render.js';
import { completeLink, linkOf } from '../../middleware/one-time-links.js';
import { passwordSetupForm } from '../../validators/auth.js';
import { parseForm, type FieldError } from '../../validators/form.js';

function renderForm(req: Request, res: Response, status: number, errors: Record<string, FieldError> = {}): void {
  renderPage(res, 'auth/password-setups/edit', { title: res.locals.t('auth:setup.title'), login: linkOf(req).user.login, errors }, status);
}

/** GET /:tenant/password-setup/:token: the one-time link that sets a first password (its link step refuses a dead one). */
export function edit(req: Request, res: Response): void {
  renderForm(req, res, 200);
}

/** POST /:tenant/password-setup/:token: sets the password, uses up the link, signs the user in. */
export async function update(req: Request, res: Response): Promise<void> {
  const form = parseForm(passwordSetupForm, req.body);
  if (!form.ok) return renderForm(req, res, 422, form.errors);
  await completeLink(req, res, form.data.newPassword, 'auth:setup.done');
}
