import type { Request, Response } from 'express';
import { roleRank } from '../../db/scope.js';
import { currentUserOf, scopeOf } from '../../middleware/context.js';
import { highestRoleRankByEmail } from '../../models/user.js';
import { NotFoundError } from '../../lib/errors.js';
import { renderMail } from '../../lib/mail-templates.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { listOutbox } from '../../models/outbox.js';
import { mailStatus } from '../../presenters/mailbox.js';

const perPage = 20;

export type TextPart = { text: string; href?: string };

/** Splits a message's text into plain parts and web links, so the page can make the links clickable without raw HTML. */
export function withLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ text: match[0], href: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/**
 * The links of a message to an account that ranks as high as the reader or higher (another admin,
 * a superadmin) are hidden: a reset or invitation link there would let the reader become that account.
 */
function hideLinks(parts: TextPart[]): TextPart[] {
  return parts.map((part) => (part.href ? { text: '[…]' } : part));
}

/** GET /:tenant/admin/mailbox: the tenant's outbox as the recipients read it (development and tests only; 404 otherwise). */
export async function index(req: Request, res: Response): Promise<void> {
  if (!req.deps.config.hasDevelopmentMailbox) throw new NotFoundError('the development mailbox is not available here');
  const page = pageFrom(req.query.page, perPage);
  const { entries, total } = await listOutbox(scopeOf(req), page);
  const reader = currentUserOf(req);
  const ranks = await highestRoleRankByEmail(scopeOf(req), entries.map((entry) => entry.to));
  const isGuarded = (to: string) => reader.role !== 'superadmin' && to !== reader.email && (ranks.get(to.toLowerCase()) ?? -1) >= roleRank(reader.role);
  const messages = entries.map((entry) => {
    const mail = renderMail(req.deps.i18n, entry);
    const body = withLinks(mail.text);
    return { ...entry, subject: mail.subject, body: isGuarded(entry.to) ? hideLinks(body) : body, statusBadge: mailStatus(entry.status) };
  });
  renderPage(res, 'admin/mailbox/index', { title: res.locals.t('mailbox:title'), messages, pagination: paginate(page, total) });
}
