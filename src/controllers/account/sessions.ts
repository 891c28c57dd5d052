import type { Request, Response } from 'express';
import { sessionCookieName } from '../../middleware/session-user.js';

/**
 * POST /:tenant/logout: the session is destroyed, not just emptied. The language the user was
 * reading in is carried to the sign-in page by its address, so nothing of the old session stays.
 */
export async function destroy(req: Request, res: Response): Promise<void> {
  const locale = req.locale;
  await new Promise<void>((resolve, reject) => req.session.destroy((error) => (error ? reject(error) : resolve())));
  res.clearCookie(sessionCookieName, { path: req.pathTo('auth.homes.show') });
  res.redirect(303, req.pathTo('auth.sessions.new', {}, { signedOut: '1', lang: locale }));
}
