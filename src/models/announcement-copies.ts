import { logEvent } from './audit.js';
import type { Knex } from 'knex';
import type { SystemWork } from '../db/installation.js';
import type { Scope } from '../db/scope.js';
import { toDatabaseTime } from '../lib/time.js';
import type { Links } from '../lib/urls.js';
import { enqueueMail } from './outbox.js';
import { findScopeTenant } from './tenant.js';
import { greetingNameOf } from './user.js';
import { announcementAudienceAccounts, type AnnouncementAudience } from './visibility.js';

/**
 * The e-mail copies of an announcement (C2), through the outbox, each in its recipient's language:
 * for one published at once in the transaction that writes it, for a scheduled one by the job
 * 'announcements.publish' once its time has come. Sent once: the announcement is claimed by a
 * conditional update of `emails_sent_at` in the transaction that queues the messages, so of two
 * runs one claims and sends, and a run that fails has claimed nothing.
 */
const batchSize = 500;

/** The announcements whose copies are due (published, not ended, not yet sent) as a condition on a query of them. */
function whereCopiesDue(query: Knex.QueryBuilder, now: string): Knex.QueryBuilder {
  return query
    .where({ 'announcements.sends_email': true })
    .whereNull('announcements.emails_sent_at')
    .where('announcements.publish_at', '<=', now)
    .where((inForce) => inForce.whereNull('announcements.ends_at').orWhere('announcements.ends_at', '>', now));
}

/**
 * Claims an announcement's copies and queues one message per account of its audience with an
 * address (active, not locked), read in batches by id: one query per batch, not per person.
 * @returns how many were queued (0 when they were sent already or are not due)
 */
export async function sendAnnouncementCopies(scope: Scope, id: number, links?: Links): Promise<number> {
  return scope.transaction(async (trx) => {
    const now = toDatabaseTime(trx.now());
    const claimed = await whereCopiesDue(trx.table('announcements').where('announcements.id', id), now).update({ emails_sent_at: now });
    if (Number(claimed) !== 1) return 0;
    const row = await trx.table('announcements').where('announcements.id', id).first();
    const audience: AnnouncementAudience = { audience: row.audience, groupId: row.group_id, customerId: row.customer_id, userId: row.user_id };
    const tenant = await findScopeTenant(trx);
    const link = links ? links.absolute('portal.announcements.show', { tenant: tenant.slug, announcementId: id }) : '';
    let sent = 0;
    let afterId = 0;
    for (;;) {
      const recipients: Array<Record<string, unknown>> = await announcementAudienceAccounts(trx, audience)
        .where('users.is_locked', false)
        .whereNotNull('users.email')
        .whereNot('users.email', '')
        .where('users.id', '>', afterId)
        .orderBy('users.id')
        .limit(batchSize)
        .select('users.id', 'users.customer_id', 'users.email', 'users.locale', 'users.first_name', 'users.last_name');
      for (const recipient of recipients) {
        const data = { tenant: tenant.name, title: String(row.title), body: String(row.body), link, greetingName: greetingNameOf({ firstName: String(recipient.first_name ?? ''), lastName: String(recipient.last_name ?? '') }) };
        await enqueueMail(trx, { to: String(recipient.email), recipientUserId: Number(recipient.id), customerId: recipient.customer_id === null || recipient.customer_id === undefined ? null : Number(recipient.customer_id), locale: (recipient.locale as string | null) ?? tenant.defaultLocale, template: 'announcement', data });
      }
      sent += recipients.length;
      if (recipients.length < batchSize) {
        await logEvent(trx, { action: 'announcement.emailed', subjectType: 'announcement', subjectId: id, details: { messages: sent } });
        return sent;
      }
      afterId = Number(recipients.at(-1)!.id);
    }
  });
}

/** The tenants with announcements whose copies are due, for the job. */
export async function tenantsWithCopiesDue(system: SystemWork): Promise<number[]> {
  const rows: Array<{ tenant_id: number }> = await whereCopiesDue(system.acrossTenants('announcements'), toDatabaseTime(system.now())).distinct('announcements.tenant_id');
  return rows.map((row) => Number(row.tenant_id));
}

/** Queues the copies of every announcement of the tenant whose time has come. @returns how many announcements and messages */
export async function sendDueAnnouncementCopies(scope: Scope, links?: Links): Promise<{ announcements: number; messages: number }> {
  const due: unknown[] = await whereCopiesDue(scope.table('announcements'), toDatabaseTime(scope.now())).orderBy('announcements.id').pluck('announcements.id');
  const run = { announcements: 0, messages: 0 };
  for (const id of due) {
    const messages = await sendAnnouncementCopies(scope, Number(id), links);
    run.announcements += 1;
    run.messages += messages;
  }
  return run;
}
