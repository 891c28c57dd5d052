import type { Request, Response } from 'express';
import { currentUserOf, scopeOf } from '../../middleware/context.js';
import { roleRanksOf } from '../../models/user.js';
import { NotFoundError } from '../../lib/errors.js';
import { renderMail } from '../../lib/mail-templates.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { listOutbox, type OutboxEntry } from '../../models/outbox.js';
import { hideLinks, isOutOfReach, mailStatus, withLinks } from '../../presenters/mailbox.js';

const perPage = 20;

/** GET /:tenant/admin/mailbox: the tenant's outbox as the recipients read it (development and tests only; 404 otherwise). */
export async function index(req: Request, res: Response): Promise<void> {
  if (!req.deps.config.hasDevelopmentMailbox) throw new NotFoundError('the development mailbox is not available here');
  const page = pageFrom(req.query.page, perPage);
  const { entries, total } = await listOutbox(scopeOf(req), page);
  const reader = currentUserOf(req);
  const ranks = await roleRanksOf(scopeOf(req), entries.flatMap((entry) => (entry.recipientUserId === null ? [] : [entry.recipientUserId])));
  const isGuarded = (entry: OutboxEntry) => isOutOfReach(reader, entry.recipientUserId, entry.recipientUserId === null ? undefined : ranks.get(entry.recipientUserId));
  const messages = entries.map((entry) => {
    const mail = renderMail(req.deps.i18n, entry);
    const body = withLinks(mail.text);
    return { ...entry, subject: mail.subject, body: isGuarded(entry) ? hideLinks(body) : body, statusBadge: mailStatus(entry.status) };
  });
  renderPage(res, 'admin/mailbox/index', { title: res.locals.t('mailbox:title'), messages, pagination: paginate(page, total) });
}
