import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { withdrawAnnouncement } from '../../models/announcement.js';

/** POST /:tenant/admin/announcements/:announcementId/withdrawal: ends it now (clients stop seeing it); a repeat changes nothing. */
export async function create(req: Request, res: Response): Promise<void> {
  const announcement = loaded(req, 'announcement');
  const isWithdrawn = await withdrawAnnouncement(scopeOf(req), announcement.id);
  setFlash(req, isWithdrawn ? 'success' : 'info', isWithdrawn ? 'announcements:withdrawn' : 'announcements:alreadyEnded');
  res.redirect(303, req.pathTo('admin.announcements.show', { announcementId: announcement.id }));
}
