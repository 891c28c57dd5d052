import type { Scope } from '../db/scope.js';
import { isStaff } from '../db/scope.js';
import { ConflictError } from '../lib/errors.js';
import type { Page } from '../lib/pagination.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { pageOf, tenantToday, type TicketPage } from './ticket-list.js';
import { activeCaretakerOf, findTicket } from './ticket.js';
import { recordTicketEvent } from './ticket-history.js';
import { canMove, type TicketStatus } from './ticket-status.js';
import { notifyOfApprovalDecision, notifyOfNewTicket } from './ticket-notifications.js';
import { visibleTickets } from './visibility.js';
import type { Links } from '../lib/urls.js';

/** An approver's answer to a ticket awaiting the customer's approval (T7); a rejection says why. */
export type ApprovalDecision = { outcome: 'approved' } | { outcome: 'rejected'; reason: string };

/** Marks, in the history, a decision an admin made on the customer's behalf. */
const onBehalf = 'on_behalf';

/**
 * Approves or rejects a ticket awaiting its customer's approval (T7), as an approver of the
 * customer or an admin on its behalf (the policy decides who; the history says which). Approved,
 * the ticket becomes new and is routed as filing routes it (the customer's caretaker, else the
 * queue); rejected, it is closed with the reason, which its filer reads. In the history and the
 * audit log with who decided, and told by e-mail (T9) given links. The same decision sent twice is made once.
 * @throws ConflictError ('tickets:approval.alreadyDecided') when the ticket no longer awaits this decision
 */
export async function decideTicketApproval(scope: Scope, ticketId: number, decision: ApprovalDecision, options: { links?: Links } = {}): Promise<void> {
  await scope.transaction(async (trx) => {
    const ticket = await findTicket(trx, ticketId);
    const to: TicketStatus = decision.outcome === 'approved' ? 'new' : 'rejected';
    if (ticket.status !== 'awaiting_approval' || !canMove('approver', ticket.status, to)) {
      if ((await lastApprovalOutcome(trx, ticket.id)) === decision.outcome) return;
      throw new ConflictError(`ticket ${ticket.id} does not await approval`, { messageKey: 'tickets:approval.alreadyDecided' });
    }
    const assigneeId = to === 'new' ? await activeCaretakerOf(trx, ticket.customerCaretakerId) : null;
    const tickets = await visibleTickets(trx);
    const updated = await tickets()
      .where({ 'tickets.id': ticket.id, 'tickets.version': ticket.version, 'tickets.status': 'awaiting_approval' })
      .update({ status: to, assignee_id: assigneeId, version: trx.raw('version + 1'), updated_at: toDatabaseTime(trx.now()) });
    if (Number(updated) !== 1) throw new ConflictError(`ticket ${ticket.id} changed meanwhile`, { messageKey: 'tickets:approval.alreadyDecided' });
    const isOnBehalf = trx.actor.kind === 'user' && isStaff(trx.actor.role);
    await recordTicketEvent(trx, ticket.id, { kind: 'approval', from: isOnBehalf ? onBehalf : null, to: decision.outcome, note: decision.outcome === 'rejected' ? decision.reason : null });
    await recordTicketEvent(trx, ticket.id, { kind: 'status', from: ticket.status, to });
    if (assigneeId) await recordTicketEvent(trx, ticket.id, { kind: 'assignee', from: null, to: String(assigneeId) });
    // The reason is free text (it may name people): the log keeps only that there was one.
    await logEvent(trx, { action: decision.outcome === 'approved' ? 'ticket.approved' : 'ticket.rejected', subjectType: 'ticket', subjectId: ticket.id, details: { customerId: ticket.customerId, isOnBehalf, assigneeId } });
    if (options.links) {
      // The filer learns the decision; an approved ticket reaches staff now, announced as a new one.
      await notifyOfApprovalDecision(trx, ticket, decision, options.links);
      if (to === 'new') await notifyOfNewTicket(trx, { ...ticket, status: to, assigneeId }, options.links);
    }
  });
}

/** The outcome of the ticket's last approval decision, if it had one. */
async function lastApprovalOutcome(trx: Scope, ticketId: number): Promise<ApprovalDecision['outcome'] | undefined> {
  const row = await trx.table('ticket_events').where({ 'ticket_events.ticket_id': ticketId, 'ticket_events.kind': 'approval' }).orderBy('ticket_events.id', 'desc').first('ticket_events.to_value');
  return row ? (row.to_value as ApprovalDecision['outcome']) : undefined;
}

/**
 * One page of the tickets awaiting approval that the actor sees (T7): an approver's list of what
 * waits for them, oldest first (they waited longest). A count and one page query.
 */
export async function listTicketsAwaitingApproval(scope: Scope, page: Page): Promise<TicketPage> {
  const [tickets, today] = await Promise.all([visibleTickets(scope), tenantToday(scope)]);
  return pageOf(scope, () => tickets().where('tickets.status', 'awaiting_approval'), page, today, (query) => query.orderBy('tickets.created_at').orderBy('tickets.id'));
}

/** How many tickets the actor sees wait for approval: an approver's count of what waits for them. */
export async function countTicketsAwaitingApproval(scope: Scope): Promise<number> {
  const tickets = await visibleTickets(scope);
  const row = await tickets().where('tickets.status', 'awaiting_approval').count({ count: 'tickets.id' }).first();
  return Number(row?.count ?? 0);
}
