import type { Request, Response } from 'express';
import { currentUserOf, scopeOf, tenantOf } from '../../middleware/context.js';
import { NotFoundError } from '../../lib/errors.js';
import { renderPage } from '../../lib/render.js';
import { calendarDateIn } from '../../lib/time.js';
import { attachmentLimits } from '../../middleware/attachments.js';
import { reportWriterOf } from '../../presenters/report-exports.js';
import { loadPortalDashboard } from './_dashboard-sections.js';

/** GET /:tenant/portal: the client's start page, a grid of sections (_dashboard-sections.ts). */
export async function show(req: Request, res: Response): Promise<void> {
  const user = currentUserOf(req);
  if (!user.customerId) throw new NotFoundError('this client account has no customer');
  const today = calendarDateIn(scopeOf(req).now(), tenantOf(req).timeZone);
  const sections = await loadPortalDashboard(scopeOf(req), { customerId: user.customerId, groupId: user.groupId }, { ...reportWriterOf(req, res), today, timeZone: tenantOf(req).timeZone });
  renderPage(res, 'portal/dashboards/show', { title: res.locals.t('dashboard:portal.title'), sections, attachmentLimits });
}
