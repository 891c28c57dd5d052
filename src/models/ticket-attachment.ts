import { actingUserId, type Scope } from '../db/scope.js';
import { isUniqueViolation } from '../lib/errors.js';
import type { FileStore } from '../lib/storage/index.js';
import type { Links } from '../lib/urls.js';
import { storeFiles, withFilesRemovedOnFailure, type IncomingFile } from './stored-file.js';
import { visibleTickets } from './visibility.js';

/**
 * The files sent with a ticket's form or a message's (T6), and the store that keeps new files. They
 * are stored in the transaction of what they belong to: a ticket or a message is never kept without
 * the files it came with, nor files without it.
 */
export type Attachments = { store: FileStore; files: readonly IncomingFile[] };

/**
 * What a reply or a note may carry beside its text: its form's submission key, its files, and the
 * links for the e-mails it causes (T9; without them, as in fixtures, no one is told).
 */
export type MessageExtras = { submissionKey?: string | null; attachments?: Attachments; links?: Links };

/** Keeps the files of a ticket's own form (the new-ticket form, or a late reply that filed a ticket). */
export async function attachToTicket(trx: Scope, ticketId: number, attachments: Attachments | undefined): Promise<void> {
  if (attachments && attachments.files.length > 0) await storeFiles(trx, attachments.store, { ticketId }, attachments.files);
}

/** Keeps the files of a reply or an internal note: they reach whoever reads the message, and no one else. */
export async function attachToMessage(trx: Scope, ticketId: number, messageId: number, attachments: Attachments | undefined): Promise<void> {
  if (attachments && attachments.files.length > 0) await storeFiles(trx, attachments.store, { ticketId, ticketMessageId: messageId }, attachments.files);
}

/**
 * Adds a message once per form: the same form sent again (a double click, two requests at once)
 * finds the message the first sending added, with its one set of files, and adds nothing. The
 * ticket's row is locked first (MySQL), so two sendings run one after the other: each would
 * otherwise hold a shared lock on it (the message's foreign key) and wait for the other's to
 * update it, which MariaDB ends as a deadlock.
 * @returns what `add` returned, or `earlier` of the message already added
 */
export async function addMessageOnce<T>(scope: Scope, ticketId: number, submissionKey: string | null | undefined, add: (trx: Scope) => Promise<T>, earlier: (messageId: number) => T): Promise<T> {
  try {
    return await withFilesRemovedOnFailure(scope, async (trx) => {
      await lockTicket(trx, ticketId);
      const found = await messageOfSubmission(trx, ticketId, submissionKey);
      return found ? earlier(found) : add(trx);
    });
  } catch (error) {
    // Read before the lock was taken, the first sending's message was not yet there: the key stops this one.
    const repeated = isUniqueViolation(error) && !scope.isTransaction ? await messageOfSubmission(scope, ticketId, submissionKey) : undefined;
    if (repeated) return earlier(repeated);
    throw error;
  }
}

/** Locks a ticket the actor sees until the transaction ends (MySQL; SQLite runs one write transaction at a time). */
async function lockTicket(trx: Scope, ticketId: number): Promise<void> {
  if (!trx.isMysql) return;
  const tickets = await visibleTickets(trx);
  await tickets().where('tickets.id', ticketId).forUpdate().first('tickets.id');
}

/** The message the actor added to a ticket they see with an earlier sending of the same form, if any. */
async function messageOfSubmission(scope: Scope, ticketId: number, submissionKey: string | null | undefined): Promise<number | undefined> {
  if (!submissionKey) return undefined;
  const tickets = await visibleTickets(scope);
  const row = await scope
    .table('ticket_messages')
    .where({ 'ticket_messages.submission_key': submissionKey, 'ticket_messages.ticket_id': ticketId, 'ticket_messages.author_id': actingUserId(scope.actor) })
    .whereIn('ticket_messages.ticket_id', tickets().select('tickets.id'))
    .first('ticket_messages.id');
  return row ? Number(row.id) : undefined;
}
