import type { Actor } from '../db/scope.js';

/**
 * What may be asked of a ticket: see it, reply to it as its client (or reopen it), work it as staff
 * (status, due date, priority, replies and internal notes), take it from the queue, assign it, and
 * approve or reject it for its customer (T7), and see its pricing and service report (T10).
 */
export type TicketAction = 'view' | 'reply' | 'work' | 'take' | 'assign' | 'approve' | 'viewPricing';
export type TicketSubject = { tenantId: number; customerId: number; assigneeId: number | null; status: string; isOpenToEveryCaretaker?: boolean };

/**
 * Who may do what to a ticket the actor can already see (models/visibility.ts decides that; out of
 * reach is 404 before any policy is asked). Admins and superadmins: everything staff may, and
 * approving or rejecting on the customer's behalf. A caretaker: work the tasks assigned to them, and
 * take an unassigned one from the queue; a ticket of their customer that an admin gave someone else
 * they may read, not change (403), unless the tenant lets caretakers work any task
 * (tickets.caretakers_work = any, which the finder puts on the ticket as isOpenToEveryCaretaker). A ticket awaiting its customer's approval is nobody's work yet:
 * staff only read it (admins decide on the customer's behalf). A client: read and reply to the
 * tickets of their own customer; an approver of that customer also approves or rejects them.
 * Whether the ticket still awaits a decision is the model's question (409), not a refusal.
 * Pricing (T10): staff who see a ticket see its cost lines; its client only once it is resolved or
 * closed, when the work is done and the price is the one to pay.
 * System work: everything staff may.
 */
export function can(actor: Actor, action: TicketAction, ticket: TicketSubject): boolean {
  if (actor.kind === 'system') return action !== 'reply';
  if (actor.kind !== 'user' || actor.tenantId !== ticket.tenantId) return false;
  const isAwaitingApproval = ticket.status === 'awaiting_approval';
  const isQueued = ticket.assigneeId === null && !isAwaitingApproval;
  if (actor.role === 'admin' || actor.role === 'superadmin') {
    if (action === 'view' || action === 'approve' || action === 'viewPricing') return true;
    return !isAwaitingApproval && (action === 'work' || action === 'assign' || (action === 'take' && isQueued));
  }
  if (actor.role === 'caretaker') {
    if (action === 'view' || action === 'viewPricing') return true;
    if (action === 'work') return (ticket.assigneeId === actor.id || (ticket.isOpenToEveryCaretaker === true && ticket.assigneeId !== null)) && !isAwaitingApproval;
    return action === 'take' && isQueued;
  }
  if (ticket.customerId !== actor.customerId) return false;
  if (action === 'viewPricing') return ticket.status === 'resolved' || ticket.status === 'closed';
  return action === 'view' || action === 'reply' || (action === 'approve' && actor.isApprover === true);
}
