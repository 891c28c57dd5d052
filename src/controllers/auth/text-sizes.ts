import type { Request, Response } from 'express';
import { backToPage, scopeOf } from '../../middleware/context.js';
import { updatePreferences } from '../../models/user.js';
import { parseForm } from '../../validators/form.js';
import { textSizeForm } from '../../validators/preferences.js';
import { rememberVisitorTextSize } from '../../middleware/visitor-preferences.js';

/** POST /:tenant/text-size: larger, default or smaller text, remembered like the language (A14). */
export async function update(req: Request, res: Response): Promise<void> {
  const form = parseForm(textSizeForm, req.body);
  if (!form.ok) return backToPage(req, res, req.body?.returnTo);
  if (req.currentUser) await updatePreferences(scopeOf(req), req.currentUser.id, { textSize: form.data.textSize });
  else rememberVisitorTextSize(req, res, form.data.textSize);
  backToPage(req, res, form.data.returnTo);
}
