import type { Request, Response } from 'express';
import { renderPage } from '../../lib/render.js';

/** GET /:tenant/password-resets/sent: "if an account matches, a link is on its way". */
export function show(_req: Request, res: Response): void {
  renderPage(res, 'auth/password-resets/sent', { title: res.locals.t('accounts:passwordReset.sentTitle') });
}
