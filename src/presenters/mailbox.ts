import type { OutboxEntry } from '../models/outbox.js';
import { message, type Status, type Tone } from './presentation.js';

/** An e-mail's state in the outbox, as the development mailbox shows it. */
const mailStatusLabels: Record<OutboxEntry['status'], string> = {
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

/**
 * The links of a message to an account that ranks as high as the reader or higher (another admin,
 * a superadmin) are hidden: a reset or invitation link there would let the reader become that account.
 */
export function hideLinks(parts: TextPart[]): TextPart[] {
  return parts.map((part) => (part.href ? { text: '[…]' } : part));
}

const mailStatusTones: Record<OutboxEntry['status'], Tone> = { pending: 'waiting', sending: 'info', sent: 'success', failed: 'danger' };

export function mailStatus(status: OutboxEntry['status']): Status {
  return { label: message(mailStatusLabels[status]), tone: mailStatusTones[status] };
}
