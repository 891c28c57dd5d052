import { roleRank, type Role } from '../db/scope.js';
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
 * Whether a message's links are out of the reader's reach: it is for another account that ranks as
 * high as the reader or higher (another admin, a superadmin), for an account no longer there, or for
 * no account at all (an address, or a message queued before messages named their account). Decided
 * by the account the message is for, never by its address: an admin who gives himself a superadmin's
 * address must not read the superadmin's reset link. Superadmins read everything of their tenant.
 * @param recipientRank the rank of the message's account as it is now; undefined when not found
 */
export function isOutOfReach(reader: { id: number; role: Role }, recipientUserId: number | null, recipientRank: number | undefined): boolean {
  if (reader.role === 'superadmin') return false;
  if (recipientUserId !== null && recipientUserId === reader.id) return false;
  return recipientRank === undefined || recipientRank >= roleRank(reader.role);
}

/** The links of a message out of the reader's reach are hidden: a reset or invitation link there would let the reader become that account. */
export function hideLinks(parts: TextPart[]): TextPart[] {
  return parts.map((part) => (part.href ? { text: '[…]' } : part));
}

const mailStatusTones: Record<OutboxEntry['status'], Tone> = { pending: 'waiting', sending: 'info', sent: 'success', failed: 'danger' };

export function mailStatus(status: OutboxEntry['status']): Status {
  return { label: message(mailStatusLabels[status]), tone: mailStatusTones[status] };
}
