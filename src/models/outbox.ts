import { randomUUID } from 'node:crypto';
import type { SystemWork } from '../db/installation.js';
import type { Scope } from '../db/scope.js';

import type { Page } from '../lib/pagination.js';
import { toDatabaseTime } from '../lib/time.js';

export type MailTemplate = 'password-setup' | 'invitation' | 'password-reset' | 'change-request-approved' | 'change-request-rejected' | 'staff-invitation' | 'email-changed';
export type QueuedMail = { to: string; locale: string; template: MailTemplate; data: Record<string, string> };
export type OutboxEntry = QueuedMail & {
  id: number;
  tenantId: number;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
};

export const outboxPolicy = {
  maximumAttempts: 8,
  firstRetrySeconds: 60,
  longestRetrySeconds: 60 * 60,
  /** A message claimed this long ago by a process that never reported back is tried again. */
  staleClaimSeconds: 10 * 60,
} as const;

/** Queues an e-mail in the caller's transaction: it is sent only if the change that caused it commits. */
export async function enqueueMail(scope: Scope, mail: QueuedMail): Promise<number> {
  const now = toDatabaseTime(scope.now());
  return scope.insert('outbox', {
    recipient: mail.to,
    locale: mail.locale,
    template: mail.template,
    data: JSON.stringify(mail.data),
    status: 'pending',
    next_attempt_at: now,
    created_at: now,
  });
}

function toEntry(row: Record<string, unknown>): OutboxEntry {
  return {
    id: Number(row.id),
    tenantId: Number(row.tenant_id),
    to: String(row.recipient),
    locale: String(row.locale),
    template: row.template as MailTemplate,
    data: JSON.parse(String(row.data)) as Record<string, string>,
    status: row.status as OutboxEntry['status'],
    attempts: Number(row.attempts),
    lastError: (row.last_error as string | null) ?? null,
    createdAt: String(row.created_at),
    sentAt: (row.sent_at as string | null) ?? null,
  };
}

/** One page of a tenant's outbox, newest first (the development mailbox). */
export async function listOutbox(scope: Scope, page: Page): Promise<{ entries: OutboxEntry[]; total: number }> {
  const [countRow, rows] = await Promise.all([
    scope.table('outbox').count({ count: '*' }).first(),
    scope.table('outbox').orderBy('id', 'desc').limit(page.perPage).offset(page.offset),
  ]);
  return { entries: rows.map(toEntry), total: Number(countRow?.count ?? 0) };
}

/**
 * Claims due messages of every tenant for one sender. The delivery worker is system work: it
 * reads all tenants' outboxes, and each message goes only to its own recipient. A conditional
 * update per row makes the claim safe when several processes send at once.
 */
export async function claimDueMail(system: SystemWork, options: { limit: number }): Promise<OutboxEntry[]> {
  const outbox = () => system.acrossTenants('outbox');
  const moment = system.now();
  const now = toDatabaseTime(moment);
  const stale = toDatabaseTime(new Date(moment.getTime() - outboxPolicy.staleClaimSeconds * 1000));
  await outbox().where('status', 'sending').andWhere('claimed_at', '<', stale).update({ status: 'pending', claim: null });
  const due: Array<{ id: number }> = await outbox()
    .select('id')
    .where('status', 'pending')
    .andWhere('next_attempt_at', '<=', now)
    .orderBy('id')
    .limit(options.limit);
  const claim = randomUUID();
  const claimed: OutboxEntry[] = [];
  for (const { id } of due) {
    const taken = await outbox().where({ id, status: 'pending' }).update({ status: 'sending', claim, claimed_at: now });
    if (taken) claimed.push(toEntry(await outbox().where('id', id).first()));
  }
  return claimed;
}

/**
 * Marks a message sent. With forgetLinks (production), its one-time link is dropped from the
 * stored values: only the recipient's mailbox keeps a working link, never the database or its backups.
 */
export async function markMailSent(system: SystemWork, entry: Pick<OutboxEntry, 'id' | 'data'>, options: { forgetLinks: boolean }): Promise<void> {
  const changes: Record<string, unknown> = { status: 'sent', sent_at: toDatabaseTime(system.now()), claim: null, last_error: null };
  if (options.forgetLinks && 'link' in entry.data) changes.data = JSON.stringify({ ...entry.data, link: '[sent]' });
  await system.acrossTenants('outbox').where('id', entry.id).update(changes);
}

/** Counts a failed attempt: tried again later with a growing wait, or given up after the last attempt. */
export async function markMailFailed(system: SystemWork, entry: OutboxEntry, error: string): Promise<void> {
  const attempts = entry.attempts + 1;
  const isFinal = attempts >= outboxPolicy.maximumAttempts;
  const wait = Math.min(outboxPolicy.firstRetrySeconds * 2 ** (attempts - 1), outboxPolicy.longestRetrySeconds);
  await system
    .acrossTenants('outbox')
    .where('id', entry.id)
    .update({
      status: isFinal ? 'failed' : 'pending',
      attempts,
      claim: null,
      last_error: error.slice(0, 500),
      next_attempt_at: toDatabaseTime(new Date(system.now().getTime() + wait * 1000)),
    });
}
