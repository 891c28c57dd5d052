import type { Request, Response } from 'express';
import { scopeOf, tenantPath } from '../middleware/context.js';
import { renderPage, throttledMessage } from '../lib/render.js';
import { requestPasswordResetFrom } from '../models/password-reset.js';
import { inspectLinkToken, usePasswordToken } from '../models/password-token.js';
import { passwordResetForm, passwordResetRequestForm } from '../validators/password-reset.js';
import { formValues, parseForm, type FieldError } from '../validators/form.js';
import { signInAfterPasswordLink } from './home.js';

type LinkProblem = 'expired' | 'used' | 'unknown';
type RequestFormState = { errors?: Record<string, FieldError>; formError?: FieldError; linkProblem?: LinkProblem };

/** The request form; a reset link that no longer works shows it too, so a new link is one step away. */
function renderRequestForm(req: Request, res: Response, status: number, state: RequestFormState = {}): void {
  renderPage(res, 'auth/password-reset-new', {
    title: res.locals.t('accounts:passwordReset.title'),
    values: formValues(req.body, ['loginOrEmail']),
    errors: state.errors ?? {},
    formError: state.formError,
    linkProblem: state.linkProblem,
  }, status);
}

function renderLinkProblem(req: Request, res: Response, state: LinkProblem): void {
  renderRequestForm(req, res, state === 'unknown' ? 404 : 410, { linkProblem: state });
}

function inspect(req: Request) {
  return inspectLinkToken(scopeOf(req), String(req.params.token), 'reset', { ip: req.ip ?? 'unknown', now: req.deps.clock() });
}

/** GET /:tenant/password-resets/new: "forgot your password?" (A11). */
export function newReset(req: Request, res: Response): void {
  renderRequestForm(req, res, 200);
}

/**
 * POST /:tenant/password-resets: the same answer whether or not an account matches, so the form
 * tells nobody which logins exist; only the per-address limit is ever told.
 */
export async function create(req: Request, res: Response): Promise<void> {
  const form = parseForm(passwordResetRequestForm, req.body);
  if (!form.ok) return renderRequestForm(req, res, 422, { errors: form.errors });
  const visitor = { ip: req.ip ?? 'unknown', now: req.deps.clock() };
  const result = await requestPasswordResetFrom(scopeOf(req), form.data.loginOrEmail, visitor, { baseUrl: req.deps.config.baseUrl });
  if (result.outcome === 'throttled') return renderRequestForm(req, res, 429, { formError: throttledMessage(res, result.retryAfterSeconds, 'accounts:passwordReset.throttled') });
  res.redirect(303, tenantPath(req, 'password-resets/sent'));
}

/** GET /:tenant/password-resets/sent: "if an account matches, a link is on its way". */
export function confirmation(_req: Request, res: Response): void {
  renderPage(res, 'auth/password-reset-sent', { title: res.locals.t('accounts:passwordReset.sentTitle') });
}

/** GET /:tenant/password-resets/:token: the form for the new password. */
export async function edit(req: Request, res: Response): Promise<void> {
  const found = await inspect(req);
  if (found.state !== 'usable') return renderLinkProblem(req, res, found.state);
  renderPage(res, 'auth/password-reset-edit', { title: res.locals.t('accounts:passwordReset.editTitle'), login: found.user.login, errors: {} });
}

/**
 * POST /:tenant/password-resets/:token: sets the new password once; every session of the user
 * ends (usePasswordToken), and this browser starts a fresh one, unless the account is locked.
 */
export async function update(req: Request, res: Response): Promise<void> {
  const found = await inspect(req);
  if (found.state !== 'usable') return renderLinkProblem(req, res, found.state);
  const form = parseForm(passwordResetForm, req.body);
  if (!form.ok) {
    return renderPage(res, 'auth/password-reset-edit', { title: res.locals.t('accounts:passwordReset.editTitle'), login: found.user.login, errors: form.errors }, 422);
  }
  const user = await usePasswordToken(scopeOf(req), String(req.params.token), 'reset', form.data.newPassword, { bcryptCost: req.deps.config.bcryptCost });
  if (!user) return renderLinkProblem(req, res, 'used');
  await signInAfterPasswordLink(req, res, user, 'accounts:passwordReset.changed');
}
