import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { actingUserId, type Scope } from '../db/scope.js';
import { isUniqueViolation, NotFoundError } from '../lib/errors.js';
import type { Page } from '../lib/pagination.js';
import type { FileStore, FileStores } from '../lib/storage/index.js';
import { toDatabaseTime } from '../lib/time.js';
import { visibleMailIntake } from './visibility.js';

/**
 * The intake of e-mail (T9): every message that reached a tenant, kept with its raw bytes, never
 * dropped. `received`: kept, not yet handled (or its handling stopped half-way: it is handled again
 * when it comes again); `filed`: it became a ticket or a reply; `unmatched`: no account of the
 * tenant sent it, it waits for an admin to give it a customer; `failed`: it could not be read or
 * filed (the error says why); `discarded`: an admin put it aside (spam), still kept.
 */
export type MailIntakeStatus = 'received' | 'filed' | 'unmatched' | 'failed' | 'discarded';
export type MailIntakeChannel = 'cli' | 'imap';

export type MailIntake = {
  id: number;
  status: MailIntakeStatus;
  messageId: string | null;
  sender: string | null;
  subject: string | null;
  channel: MailIntakeChannel;
  rawStore: string;
  rawStoreKey: string;
  rawSize: number;
  error: string | null;
  ticketId: number | null;
  ticketMessageId: number | null;
  receivedAt: string;
  handledAt: string | null;
};

function toMailIntake(row: Record<string, unknown>): MailIntake {
  const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    id: Number(row.id),
    status: row.status as MailIntakeStatus,
    messageId: (row.message_id as string | null) ?? null,
    sender: (row.sender as string | null) ?? null,
    subject: (row.subject as string | null) ?? null,
    channel: row.channel as MailIntakeChannel,
    rawStore: String(row.raw_store),
    rawStoreKey: String(row.raw_store_key),
    rawSize: Number(row.raw_size),
    error: (row.error as string | null) ?? null,
    ticketId: numberOrNull(row.ticket_id),
    ticketMessageId: numberOrNull(row.ticket_message_id),
    receivedAt: String(row.received_at),
    handledAt: (row.handled_at as string | null) ?? null,
  };
}

/** The key that makes one message one row: its Message-ID, or its bytes when it has none. */
export function dedupeKeyOf(messageId: string | null, raw: Buffer): string {
  return createHash('sha256').update(messageId ? `message-id:${messageId.toLowerCase()}` : raw).digest('hex');
}

export type KeptMessage = { intake: MailIntake; isHandled: boolean };

/**
 * Keeps a raw message before anything is done with it: its row (received) and its bytes in the file
 * store, in one transaction. A message kept before (the same Message-ID) is not kept twice: its row
 * is answered, and whether it was handled already (anything but received).
 */
export async function keepMessage(scope: Scope, store: FileStore, message: { raw: Buffer; dedupeKey: string; messageId: string | null; sender: string | null; subject: string | null; channel: MailIntakeChannel }): Promise<KeptMessage> {
  const earlier = await findByDedupeKey(scope, message.dedupeKey);
  if (earlier) return { intake: earlier, isHandled: earlier.status !== 'received' };
  let keyOutside: string | undefined;
  try {
    const id = await scope.transaction(async (trx) => {
      const key = await store.put(trx, message.raw);
      if (!store.isTransactional) keyOutside = key;
      return trx.insert('mail_intake', {
        status: 'received',
        dedupe_key: message.dedupeKey,
        message_id: message.messageId?.slice(0, 255) ?? null,
        sender: message.sender?.slice(0, 255) ?? null,
        subject: message.subject?.slice(0, 255) ?? null,
        channel: message.channel,
        raw_store: store.name,
        raw_store_key: key,
        raw_size: message.raw.length,
        received_at: toDatabaseTime(trx.now()),
      });
    });
    return { intake: await findMailIntake(scope, id), isHandled: false };
  } catch (error) {
    if (keyOutside) await store.delete(scope, keyOutside).catch(() => undefined);
    const repeated = isUniqueViolation(error) ? await findByDedupeKey(scope, message.dedupeKey) : undefined;
    if (repeated) return { intake: repeated, isHandled: true };
    throw error;
  }
}

async function findByDedupeKey(scope: Scope, dedupeKey: string): Promise<MailIntake | undefined> {
  const row = await visibleMailIntake(scope).where('mail_intake.dedupe_key', dedupeKey).first();
  return row ? toMailIntake(row) : undefined;
}

/** A kept message the actor may see. @throws NotFoundError otherwise, as for a missing one */
export async function findMailIntake(scope: Scope, id: number): Promise<MailIntake> {
  const row = await visibleMailIntake(scope).where('mail_intake.id', id).first();
  if (!row) throw new NotFoundError(`mail intake ${id}`);
  return toMailIntake(row);
}

/**
 * Takes a message in one state (received; unmatched, for an admin) for handling, inside the caller's transaction: only one handling wins
 * (the row is locked by the update until the transaction ends). @returns false when it was handled meanwhile
 */
export async function claimIntake(trx: Scope, id: number, outcome: { from: MailIntakeStatus; status: 'filed' | 'unmatched' | 'discarded'; ticketId?: number | null; ticketMessageId?: number | null }): Promise<boolean> {
  const updated = await visibleMailIntake(trx)
    .where({ 'mail_intake.id': id, 'mail_intake.status': outcome.from })
    .update({ status: outcome.status, ticket_id: outcome.ticketId ?? null, ticket_message_id: outcome.ticketMessageId ?? null, handled_at: toDatabaseTime(trx.now()), handled_by: actingUserId(trx.actor) });
  return Number(updated) === 1;
}

/** Notes what a handled message became (the ticket or the reply), in the handling's transaction. */
export async function noteIntakeOutcome(trx: Scope, id: number, outcome: { ticketId: number; ticketMessageId: number | null }): Promise<void> {
  await visibleMailIntake(trx).where('mail_intake.id', id).update({ ticket_id: outcome.ticketId, ticket_message_id: outcome.ticketMessageId });
}

/** Marks a received message failed, with the error, unless it was handled meanwhile. */
export async function markIntakeFailed(scope: Scope, id: number, error: string): Promise<void> {
  await visibleMailIntake(scope)
    .where({ 'mail_intake.id': id, 'mail_intake.status': 'received' })
    .update({ status: 'failed', error: error.slice(0, 4000), handled_at: toDatabaseTime(scope.now()) });
}

/** The messages that wait for an admin (unmatched, failed) or, with `status`, those of one state; latest first. */
export async function listMailIntake(scope: Scope, page: Page, status: MailIntakeStatus | 'waiting'): Promise<{ rows: MailIntake[]; total: number }> {
  const filtered = () => {
    const query = visibleMailIntake(scope);
    return status === 'waiting' ? query.whereIn('mail_intake.status', ['unmatched', 'failed']) : query.where('mail_intake.status', status);
  };
  const [counted] = await filtered().count({ total: '*' });
  const rows = await filtered().orderBy('mail_intake.received_at', 'desc').orderBy('mail_intake.id', 'desc').limit(page.perPage).offset(page.offset).select('mail_intake.*');
  return { rows: rows.map(toMailIntake), total: Number((counted as { total: number | string }).total) };
}

/** How many kept messages of a state the actor sees (the queue's e-mail from unknown senders). */
export async function countMailIntake(scope: Scope, status: MailIntakeStatus): Promise<number> {
  const [counted] = await visibleMailIntake(scope).where('mail_intake.status', status).count({ total: '*' });
  return Number((counted as { total: number | string }).total);
}

/** The raw bytes of a kept message, from the store they were put in. */
export function rawOfIntake(scope: Scope, stores: FileStores, intake: MailIntake): Promise<Readable> {
  return stores.named(intake.rawStore).get(scope, intake.rawStoreKey);
}

/** The raw bytes of a kept message, whole (to handle it again). */
export async function rawBytesOfIntake(scope: Scope, stores: FileStores, intake: MailIntake): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await rawOfIntake(scope, stores, intake)) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
