import type { Request, Response } from 'express';
import { scopeOf } from '../middleware/context.js';
import { renderPage } from '../lib/render.js';
import { inspectLinkToken, usePasswordToken } from '../models/password-token.js';
import { passwordSetupForm } from '../validators/auth.js';
import { parseForm, type FieldError } from '../validators/form.js';
import { signInAfterPasswordLink } from './home.js';

function renderLinkProblem(res: Response, state: 'expired' | 'used' | 'unknown'): void {
  renderPage(res, 'auth/link-invalid', { title: res.locals.t('auth:link.invalidTitle'), state }, state === 'unknown' ? 404 : 410);
}

function renderForm(res: Response, login: string, status: number, errors: Record<string, FieldError> = {}): void {
  renderPage(res, 'auth/password-setup', { title: res.locals.t('auth:setup.title'), login, errors }, status);
}

/** The link's token, looked at as a visitor's guess (an unknown one counts against the address). */
function inspect(req: Request) {
  return inspectLinkToken(scopeOf(req), String(req.params.token), 'setup', { ip: req.ip ?? 'unknown', now: req.deps.clock() });
}

/** GET /:tenant/password-setup/:token: the one-time link that sets a first password. */
export async function show(req: Request, res: Response): Promise<void> {
  const found = await inspect(req);
  if (found.state !== 'usable') return renderLinkProblem(res, found.state);
  renderForm(res, found.user.login, 200);
}

/** POST /:tenant/password-setup/:token: sets the password, uses up the link, signs the user in. */
export async function update(req: Request, res: Response): Promise<void> {
  const token = String(req.params.token);
  const found = await inspect(req);
  if (found.state !== 'usable') return renderLinkProblem(res, found.state);
  const form = parseForm(passwordSetupForm, req.body);
  if (!form.ok) return renderForm(res, found.user.login, 422, form.errors);
  const user = await usePasswordToken(scopeOf(req), token, 'setup', form.data.newPassword, { bcryptCost: req.deps.config.bcryptCost });
  if (!user) return renderLinkProblem(res, 'used');
  await signInAfterPasswordLink(req, res, user);
}
