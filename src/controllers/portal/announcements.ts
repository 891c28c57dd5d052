import type { Request, Response } from 'express';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { renderRichText } from '../../lib/rich-text.js';
import { scopeOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { findClientAnnouncement, listClientAnnouncements } from '../../models/announcement-readings.js';

const perPage = 10;

/** GET /:tenant/portal/announcements: the client's announcements in force, unread first, then the newest (C2). */
export async function index(req: Request, res: Response): Promise<void> {
  const page = pageFrom(req.query.page, perPage);
  const { rows, total, unread } = await listClientAnnouncements(scopeOf(req), page);
  renderPage(res, 'portal/announcements/index', { title: res.locals.t('announcements:portal.title'), announcements: rows, unread, pagination: paginate(page, total) });
}

/** GET /:tenant/portal/announcements/:announcementId: one announcement meant for the client (anyone else's is 404), with its "mark as read". */
export async function show(req: Request, res: Response): Promise<void> {
  const announcement = await findClientAnnouncement(scopeOf(req), loaded(req, 'announcement').id);
  renderPage(res, 'portal/announcements/show', { title: announcement.title, announcement, bodyHtml: await renderRichText(announcement.body), returnTo: req.originalUrl });
}
