import type { Request, Response } from 'express';
import { scopeOf, tenantOf, tenantPath } from '../middleware/context.js';
import { updatePreferences } from '../models/user.js';
import { parseForm } from '../validators/form.js';
import { languageForm, safeReturnPath, textSizeForm } from '../validators/preferences.js';

function back(req: Request, res: Response, returnTo: string | undefined): void {
  res.redirect(303, safeReturnPath(returnTo, tenantOf(req).slug, tenantPath(req)));
}

/** POST /:tenant/language: kept on the account when signed in, in the session otherwise. */
export async function updateLanguage(req: Request, res: Response): Promise<void> {
  const form = parseForm(languageForm, req.body);
  if (!form.ok) return back(req, res, req.body?.returnTo);
  if (req.currentUser) await updatePreferences(scopeOf(req), req.currentUser.id, { locale: form.data.locale });
  else req.session.locale = form.data.locale;
  back(req, res, form.data.returnTo);
}

/** POST /:tenant/text-size: larger, default or smaller text, remembered like the language (A14). */
export async function updateTextSize(req: Request, res: Response): Promise<void> {
  const form = parseForm(textSizeForm, req.body);
  if (!form.ok) return back(req, res, req.body?.returnTo);
  if (req.currentUser) await updatePreferences(scopeOf(req), req.currentUser.id, { textSize: form.data.textSize });
  else req.session.textSize = form.data.textSize;
  back(req, res, form.data.returnTo);
}
