import type { NextFunction, Request, Response } from 'express';
import { renderRichText } from '../lib/rich-text.js';
import { findUnconfirmedUrgentAnnouncement } from '../models/announcement-readings.js';
import { scopeOf } from './context.js';

type Render = (view: string, options?: object, callback?: (error: Error, html: string) => void) => void;

/**
 * An urgent announcement (C3) stands in front of the client's next page until they confirm it: a
 * page of the portal layout that a client's GET would show with 200 is drawn as the announcement
 * and its confirm button instead, at the same address, so that confirming leads back to the page
 * asked for. Only drawn pages are held: POSTs, sign-out, the language and text-size switches, file
 * downloads, CSV and PDF files, redirects and error pages go through, and so does a client who must
 * first change their password. One indexed query per page drawn, and none while no urgent
 * announcement of the tenant is in force (models/announcement-readings.ts).
 */
export function holdForUrgentAnnouncement(req: Request, res: Response, next: NextFunction): void {
  const user = req.currentUser;
  if (req.method !== 'GET' || !user || user.role !== 'client' || user.mustChangePassword) return next();
  const render = res.render.bind(res) as Render;
  const renderOrHold: Render = (view, options, callback) => {
    if (view !== 'layouts/portal' || res.statusCode !== 200) return render(view, options, callback);
    hold(req, options)
      .then((held) => render(view, held ?? options, callback))
      .catch((error: unknown) => next(error));
  };
  res.render = renderOrHold as Response['render'];
  next();
}

/** The page's options replaced by the urgent announcement's, or undefined when there is none to confirm. */
async function hold(req: Request, options: object | undefined): Promise<object | undefined> {
  const announcement = await findUnconfirmedUrgentAnnouncement(scopeOf(req));
  if (!announcement) return undefined;
  return {
    ...options,
    title: announcement.title,
    page: '../portal/announcements/urgent',
    announcement,
    bodyHtml: await renderRichText(announcement.body),
    returnTo: req.originalUrl,
  };
}
