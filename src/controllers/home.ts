import type { Request, Response } from 'express';
import type { User } from '../models/user.js';
import { tenantPath } from '../middleware/context.js';

/** Where a user belongs after sign-in: clients in the portal, staff in the staff panel. */
export function homePathFor(req: Request, user: User): string {
  return tenantPath(req, user.role === 'client' ? 'portal' : 'staff');
}

/** GET /:tenant: the dashboard when signed in, else sign-in. */
export function show(req: Request, res: Response): void {
  res.redirect(303, req.currentUser ? homePathFor(req, req.currentUser) : tenantPath(req, 'login'));
}
