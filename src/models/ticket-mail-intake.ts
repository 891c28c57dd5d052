import type { Links } from '../lib/urls.js';
import { createHash } from 'node:crypto';
import type { i18n as I18n } from 'i18next';
import type { Scope, UserActor } from '../db/scope.js';
import { isStaff } from '../db/scope.js';
import { AppError, ConflictError } from '../lib/errors.js';
import { detectFileType } from '../lib/file-types.js';
import { cleanSubject, parseMail, withoutQuotedReply, type IncomingMail, type MailAttachment } from '../lib/mail-message.js';
import type { FileStores } from '../lib/storage/index.js';
import { can } from '../policies/ticket.js';
import { logEvent } from './audit.js';
import { actorFor } from './authentication.js';
import { claimIntake, dedupeKeyOf, findMailIntake, keepMessage, markIntakeFailed, noteIntakeOutcome, rawBytesOfIntake, type MailIntakeChannel } from './mail-intake.js';
import type { IncomingFile } from './stored-file.js';
import { withFilesRemovedOnFailure } from './stored-file.js';
import { findScopeTenant } from './tenant.js';
import { fileTicket, findTicket, type Ticket } from './ticket.js';
import { attachToTicket, type Attachments } from './ticket-attachment.js';
import { isOfficeMessageCategory, listTicketCategories } from './ticket-category.js';
import { insertTicketMessage } from './ticket-history.js';
import { ticketNumberFromSubject } from './ticket-mail-tag.js';
import { addStaffMessage, replyAsClient } from './ticket-workflow.js';
import { toUser, type User } from './user.js';
import { visibleAccounts, visibleTickets } from './visibility.js';

/** What ingestion needs beside the scope: the file stores (the raw message, attachments) and the texts of notes in the tenant's language. */
/** What ingestion needs beside the database; `links` (BASE_URL) makes the ticket's notices go out (T9), none: they do not. */
export type IngestDeps = { stores: FileStores; i18n: I18n; links?: Links | undefined };

export type IngestOutcome =
  | { outcome: 'filed'; intakeId: number; ticketId: number; isReply: boolean }
  | { outcome: 'unmatched'; intakeId: number }
  | { outcome: 'failed'; intakeId: number; error: string }
  | { outcome: 'duplicate'; intakeId: number };

/** A message larger than this is kept but not read: 5 files of 10 MB, base64-encoded, with room to spare. */
export const maximumRawSize = 80 * 1024 * 1024;
/** The limits of the portal's forms (T6, middleware/uploads.ts), applied to the files of a message. */
const fileLimits = { maxFiles: 5, maxFileSize: 10 * 1024 * 1024, size: '10 MB' };
/** The longest description or reply, as the forms allow (validators/ticket.ts maximumMessageLength). */
const longestText = 10_000;

/** Why a message that was read cannot be filed: kept as failed with this text. */
class IntakeRefusal extends AppError {
  readonly status = 422;
}

/**
 * Takes one e-mail message into the tenant (T9), as the CLI and the IMAP poller both do. The raw
 * message is kept first, whatever follows; then, in one transaction with what it becomes:
 * - from an active client account (by its e-mail address, in any letter case), with the tag of a
 *   ticket the client sees in its subject: a reply to it, as the portal's reply (a ticket waiting for
 *   the customer goes back to open); without one: a ticket of the client's customer, filed as the
 *   portal files one (numbering, routing, approval), with source 'email';
 * - from an active member of staff, with the tag of a ticket they may work: their reply to the client;
 * - from anyone else (and staff without a ticket): unmatched, for an admin to give it a customer.
 * Files over the limits or of a refused type are left out and named in an internal note. A message
 * that cannot be read or filed is kept as failed, with the error. The same message (Message-ID)
 * ingested again is a duplicate and files nothing.
 */
export async function ingestMessage(scope: Scope, raw: Buffer, deps: IngestDeps, channel: MailIntakeChannel = 'cli'): Promise<IngestOutcome> {
  const read = await readMail(raw);
  const mail = read.mail;
  const kept = await keepMessage(scope, deps.stores.forNewFiles, { raw, dedupeKey: dedupeKeyOf(mail?.messageId ?? null, raw), messageId: mail?.messageId ?? null, sender: mail?.senderAddress ?? null, subject: mail?.subject ?? null, channel });
  const intakeId = kept.intake.id;
  if (kept.isHandled) return { outcome: 'duplicate', intakeId };
  if (!mail) return failIntake(scope, intakeId, read.error);
  try {
    return await withFilesRemovedOnFailure(scope, (trx) => handleMail(trx, intakeId, mail, deps));
  } catch (error) {
    return failIntake(scope, intakeId, error);
  }
}

async function readMail(raw: Buffer): Promise<{ mail: IncomingMail; error?: undefined } | { mail?: undefined; error: IntakeRefusal }> {
  if (raw.length === 0) return { error: new IntakeRefusal('the message is empty', { messageKey: 'mailIntake:failures.empty' }) };
  if (raw.length > maximumRawSize) return { error: new IntakeRefusal(`the message is larger than ${maximumRawSize} bytes; it is kept, not read`, { messageKey: 'mailIntake:failures.tooLarge' }) };
  try {
    return { mail: await parseMail(raw) };
  } catch (error) {
    return { error: new IntakeRefusal(`the message could not be read: ${error instanceof Error ? error.message : String(error)}`) };
  }
}

/**
 * Marks a kept message failed. The row keeps the i18n key of a known reason (the admins' page says
 * it in their language), else the error's own text; the outcome has the text (the CLI, the log).
 */
async function failIntake(scope: Scope, intakeId: number, failure: unknown): Promise<IngestOutcome> {
  const error = failure instanceof Error ? failure.message : String(failure);
  const stored = failure instanceof IntakeRefusal && failure.messageKey ? failure.messageKey : error;
  await scope.transaction(async (trx) => {
    await markIntakeFailed(trx, intakeId, stored);
    await logEvent(trx, { action: 'mail.failed', subjectType: 'mail_intake', subjectId: intakeId });
  });
  return { outcome: 'failed', intakeId, error };
}

async function handleMail(trx: Scope, intakeId: number, mail: IncomingMail, deps: IngestDeps): Promise<IngestOutcome> {
  if (!mail.senderAddress) throw new IntakeRefusal('the message names no sender address (From)', { messageKey: 'mailIntake:failures.noSender' });
  const sender = await senderAccount(trx, mail.senderAddress);
  if (sender) {
    const asSender = trx.authenticatedAs(actorFor(sender));
    const ticket = await taggedTicket(asSender, mail.subject);
    if (ticket) return addReply(asSender, trx, intakeId, ticket, mail, deps);
    if (sender.role === 'client') return fileFromClient(asSender, trx, intakeId, sender, mail, deps);
  }
  if (!(await claimIntake(trx, intakeId, { from: 'received', status: 'unmatched' }))) return { outcome: 'duplicate', intakeId };
  await logEvent(trx, { action: 'mail.unmatched', subjectType: 'mail_intake', subjectId: intakeId });
  return { outcome: 'unmatched', intakeId };
}

/**
 * The active, unlocked account whose e-mail address sent the message: a member of staff first, else
 * a client account (the primary contact first). An address several customers' accounts share names
 * no one: the message is unmatched rather than filed for the wrong company.
 */
async function senderAccount(trx: Scope, address: string): Promise<User | undefined> {
  const rows: Array<Record<string, unknown>> = await visibleAccounts(trx)
    .whereRaw('lower(users.email) = ?', [address])
    .where({ 'users.is_active': true, 'users.is_locked': false })
    .orderBy('users.is_primary_contact', 'desc')
    .orderBy('users.id')
    .select('users.*');
  const accounts = rows.map(toUser);
  const staff = accounts.find((account) => isStaff(account.role));
  if (staff) return staff;
  const clients = accounts.filter((account) => account.role === 'client' && account.customerId !== null);
  return new Set(clients.map((client) => client.customerId)).size === 1 ? clients[0] : undefined;
}

/** The ticket the subject's tag names, if the sender may see it. */
async function taggedTicket(asSender: Scope, subject: string): Promise<Ticket | undefined> {
  const number = ticketNumberFromSubject(subject);
  if (!number) return undefined;
  const { year, sequence } = number;
  const tickets = await visibleTickets(asSender);
  const row = await tickets().where({ 'tickets.year': year, 'tickets.sequence': sequence }).first('tickets.id');
  return row ? findTicket(asSender, Number(row.id)) : undefined;
}

async function addReply(asSender: Scope<UserActor>, trx: Scope, intakeId: number, ticket: Ticket, mail: IncomingMail, deps: IngestDeps): Promise<IngestOutcome> {
  const actor = asSender.actor;
  const mayAnswer = isStaff(actor.role) ? can(actor, 'work', ticket) : can(actor, 'reply', ticket);
  if (!mayAnswer) throw new IntakeRefusal(`the sender may not reply to ticket ${ticket.number}`, { messageKey: 'mailIntake:failures.mayNotReply' });
  if (!(await claimIntake(trx, intakeId, { from: 'received', status: 'filed' }))) return { outcome: 'duplicate', intakeId };
  const texts = await textsOf(trx, deps);
  const { attachments, refused } = screenAttachments(mail.attachments, deps, texts);
  const body = limited(withoutQuotedReply(mail.text) || texts('mailIntake:ticket.noText'));
  let ticketId = ticket.id;
  let messageId: number | null = null;
  if (isStaff(actor.role)) messageId = await addStaffMessage(asSender, ticket.id, { body, isInternal: false }, { attachments, links: deps.links });
  else ticketId = (await replyAsClient(asSender, ticket.id, body, { attachments, links: deps.links, source: 'email' })).ticketId;
  await noteRefusedFiles(trx, ticketId, refused, texts);
  await noteIntakeOutcome(trx, intakeId, { ticketId, ticketMessageId: messageId });
  await logEvent(trx, { action: 'mail.filed', subjectType: 'mail_intake', subjectId: intakeId, details: { ticketId } });
  return { outcome: 'filed', intakeId, ticketId, isReply: ticketId === ticket.id };
}

async function fileFromClient(asSender: Scope<UserActor>, trx: Scope, intakeId: number, sender: User, mail: IncomingMail, deps: IngestDeps): Promise<IngestOutcome> {
  if (!(await claimIntake(trx, intakeId, { from: 'received', status: 'filed' }))) return { outcome: 'duplicate', intakeId };
  const ticketId = await fileMailTicket(asSender, trx, mail, sender.customerId!, deps);
  await noteIntakeOutcome(trx, intakeId, { ticketId, ticketMessageId: null });
  await logEvent(trx, { action: 'mail.filed', subjectType: 'mail_intake', subjectId: intakeId, details: { ticketId } });
  return { outcome: 'filed', intakeId, ticketId, isReply: false };
}

/** Files a message as a ticket of a customer, as the filer (a client, or an admin on the customer's behalf), with its files. */
async function fileMailTicket(filer: Scope, trx: Scope, mail: IncomingMail, customerId: number, deps: IngestDeps, notes: string[] = []): Promise<number> {
  const texts = await textsOf(trx, deps);
  const { attachments, refused } = screenAttachments(mail.attachments, deps, texts);
  const ticketId = await fileTicket(
    filer,
    { customerId, categoryId: await mailCategoryId(trx), title: (cleanSubject(mail.subject) || texts('mailIntake:ticket.noSubject')).slice(0, 200), description: limited(mail.text || texts('mailIntake:ticket.noText')), preferredDate: null, preferredTime: null, source: 'email' },
    { afterFiling: (filing, id) => attachToTicket(filing, id, attachments), links: deps.links },
  );
  for (const note of notes) await insertTicketMessage(trx, ticketId, note, true);
  await noteRefusedFiles(trx, ticketId, refused, texts);
  return ticketId;
}

/** The category of tickets that come by e-mail: the tenant's "message to the office", else its first category. */
async function mailCategoryId(trx: Scope): Promise<number> {
  const categories = await listTicketCategories(trx, { isActiveOnly: true, isOfficeMessageIncluded: true });
  const category = categories.find(isOfficeMessageCategory) ?? categories[0];
  if (!category) throw new IntakeRefusal('the tenant offers no ticket category', { messageKey: 'mailIntake:failures.noCategory' });
  return category.id;
}

type Texts = (key: string, values?: Record<string, unknown>) => string;

/** Texts of notes and placeholders in the tenant's own language: a message has no reader's language. */
async function textsOf(trx: Scope, deps: IngestDeps): Promise<Texts> {
  const tenant = await findScopeTenant(trx);
  const t = deps.i18n.getFixedT(tenant.defaultLocale);
  return (key, values) => String(t(key, values));
}

const limited = (text: string) => (text.length > longestText ? `${text.slice(0, longestText - 1)}…` : text);

/** The message's files the portal's forms would take (type by content, size, count), and the reasons for those left out. */
function screenAttachments(files: readonly MailAttachment[], deps: IngestDeps, texts: Texts): { attachments: Attachments; refused: string[] } {
  const accepted: IncomingFile[] = [];
  const refused: string[] = [];
  for (const file of files) {
    const type = file.content.length > 0 && file.content.length <= fileLimits.maxFileSize ? detectFileType(file.content, file.fileName) : undefined;
    if (file.content.length === 0) refused.push(texts('files:refused.empty', { name: file.fileName }));
    else if (file.content.length > fileLimits.maxFileSize) refused.push(texts('files:refused.tooLarge', { name: file.fileName, size: fileLimits.size }));
    else if (!type) refused.push(texts('files:refused.type', { name: file.fileName }));
    else if (accepted.length >= fileLimits.maxFiles) refused.push(texts('mailIntake:refusedOverLimit', { name: file.fileName, count: fileLimits.maxFiles }));
    else accepted.push({ originalName: file.fileName, type, size: file.content.length, sha256: createHash('sha256').update(file.content).digest('hex'), content: async () => file.content });
  }
  return { attachments: { store: deps.stores.forNewFiles, files: accepted }, refused };
}

/** An internal note (by no one: the intake) naming the files of the message that were left out. */
async function noteRefusedFiles(trx: Scope, ticketId: number, refused: string[], texts: Texts): Promise<void> {
  if (refused.length === 0) return;
  await insertTicketMessage(trx, ticketId, [texts('mailIntake:note.refusedFiles'), ...refused.map((line) => `- ${line}`)].join('\n'), true);
}

/**
 * An admin gives an unmatched message a customer (T9): it is filed as a ticket of that customer on
 * its behalf (routed to its caretaker or the queue), with an internal note naming the sender's
 * address. Sent twice, it files once.
 * @throws NotFoundError for a message or a customer out of the admin's reach
 * @throws ConflictError ('mailIntake:errors.handled') when the message is no longer unmatched
 */
export async function fileUnmatchedMail(scope: Scope, intakeId: number, customerId: number, deps: IngestDeps): Promise<number> {
  const intake = await findMailIntake(scope, intakeId);
  if (intake.status !== 'unmatched') throw new ConflictError(`mail intake ${intakeId} is ${intake.status}`, { messageKey: 'mailIntake:errors.handled' });
  const mail = await parseMail(await rawBytesOfIntake(scope, deps.stores, intake));
  return withFilesRemovedOnFailure(scope, async (trx) => {
    if (!(await claimIntake(trx, intakeId, { from: 'unmatched', status: 'filed' }))) throw new ConflictError(`mail intake ${intakeId} was handled meanwhile`, { messageKey: 'mailIntake:errors.handled' });
    const texts = await textsOf(trx, deps);
    const ticketId = await fileMailTicket(trx, trx, mail, customerId, deps, [texts('mailIntake:note.sender', { address: intake.sender ?? '?' })]);
    await noteIntakeOutcome(trx, intakeId, { ticketId, ticketMessageId: null });
    await logEvent(trx, { action: 'mail.assigned', subjectType: 'mail_intake', subjectId: intakeId, details: { ticketId, customerId } });
    return ticketId;
  });
}

/** An admin puts an unmatched or failed message aside (spam); it stays kept. @throws ConflictError when it was filed meanwhile */
export async function discardMail(scope: Scope, intakeId: number): Promise<void> {
  await scope.transaction(async (trx) => {
    const intake = await findMailIntake(trx, intakeId);
    if (intake.status === 'discarded') return;
    if (!['unmatched', 'failed'].includes(intake.status) || !(await claimIntake(trx, intakeId, { from: intake.status, status: 'discarded' }))) {
      throw new ConflictError(`mail intake ${intakeId} is ${intake.status}`, { messageKey: 'mailIntake:errors.handled' });
    }
    await logEvent(trx, { action: 'mail.discarded', subjectType: 'mail_intake', subjectId: intakeId });
  });
}
