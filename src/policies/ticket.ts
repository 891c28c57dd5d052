import type { Actor } from '../db/scope.js';

/**
 * What may be asked of a ticket: see it, reply to it as its client (or reopen it), work it as staff
 * (status, due date, priority, replies and internal notes), take it from the queue, assign it.
 */
export type TicketAction = 'view' | 'reply' | 'work' | 'take' | 'assign';
export type TicketSubject = { tenantId: number; customerId: number; assigneeId: number | null; status: string };

/**
 * Who may do what to a ticket the actor can already see (models/visibility.ts decides that; out of
 * reach is 404 before any policy is asked). Admins and superadmins: everything staff may. A
 * caretaker: work the tasks assigned to them, and take an unassigned one from the queue; a ticket of
 * their customer that an admin gave someone else they may read, not change (403). A client: read
 * and reply to the tickets of their own customer. System work: everything staff may.
 */
export function can(actor: Actor, action: TicketAction, ticket: TicketSubject): boolean {
  if (actor.kind === 'system') return action !== 'reply';
  if (actor.kind !== 'user' || actor.tenantId !== ticket.tenantId) return false;
  const isQueued = ticket.assigneeId === null && ticket.status !== 'awaiting_approval';
  if (actor.role === 'admin' || actor.role === 'superadmin') return action === 'view' || action === 'work' || action === 'assign' || (action === 'take' && isQueued);
  if (actor.role === 'caretaker') {
    if (action === 'view') return true;
    if (action === 'work') return ticket.assigneeId === actor.id;
    return action === 'take' && isQueued;
  }
  return ticket.customerId === actor.customerId && (action === 'view' || action === 'reply');
}
