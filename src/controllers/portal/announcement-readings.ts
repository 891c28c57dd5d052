import type { Request, Response } from 'express';
import { backToPage, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { markAnnouncementRead } from '../../models/announcement-readings.js';

/**
 * POST /:tenant/portal/announcements/:announcementId/reading: the client has read it, or confirms an
 * urgent one (C3); then back to the page they were on or had asked for (a local page of the tenant
 * only). Twice, or from two tabs, it is one receipt.
 */
export async function create(req: Request, res: Response): Promise<void> {
  const announcement = loaded(req, 'announcement');
  await markAnnouncementRead(scopeOf(req), announcement.id);
  setFlash(req, 'success', announcement.isUrgent ? 'announcements:confirmed' : 'announcements:markedRead');
  backToPage(req, res, (req.body as Record<string, unknown> | undefined)?.returnTo ?? req.pathTo('portal.announcements.show', { announcementId: announcement.id }));
}
