import type { Request, Response } from 'express';
import { dashboardPathFor } from '../../middleware/last-visited.js';

/** GET /:tenant: the dashboard when signed in, else sign-in. */
export function show(req: Request, res: Response): void {
  res.redirect(303, req.currentUser ? dashboardPathFor(req, req.currentUser) : req.pathTo('auth.sessions.new'));
}
