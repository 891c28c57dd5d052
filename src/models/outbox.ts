import { z } from 'zod';
import type { SystemWork } from '../db/installation.js';
import type { Scope } from '../db/scope.js';
import type { Page } from '../lib/pagination.js';
import { toDatabaseTime } from '../lib/time.js';
import { enqueueTenantJob } from './job.js';

/** Every kind of message eBOK sends; each has its subject and body in locales/<language>/mail.json. */
export const mailTemplates = ['password-setup', 'invitation', 'password-reset', 'change-request-approved', 'change-request-rejected', 'staff-invitation', 'email-changed', 'password-reset-shared', 'change-request-filed', 'change-request-filed-office',
  // tickets (T9): ticket-notifications.ts
  'ticket-filed', 'ticket-filed-queue', 'ticket-assigned', 'ticket-assigned-with-note', 'ticket-approval-requested', 'ticket-approved', 'ticket-rejected', 'ticket-replied', 'ticket-client-replied', 'ticket-status-changed', 'ticket-due-changed',
  // payment reminders (M9): payment-reminders.ts
  'payment-reminder',
  // announcements (C2): announcement-copies.ts
  'announcement'] as const;
export type MailTemplate = (typeof mailTemplates)[number];
/**
 * A message to queue. `recipientUserId` is the account it is for (null: an address that is no
 * account's, such as an office's mailbox): the development mailbox decides by that account's rank
 * who may read the message's links, never by the address, which accounts may share or take over.
 * A message without one has its links hidden from all but superadmins there.
 * `customerId` is the customer the message is about, whoever receives it (one of its accounts, its
 * own address, a member of staff): a purge of the customer takes the message (its values hold the
 * customer's address, names, ticket titles). Every message about a customer names it.
 */
export type QueuedMail = { to: string; recipientUserId?: number | null; customerId?: number | null; locale: string; template: MailTemplate; data: Record<string, string> };
export type OutboxEntry = QueuedMail & {
  recipientUserId: number | null;
  customerId: number | null;
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
} as const;

/** The payload of a 'mail.send' job: the message it sends. */
export const mailJobPayload = z.object({ outboxId: z.number().int().positive() });

/**
 * Queues an e-mail in the caller's transaction, with the job that sends it: both are kept only
 * if the change that caused them commits. The outbox row is the record of the message (the
 * development mailbox reads it); the job runner sends it (src/jobs/mail.ts).
 */
export function enqueueMail(scope: Scope, mail: QueuedMail): Promise<number> {
  return scope.transaction(async (trx) => {
    const now = trx.now();
    const stamp = toDatabaseTime(now);
    const id = await trx.insert('outbox', {
      recipient: mail.to,
      recipient_user_id: mail.recipientUserId ?? null,
      customer_id: mail.customerId ?? null,
      locale: mail.locale,
      template: mail.template,
      data: JSON.stringify(mail.data),
      status: 'pending',
      next_attempt_at: stamp,
      created_at: stamp,
    });
    await enqueueTenantJob(trx, { kind: 'mail.send', payload: mailJobPayload.parse({ outboxId: id }), runAt: now });
    return id;
  });
}

function toEntry(row: Record<string, unknown>): OutboxEntry {
  return {
    id: Number(row.id),
    tenantId: Number(row.tenant_id),
    to: String(row.recipient),
    recipientUserId: row.recipient_user_id === null || row.recipient_user_id === undefined ? null : Number(row.recipient_user_id),
    customerId: row.customer_id === null || row.customer_id === undefined ? null : Number(row.customer_id),
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

/** A tenant's message, for the job that sends it. */
export async function findMail(scope: Scope, id: number): Promise<OutboxEntry | undefined> {
  const row = await scope.table('outbox').where('id', id).first();
  return row ? toEntry(row) : undefined;
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

/** Notes a failed attempt to send on the message (the job runner tries again later). */
export async function recordMailFailure(system: SystemWork, entry: Pick<OutboxEntry, 'id' | 'attempts'>, error: string): Promise<void> {
  await system.acrossTenants('outbox').where('id', entry.id).update({ attempts: entry.attempts + 1, last_error: error.slice(0, 500) });
}

/** The message will not be sent: its job has failed for good (a message sent meanwhile, by a retry, stays sent). */
export async function markMailFailed(scope: Scope, id: number): Promise<void> {
  await scope.table('outbox').where('id', id).whereNot('status', 'sent').update({ status: 'failed' });
}
