import type { Request, Response } from 'express';
import { scopeOf } from '../middleware/context.js';
import { renderPage } from '../lib/render.js';
import { describeInvitation } from '../models/client-account.js';
import { inspectLinkToken, usePasswordToken } from '../models/password-token.js';
import type { User } from '../models/user.js';
import { passwordSetupForm } from '../validators/auth.js';
import { parseForm, type FieldError } from '../validators/form.js';
import { signInAfterPasswordLink } from './home.js';

function renderLinkProblem(res: Response, state: 'expired' | 'used' | 'unknown'): void {
  renderPage(res, 'auth/link-invalid', { title: res.locals.t('auth:link.invalidTitle'), state }, state === 'unknown' ? 404 : 410);
}

async function renderForm(req: Request, res: Response, user: User, status: number, errors: Record<string, FieldError> = {}): Promise<void> {
  const invitation = await describeInvitation(scopeOf(req), user);
  renderPage(res, 'auth/invitation', { title: res.locals.t('accounts:invitation.title'), invitation, errors }, status);
}

/** The link's token, looked at as a visitor's guess (an unknown one counts against the address). */
function inspect(req: Request) {
  return inspectLinkToken(scopeOf(req), String(req.params.token), 'invitation', { ip: req.ip ?? 'unknown', now: req.deps.clock() });
}

/** GET /:tenant/invitations/:token: who is invited, and the form to choose a password (A7). */
export async function show(req: Request, res: Response): Promise<void> {
  const found = await inspect(req);
  if (found.state !== 'usable') return renderLinkProblem(res, found.state);
  await renderForm(req, res, found.user, 200);
}

/** POST /:tenant/invitations/:token: sets the password, uses up the link, signs the client in. */
export async function update(req: Request, res: Response): Promise<void> {
  const found = await inspect(req);
  if (found.state !== 'usable') return renderLinkProblem(res, found.state);
  const form = parseForm(passwordSetupForm, req.body);
  if (!form.ok) return renderForm(req, res, found.user, 422, form.errors);
  const user = await usePasswordToken(scopeOf(req), String(req.params.token), 'invitation', form.data.newPassword, { bcryptCost: req.deps.config.bcryptCost });
  if (!user) return renderLinkProblem(res, 'used');
  await signInAfterPasswordLink(req, res, user);
}
