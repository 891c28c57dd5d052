import type { Request, Response } from 'express';
import { renderPage } from '../../lib/render.js';
import { completeLink, linkOf } from '../../middleware/one-time-links.js';
import { fullName } from '../../models/user.js';
import { passwordSetupForm } from '../../validators/auth.js';
import { parseForm, type FieldError } from '../../validators/form.js';

function renderForm(req: Request, res: Response, status: number, errors: Record<string, FieldError> = {}): void {
  const { user, customerName } = linkOf(req);
  const invitation = { login: user.login, name: fullName(user), customerName };
  renderPage(res, 'auth/invitations/edit', { title: res.locals.t('accounts:invitation.title'), invitation, errors }, status);
}

/** GET /:tenant/invitations/:token: who is invited, and the form to choose a password (A7). */
export function edit(req: Request, res: Response): void {
  renderForm(req, res, 200);
}

/** POST /:tenant/invitations/:token: sets the password, uses up the link, signs the client in and says the account is ready (as a reset says the password is saved). */
export async function update(req: Request, res: Response): Promise<void> {
  const form = parseForm(passwordSetupForm, req.body);
  if (!form.ok) return renderForm(req, res, 422, form.errors);
  await completeLink(req, res, form.data.newPassword, 'accounts:invitation.accepted');
}
