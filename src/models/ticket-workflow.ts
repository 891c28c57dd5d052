import type { Scope } from '../db/scope.js';
import { signedInUser, staffRoles } from '../db/scope.js';
import { ConflictError, ValidationError } from '../lib/errors.js';
import { fromDatabaseTime, toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { settingsInForce } from './settings.js';
import { fileTicket, findTicket, type Ticket } from './ticket.js';
import { insertTicketMessage, recordTicketEvent } from './ticket-history.js';
import { addMessageOnce, attachToMessage, attachToTicket, type MessageExtras } from './ticket-attachment.js';
import { canMove, type TicketMover, type TicketPriority, type TicketStatus } from './ticket-status.js';
import { notifyOfAssignment, notifyOfClientReply, notifyOfDueDate, notifyOfStatusChange, notifyOfStaffReply } from './ticket-notifications.js';
import { visibleAccounts, visibleTickets } from './visibility.js';
import type { Links } from '../lib/urls.js';

/** The links for the e-mails a change causes (T9); without them (fixtures, scripts) no one is told. */
export type Notifying = { links?: Links };

const dayInMilliseconds = 86_400_000;

/**
 * Writes a change of a ticket on the condition that it is still at the version the form was opened
 * with (optimistic locking), and bumps the version. @returns whether the row was still there to change
 */
async function updateAtVersion(trx: Scope, ticketId: number, version: number, changes: Record<string, unknown>): Promise<boolean> {
  const tickets = await visibleTickets(trx);
  const updated = await tickets()
    .where({ 'tickets.id': ticketId, 'tickets.version': version })
    .update({ ...changes, version: trx.raw('version + 1'), updated_at: toDatabaseTime(trx.now()) });
  return Number(updated) === 1;
}

/**
 * Moves a ticket to another status by the status table (T3), in the history and the audit log.
 * The status form follows the rule of every versioned form (validators/edit-merge.ts): it carries
 * the status it was opened with (`base`). When someone changed the ticket since, and the status is
 * still that one (they set the due date, say), the move is made on what is stored now; when they
 * moved the status, both changed the same field: nothing is written and the clash is answered.
 * A status already stored (a double click, or the other person made the same move) counts as done.
 * Without a base (a form from before the rule) any change meanwhile is a clash.
 * @throws ConflictError ('tickets:errors.forbiddenMove') for a move the table does not have
 * @throws ConflictError ('tickets:errors.statusClash') when someone else moved the status since the form was opened
 */
export async function changeTicketStatus(scope: Scope, ticketId: number, input: { to: TicketStatus; version: number; base?: TicketStatus | null; mover: TicketMover }, options: Notifying = {}): Promise<void> {
  await scope.transaction(async (trx) => {
    const ticket = await findTicket(trx, ticketId);
    if (ticket.status === input.to) return;
    const isStatusTheirs = (input.base ?? null) === null || ticket.status !== input.base;
    if (ticket.version !== input.version && isStatusTheirs) throw new ConflictError(`ticket ${ticketId} moved to ${ticket.status} meanwhile`, { messageKey: 'tickets:errors.statusClash' });
    await moveStatus(trx, ticket, input.to, input.mover, options);
  });
}

/**
 * Moves the status of a ticket read in this transaction, at its version, and tells the client (T9).
 * @throws ConflictError as changeTicketStatus
 */
async function moveStatus(trx: Scope, ticket: Ticket, to: TicketStatus, mover: TicketMover, options: Notifying = {}): Promise<void> {
  if (!canMove(mover, ticket.status, to)) throw new ConflictError(`${mover} may not move ticket ${ticket.id} from ${ticket.status} to ${to}`, { messageKey: 'tickets:errors.forbiddenMove' });
  const resolvedAt = to === 'resolved' ? toDatabaseTime(trx.now()) : ticket.resolvedAt;
  if (!(await updateAtVersion(trx, ticket.id, ticket.version, { status: to, resolved_at: resolvedAt }))) {
    throw new ConflictError(`ticket ${ticket.id} changed meanwhile`, { messageKey: 'tickets:errors.changedMeanwhile' });
  }
  await recordTicketEvent(trx, ticket.id, { kind: 'status', from: ticket.status, to });
  await logEvent(trx, { action: 'ticket.status_changed', subjectType: 'ticket', subjectId: ticket.id, details: { from: ticket.status, to } });
  if (options.links) await notifyOfStatusChange(trx, ticket, to, options.links);
}

export type TicketPlan = { dueDate: string | null; priority: TicketPriority };
/** What a save of the due date and priority met: saved (merged with a change made meanwhile), or a clash to show. */
export type PlanSaveResult = { outcome: 'saved' } | { outcome: 'clash'; stored: Ticket; fields: Array<keyof TicketPlan> };

/**
 * Sets the due date and priority (T3), each change in the history. When someone changed the ticket
 * since the form was opened (`base`: the values it showed), the rule of every versioned form holds
 * (validators/edit-merge.ts): a field only this user changed takes their value, one only the other
 * person changed keeps the stored value, and one both changed differently is a clash: nothing is
 * written and the clash is answered (409), so no one's work is lost.
 */
export async function planTicket(scope: Scope, ticketId: number, input: TicketPlan & { version: number; base: TicketPlan | null }, options: Notifying = {}): Promise<PlanSaveResult> {
  return scope.transaction(async (trx) => {
    const stored = await findTicket(trx, ticketId);
    const wanted: TicketPlan = { dueDate: input.dueDate, priority: input.priority };
    if (stored.version !== input.version) {
      const fields = (['dueDate', 'priority'] as const).filter((field) => {
        const isMine = input.base === null || wanted[field] !== input.base[field];
        const isTheirs = input.base === null || stored[field] !== input.base[field];
        if (!isMine) wanted[field] = stored[field] as never;
        return isMine && isTheirs && wanted[field] !== stored[field];
      });
      if (fields.length > 0) return { outcome: 'clash', stored, fields };
    }
    if (wanted.dueDate === stored.dueDate && wanted.priority === stored.priority) return { outcome: 'saved' };
    if (!(await updateAtVersion(trx, stored.id, stored.version, { due_date: wanted.dueDate, priority: wanted.priority }))) throw new ConflictError(`ticket ${ticketId} changed meanwhile`, { messageKey: 'tickets:errors.changedMeanwhile' });
    if (wanted.dueDate !== stored.dueDate) {
      await recordTicketEvent(trx, stored.id, { kind: 'due', from: stored.dueDate, to: wanted.dueDate });
      await logEvent(trx, { action: 'ticket.due_changed', subjectType: 'ticket', subjectId: stored.id, details: { from: stored.dueDate, to: wanted.dueDate } });
      if (options.links && wanted.dueDate !== null) await notifyOfDueDate(trx, stored, wanted.dueDate, options.links);
    }
    if (wanted.priority !== stored.priority) {
      await recordTicketEvent(trx, stored.id, { kind: 'priority', from: stored.priority, to: wanted.priority });
      await logEvent(trx, { action: 'ticket.priority_changed', subjectType: 'ticket', subjectId: stored.id, details: { from: stored.priority, to: wanted.priority } });
    }
    return { outcome: 'saved' };
  });
}

/**
 * Staff's reply to the client, or an internal note no client ever reads (T4), with its files (T6),
 * which reach whoever reads the message. The same form sent twice adds it once.
 */
export async function addStaffMessage(scope: Scope, ticketId: number, input: { body: string; isInternal: boolean }, extras: MessageExtras = {}): Promise<number> {
  return addMessageOnce(scope, ticketId, extras.submissionKey, async (trx) => {
    const ticket = await findTicket(trx, ticketId);
    const messageId = await insertTicketMessage(trx, ticket.id, input.body, input.isInternal, extras.submissionKey ?? null);
    await attachToMessage(trx, ticket.id, messageId, extras.attachments);
    // An internal note is no change a client may notice: their list's "last change" stays as it was.
    if (!input.isInternal) await touch(trx, ticket.id);
    await logEvent(trx, { action: input.isInternal ? 'ticket.noted' : 'ticket.replied', subjectType: 'ticket', subjectId: ticket.id, details: { messageId } });
    // A note is told to no one: its text never leaves the staff's pages.
    if (!input.isInternal && extras.links) await notifyOfStaffReply(trx, ticket, input.body, extras.links);
    return messageId;
  }, (messageId) => messageId);
}

/** Marks a ticket changed for the lists' "last change", without a new version (a message clashes with no form). */
async function touch(trx: Scope, ticketId: number): Promise<void> {
  const tickets = await visibleTickets(trx);
  await tickets().where('tickets.id', ticketId).update({ updated_at: toDatabaseTime(trx.now()) });
}

/** Whether a resolved ticket is still within the tenant's days for reopening it (T3). */
async function isReopenable(trx: Scope, ticket: Ticket): Promise<boolean> {
  if (ticket.status !== 'resolved') return false;
  const days = Number((await settingsInForce(trx))['tickets.reopen_days'].value);
  const resolvedAt = fromDatabaseTime(ticket.resolvedAt ?? ticket.updatedAt)!;
  // No days means never, even within the second the ticket was resolved in.
  return days > 0 && trx.now().getTime() - resolvedAt.getTime() <= days * dayInMilliseconds;
}

/**
 * A client's reply (T3): on a ticket waiting for the customer it moves the ticket back to open, and
 * on a resolved one within the tenant's days it reopens it. A finished ticket (resolved longer ago,
 * closed, rejected) takes no more replies: the reply files a new ticket that links to the old one.
 * The reply's files (T6) go with it, or with the new ticket. The same form sent twice replies once.
 * @returns the ticket the reply went to (the new one, when one was filed)
 */
export async function replyAsClient(scope: Scope, ticketId: number, body: string, extras: MessageExtras & { source?: 'portal' | 'email' } = {}): Promise<{ ticketId: number; isNewTicket: boolean }> {
  return addMessageOnce(scope, ticketId, extras.submissionKey, async (trx) => {
    signedInUser(trx);
    const ticket = await findTicket(trx, ticketId);
    const isReopening = await isReopenable(trx, ticket);
    if (['resolved', 'closed', 'rejected'].includes(ticket.status) && !isReopening) {
      const afterFiling = (filing: Scope, newTicketId: number) => attachToTicket(filing, newTicketId, extras.attachments);
      const newId = await fileTicket(trx, { customerId: ticket.customerId, categoryId: ticket.categoryId, title: ticket.title, description: body, preferredDate: null, preferredTime: null, source: extras.source ?? 'portal', relatedTicketId: ticket.id, submissionKey: extras.submissionKey ?? null }, { afterFiling, links: extras.links });
      return { ticketId: newId, isNewTicket: true };
    }
    const messageId = await insertTicketMessage(trx, ticket.id, body, false, extras.submissionKey ?? null);
    await attachToMessage(trx, ticket.id, messageId, extras.attachments);
    await logEvent(trx, { action: 'ticket.replied', subjectType: 'ticket', subjectId: ticket.id, details: { messageId } });
    if (extras.links) await notifyOfClientReply(trx, ticket, body, extras.links);
    if (ticket.status === 'waiting_for_customer' || isReopening) await moveStatus(trx, ticket, 'open', 'client', { links: extras.links });
    else await touch(trx, ticket.id);
    return { ticketId: ticket.id, isNewTicket: false };
  }, () => ({ ticketId, isNewTicket: false }));
}

/**
 * A client reopens a resolved ticket within the tenant's days (T3). Sent twice, it reopens once.
 * @throws ConflictError ('tickets:errors.reopenExpired') when the days are over or the ticket is not resolved
 */
export async function reopenTicket(scope: Scope, ticketId: number, options: Notifying = {}): Promise<void> {
  await scope.transaction(async (trx) => {
    const ticket = await findTicket(trx, ticketId);
    if (ticket.status === 'open') return;
    if (!(await isReopenable(trx, ticket))) throw new ConflictError(`ticket ${ticketId} can no longer be reopened`, { messageKey: 'tickets:errors.reopenExpired' });
    await moveStatus(trx, ticket, 'open', 'client', options);
  });
}

/**
 * A caretaker (or an admin) takes a ticket from the unassigned queue (T2). Of two who take it at
 * once, one gets it; the other is told it is taken, as is anyone taking a ticket someone already
 * handles (an admin moves those by assigning). Taking one's own again is no change.
 * @throws ConflictError ('tickets:errors.alreadyTaken') when someone else took it first
 */
export async function takeTicket(scope: Scope, ticketId: number): Promise<void> {
  const me = signedInUser(scope).id;
  await scope.transaction(async (trx) => {
    const ticket = await findTicket(trx, ticketId);
    if (ticket.assigneeId === me) return;
    const tickets = await visibleTickets(trx);
    const updated = await tickets()
      .where('tickets.id', ticket.id)
      .whereNull('tickets.assignee_id')
      .whereNot('tickets.status', 'awaiting_approval')
      .update({ assignee_id: me, version: trx.raw('version + 1'), updated_at: toDatabaseTime(trx.now()) });
    if (Number(updated) !== 1) throw new ConflictError(`ticket ${ticketId} was taken meanwhile`, { messageKey: 'tickets:errors.alreadyTaken' });
    await recordTicketEvent(trx, ticket.id, { kind: 'assignee', from: null, to: String(me) });
    await logEvent(trx, { action: 'ticket.assigned', subjectType: 'ticket', subjectId: ticket.id, details: { from: null, to: me } });
  });
}

/**
 * An admin assigns a ticket to a member of staff, or reassigns it (T2): the history keeps who moved
 * it, from whom to whom and why. A reassignment needs its reason; a first assignment may have one.
 * The form carries who handled the ticket when it was opened (`base`, null for the queue): when
 * someone else assigned or took it since, the admin decided on what is no longer so, and is told
 * who has it now instead of moving it from them unseen. Without a base (a form from before the
 * rule) the handler read here is the one the change is made from, as before.
 * @throws ValidationError ('assigneeId') for someone who is not an active member of staff
 * @throws ValidationError ('note') for a reassignment without a reason
 * The new handler is e-mailed (T9), with the reason, unless they assigned it to themselves.
 * @throws ConflictError ('tickets:errors.assignedMeanwhile') when the ticket's handler changed since the form was opened
 */
export async function assignTicket(scope: Scope, ticketId: number, input: { assigneeId: number; note: string | null; base?: number | null | undefined }, options: Notifying = {}): Promise<void> {
  await scope.transaction(async (trx) => {
    const ticket = await findTicket(trx, ticketId);
    if (ticket.assigneeId === input.assigneeId) return;
    if (input.base !== undefined && ticket.assigneeId !== input.base) throw new ConflictError(`ticket ${ticketId} was assigned meanwhile`, { messageKey: 'tickets:errors.assignedMeanwhile' });
    const assignee = await visibleAccounts(trx).where({ 'users.id': input.assigneeId, 'users.is_active': true }).whereIn('users.role', staffRoles).first('users.id');
    if (!assignee) throw new ValidationError({ assigneeId: 'tickets:errors.assignee' });
    if (ticket.assigneeId !== null && !input.note) throw new ValidationError({ note: 'tickets:errors.reassignNote' });
    const tickets = await visibleTickets(trx);
    // Only while it is still with whom it was read: a take from the queue or another assignment in
    // between would otherwise be overwritten without the reason a reassignment needs.
    const assigned = await tickets()
      .where('tickets.id', ticket.id)
      .where((still) => (ticket.assigneeId === null ? still.whereNull('tickets.assignee_id') : still.where('tickets.assignee_id', ticket.assigneeId)))
      .update({ assignee_id: input.assigneeId, version: trx.raw('version + 1'), updated_at: toDatabaseTime(trx.now()) });
    if (!assigned) throw new ConflictError(`ticket ${ticket.id} was assigned meanwhile`, { messageKey: 'tickets:errors.assignedMeanwhile' });
    await recordTicketEvent(trx, ticket.id, { kind: 'assignee', from: ticket.assigneeId === null ? null : String(ticket.assigneeId), to: String(input.assigneeId), note: input.note });
    await logEvent(trx, { action: 'ticket.assigned', subjectType: 'ticket', subjectId: ticket.id, details: { from: ticket.assigneeId, to: input.assigneeId } });
    if (options.links) await notifyOfAssignment(trx, { ...ticket, assigneeId: input.assigneeId }, input.note, options.links);
  });
}
