import { fullName } from '../../models/user.js';
import type { Request, Response } from 'express';
import { refusalOf, ValidationError } from '../../lib/errors.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { renderRichText } from '../../lib/rich-text.js';
import { linksOf, scopeOf, setFlash, tenantOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { audienceTargetNames, createAnnouncement, listAnnouncements, loginOfAudienceAccount, updateAnnouncement } from '../../models/announcement.js';
import { listAnnouncementReaders, readCountsOf } from '../../models/announcement-readings.js';
import { announcementStateBadge, announcementValues, conflictAnnouncementForm, newAnnouncementValues, openedAnnouncementForm, refusedAnnouncementForm } from '../../presenters/announcements.js';
import { announcementCreateForm, announcementEditForm, announcementFields } from '../../validators/announcement.js';
import { fieldErrorsOf, formValues, parseForm } from '../../validators/form.js';
import { renderAnnouncementForm, sentAnnouncementForm } from './_announcement-page.js';

const perPage = 20;
const readersPerPage = 50;

/** GET /:tenant/admin/announcements: every announcement, the latest first, with its state, audience and "12 of 40 read". */
export async function index(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const page = pageFrom(req.query.page, perPage);
  const { rows, total } = await listAnnouncements(scope, page);
  const [targets, counts] = await Promise.all([audienceTargetNames(scope, rows), readCountsOf(scope, rows)]);
  const announcements = rows.map((row) => ({ ...row, stateBadge: announcementStateBadge(row.state, row.withdrawnAt), target: targets.get(row.id) ?? null, counts: counts.get(row.id)! }));
  renderPage(res, 'admin/announcements/index', { title: res.locals.t('announcements:list.title'), announcements, pagination: paginate(page, total) });
}

/** GET /:tenant/admin/announcements/new: the form, to every client and published now by default. */
async function newAnnouncement(req: Request, res: Response): Promise<void> {
  await renderAnnouncementForm(req, res, { form: { values: newAnnouncementValues(scopeOf(req).now(), tenantOf(req).timeZone), clashes: [], kept: [] } }, 200);
}
export { newAnnouncement as new };

/** POST /:tenant/admin/announcements: the end before the publication, a missing target or text is 422 with the form back. */
export async function create(req: Request, res: Response): Promise<void> {
  const sent = await sentAnnouncementForm(req);
  const form = parseForm(announcementCreateForm(tenantOf(req).timeZone), sent.body);
  const refused = { form: { values: formValues(sent.body, announcementFields), clashes: [], kept: [] } };
  if (!form.ok || Object.keys(sent.errors).length > 0) return renderAnnouncementForm(req, res, refused, 422, { ...(form.ok ? {} : form.errors), ...sent.errors });
  const outcome = await createAnnouncement(scopeOf(req), form.data, linksOf(req)).catch(refusalOf);
  if (outcome instanceof ValidationError) return renderAnnouncementForm(req, res, refused, 422, fieldErrorsOf(outcome));
  setFlash(req, 'success', 'announcements:created');
  res.redirect(303, req.pathTo('admin.announcements.show', { announcementId: outcome }));
}

/** GET /:tenant/admin/announcements/:announcementId: the text as clients see it, and who in its audience has read it. */
export async function show(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const announcement = loaded(req, 'announcement');
  const page = pageFrom(req.query.page, readersPerPage);
  const [bodyHtml, targets, counts, readers] = await Promise.all([renderRichText(announcement.body), audienceTargetNames(scope, [announcement]), readCountsOf(scope, [announcement]), listAnnouncementReaders(scope, announcement, page)]);
  const count = counts.get(announcement.id)!;
  renderPage(res, 'admin/announcements/show', {
    title: announcement.title,
    announcement: { ...announcement, stateBadge: announcementStateBadge(announcement.state, announcement.withdrawnAt), target: targets.get(announcement.id) ?? null },
    bodyHtml,
    counts: count,
    readers: readers.map((reader) => ({ ...reader, name: fullName(reader) })),
    pagination: paginate(page, count.audience),
  });
}

async function storedValues(req: Request) {
  const announcement = loaded(req, 'announcement');
  return announcementValues(announcement, tenantOf(req).timeZone, await loginOfAudienceAccount(scopeOf(req), announcement));
}

/** GET /:tenant/admin/announcements/:announcementId/edit */
export async function edit(req: Request, res: Response): Promise<void> {
  const announcement = loaded(req, 'announcement');
  await renderAnnouncementForm(req, res, { announcement, form: openedAnnouncementForm(await storedValues(req), announcement.version) }, 200);
}

/** POST /:tenant/admin/announcements/:announcementId: saved under the version check; a conflict merges (409). */
export async function update(req: Request, res: Response): Promise<void> {
  const announcement = loaded(req, 'announcement');
  const sent = await sentAnnouncementForm(req);
  const form = parseForm(announcementEditForm(tenantOf(req).timeZone), sent.body);
  if (!form.ok || Object.keys(sent.errors).length > 0) return renderAnnouncementForm(req, res, { announcement, form: refusedAnnouncementForm(sent.body) }, 422, { ...(form.ok ? {} : form.errors), ...sent.errors });
  const outcome = await updateAnnouncement(scopeOf(req), announcement.id, form.data, linksOf(req)).catch(refusalOf);
  if (outcome instanceof ValidationError) return renderAnnouncementForm(req, res, { announcement, form: refusedAnnouncementForm(sent.body) }, 422, fieldErrorsOf(outcome));
  if (outcome.status === 'conflict') {
    const current = outcome.current;
    const stored = announcementValues(current, tenantOf(req).timeZone, await loginOfAudienceAccount(scopeOf(req), current));
    return renderAnnouncementForm(req, res, { announcement: current, form: conflictAnnouncementForm(stored, current.version, sent.body) }, 409);
  }
  setFlash(req, 'success', outcome.changedFields.length > 0 || form.data.asksAgain ? 'announcements:saved' : 'announcements:unchanged');
  res.redirect(303, req.pathTo('admin.announcements.show', { announcementId: announcement.id }));
}
