import type { Request, Response } from 'express';
import { currentUserOf, scopeOf, setFlash } from '../../middleware/context.js';
import { renderPage, throttledMessage } from '../../lib/render.js';
import { findProfile, saveOwnProfile, type LandingPage } from '../../models/profile.js';
import { fieldErrorsOf, formValues, parseForm, type FieldError } from '../../validators/form.js';
import { refusalOf, ValidationError } from '../../lib/errors.js';
import { isSharedEmailConfirmed } from '../../models/shared-email.js';
import { maximumAddressLength, profileFields, profileForm } from '../../validators/profile.js';
import { inForceText, sourceText, valueText } from '../../presenters/settings.js';

const landingChoices: Array<{ value: LandingPage; label: string }> = [
  { value: 'last', label: 'profile:landing.last' },
  { value: 'dashboard', label: 'profile:landing.dashboard' },
  { value: 'tickets', label: 'profile:landing.tickets' },
];

/** The form, with the landing page in force and where it comes from (their own choice, the company's, the default: D5). */
async function renderForm(req: Request, res: Response, status: number, values?: Record<string, string>, errors: Record<string, FieldError> = {}): Promise<void> {
  const profile = await findProfile(scopeOf(req), currentUserOf(req).id);
  const landingInForce = inForceText(valueText('account.landing_page', profile.landingPage), sourceText(profile.landingPageSource, { here: 'account' }));
  const shown = values ?? formValues({ ...profile, locale: profile.locale ?? req.locale }, profileFields);
  renderPage(res, 'account/profiles/edit', { title: res.locals.t('profile:title'), values: shown, errors, landingChoices, landingInForce, maximumAddressLength }, status);
}

/** GET /:tenant/account/profile/edit: the user's own contact data and preferences (A9, A10, A14). */
export async function edit(req: Request, res: Response): Promise<void> {
  await renderForm(req, res, 200);
}

/** POST /:tenant/account/profile */
export async function update(req: Request, res: Response): Promise<void> {
  const form = parseForm(profileForm, req.body);
  const values = formValues(req.body, profileFields);
  if (!form.ok) return renderForm(req, res, 422, values, form.errors);
  const { currentPassword, confirmSharedEmail, ...profile } = form.data;
  const isConfirmed = isSharedEmailConfirmed(confirmSharedEmail, profile.email);
  const check = { currentPassword, ip: req.ip ?? 'unknown', bcryptCost: req.deps.config.bcryptCost, isSharedEmailConfirmed: isConfirmed };
  const result = await saveOwnProfile(scopeOf(req), currentUserOf(req), profile, check).catch(refusalOf);
  if (result instanceof ValidationError) return renderForm(req, res, 422, values, fieldErrorsOf(result));
  if (result.outcome === 'throttled') return renderForm(req, res, 429, values, { currentPassword: throttledMessage(res, result.retryAfterSeconds, 'auth:signIn.throttled') });
  if (result.outcome === 'password-needed') return renderForm(req, res, 422, values, { currentPassword: { key: 'profile:errors.passwordForEmail' } });
  setFlash(req, 'success', 'profile:saved');
  res.redirect(303, req.pathTo('account.accounts.show'));
}
