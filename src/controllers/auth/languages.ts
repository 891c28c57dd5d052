import type { Request, Response } from 'express';
import { backToPage, scopeOf } from '../../middleware/context.js';
import { updatePreferences } from '../../models/user.js';
import { parseForm } from '../../validators/form.js';
import { languageForm } from '../../validators/preferences.js';
import { rememberVisitorLocale } from '../../middleware/visitor-preferences.js';

/** POST /:tenant/language: kept on the account when signed in, in a cookie otherwise (no session for a visitor). */
export async function update(req: Request, res: Response): Promise<void> {
  const form = parseForm(languageForm, req.body);
  if (!form.ok) return backToPage(req, res, req.body?.returnTo);
  if (req.currentUser) await updatePreferences(scopeOf(req), req.currentUser.id, { locale: form.data.locale });
  else rememberVisitorLocale(req, res, form.data.locale);
  backToPage(req, res, form.data.returnTo);
}
