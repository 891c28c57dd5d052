import type { NextFunction, Request, Response } from 'express';
import { renderPage } from '../lib/render.js';
import { admitAfterLink } from '../models/authentication.js';
import { inspectLinkToken, usePasswordToken, type PasswordTokenPurpose, type TokenState } from '../models/password-token.js';
import type { User } from '../models/user.js';
import { formValues, type FieldError } from '../validators/form.js';
import { scopeOf, setFlash } from './context.js';
import type { RecordStep } from './loaders.js';
import { dashboardPathFor } from './last-visited.js';
import { beginSession } from './session-user.js';

/**
 * The one home of the three one-time-link flows (invitation, first password, password reset):
 * checking a link, refusing one that does not work, and signing its user in once it has set a
 * password.
 */
export type UsableLink = Extract<TokenState, { state: 'usable' }> & { purpose: PasswordTokenPurpose };
type LinkProblem = Exclude<TokenState['state'], 'usable'>;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The usable link the route's link step found. */
      link?: UsableLink;
    }
  }
}

/** An unknown link is not found (404); an expired or used one is gone (410). */
const statusOf = (problem: LinkProblem) => (problem === 'unknown' ? 404 : 410);

type ResetFormState = { errors?: Record<string, FieldError>; formError?: FieldError; linkProblem?: LinkProblem };

/** "Forgot your password?": the form, also where a reset link that no longer works leads, so a new one is one step away. */
export function renderResetRequestForm(req: Request, res: Response, status: number, state: ResetFormState = {}): void {
  renderPage(res, 'auth/password-resets/new', {
    title: res.locals.t('accounts:passwordReset.title'),
    values: formValues(req.body, ['loginOrEmail']),
    errors: state.errors ?? {},
    formError: state.formError,
    linkProblem: state.linkProblem,
  }, status);
}

function renderLinkProblem(req: Request, res: Response, purpose: PasswordTokenPurpose, problem: LinkProblem): void {
  if (purpose === 'reset') return renderResetRequestForm(req, res, statusOf(problem), { linkProblem: problem });
  renderPage(res, 'auth/links/invalid', { title: res.locals.t('auth:link.invalidTitle'), state: problem }, statusOf(problem));
}

/**
 * The route step of a link's pages: the :token is looked at as a visitor's guess (an unknown one
 * counts against the address, and a blocked address gets 429 before any token is read); a link
 * that does not work is answered here, a usable one goes on to the controller as req.link.
 */
export function link(purpose: PasswordTokenPurpose): RecordStep {
  const step = async (req: Request, res: Response, next: NextFunction) => {
    const found = await inspectLinkToken(scopeOf(req), String(req.params.token), purpose, { ip: req.ip ?? 'unknown' });
    if (found.state !== 'usable') return renderLinkProblem(req, res, purpose, found.state);
    req.link = { ...found, purpose };
    next();
  };
  return Object.assign(step, { kind: 'link' as const, description: `link ${purpose} :token` });
}

export function linkOf(req: Request): UsableLink {
  if (!req.link) throw new Error('the route has no link() step');
  return req.link;
}

/**
 * Sets the password through the request's link, once, and signs its user in, unless the account
 * is locked or its customer has no portal access: then the sign-in page says so. A link used up
 * by a concurrent request in between is answered as used.
 */
export async function completeLink(req: Request, res: Response, password: string, successFlash?: string): Promise<void> {
  const { purpose } = linkOf(req);
  const user = await usePasswordToken(scopeOf(req), String(req.params.token), purpose, password, { bcryptCost: req.deps.config.bcryptCost });
  if (!user) return renderLinkProblem(req, res, purpose, 'used');
  await signInThroughLink(req, res, user, successFlash);
}

async function signInThroughLink(req: Request, res: Response, user: User, successFlash?: string): Promise<void> {
  const admission = await admitAfterLink(scopeOf(req), user, req.ip ?? null);
  if (admission.outcome !== 'signed-in') {
    setFlash(req, 'info', admission.outcome === 'locked' ? 'accounts:passwordReset.changedButLocked' : 'auth:passwordSetNoPortalAccess');
    return res.redirect(303, req.pathTo('auth.sessions.new'));
  }
  await beginSession(req, user);
  if (successFlash) setFlash(req, 'success', successFlash);
  res.redirect(303, dashboardPathFor(req, user));
}
