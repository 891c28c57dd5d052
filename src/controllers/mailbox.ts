import type { Request, Response } from 'express';
import { scopeOf } from '../middleware/context.js';
import { NotFoundError } from '../lib/errors.js';
import { renderMail } from '../lib/mail-templates.js';
import { pageFrom, paginate } from '../lib/pagination.js';
import { renderPage } from '../lib/render.js';
import { fromDatabaseTime } from '../lib/time.js';
import { listOutbox, type OutboxEntry } from '../models/outbox.js';

const perPage = 20;

const statusLabels: Record<OutboxEntry['status'], string> = {
  pending: 'mailbox:status.pending',
  sending: 'mailbox:status.sending',
  sent: 'mailbox:status.sent',
  failed: 'mailbox:status.failed',
};

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

/** Whether the development mailbox exists: never in production, where e-mail goes only to its recipients. */
export function isMailboxAvailable(nodeEnv: string): boolean {
  return nodeEnv === 'development' || nodeEnv === 'test';
}

/** GET /:tenant/admin/mailbox: the tenant's outbox as the recipients read it (development and tests only; 404 otherwise). */
export async function index(req: Request, res: Response): Promise<void> {
  if (!isMailboxAvailable(req.deps.config.nodeEnv)) throw new NotFoundError('the development mailbox is not available in production');
  const page = pageFrom(req.query.page, perPage);
  const { entries, total } = await listOutbox(scopeOf(req), page);
  const messages = entries.map((entry) => {
    const mail = renderMail(req.deps.i18n, entry);
    return { ...entry, subject: mail.subject, body: withLinks(mail.text), status: statusLabels[entry.status], createdAt: fromDatabaseTime(entry.createdAt) };
  });
  renderPage(res, 'admin/mailbox', { title: res.locals.t('mailbox:title'), messages, pagination: paginate(page, total) });
}
