/**
 * The states of a ticket (T3) and THE table of the moves between them: which status may follow
 * which, and who may make the move. Every verb that changes a status asks `canMove`; a move the
 * table does not have is refused (409) and nothing is written.
 */
export const ticketStatuses = ['new', 'awaiting_approval', 'open', 'in_progress', 'waiting_for_customer', 'resolved', 'closed', 'rejected'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof ticketPriorities)[number];

/**
 * Who makes a move: staff working the task (its caretaker, or an admin), the client who filed it or
 * follows it, an approver of the customer (T7; an admin may approve on the customer's behalf).
 */
export type TicketMover = 'staff' | 'client' | 'approver';

type Moves = Partial<Record<TicketStatus, Partial<Record<TicketMover, readonly TicketStatus[]>>>>;

/**
 * From each status, where each mover may take it. Staff may bring a closed or rejected ticket back
 * (a mistake, a customer who calls), a client only a resolved one (within the tenant's days: the
 * model checks that) and one waiting for them (their reply does it).
 */
export const ticketStatusMoves: Moves = {
  new: { staff: ['open', 'in_progress', 'waiting_for_customer', 'resolved', 'closed', 'rejected'] },
  awaiting_approval: { approver: ['new', 'rejected'] },
  open: { staff: ['in_progress', 'waiting_for_customer', 'resolved', 'closed', 'rejected'] },
  in_progress: { staff: ['open', 'waiting_for_customer', 'resolved', 'closed'] },
  waiting_for_customer: { staff: ['open', 'in_progress', 'resolved', 'closed'], client: ['open'] },
  resolved: { staff: ['open', 'in_progress', 'closed'], client: ['open', 'closed'] },
  closed: { staff: ['open'] },
  rejected: { staff: ['open'] },
};

/** Whether the mover may take a ticket from one status to another (staying put is no move). */
export function canMove(mover: TicketMover, from: TicketStatus, to: TicketStatus): boolean {
  return ticketStatusMoves[from]?.[mover]?.includes(to) ?? false;
}

/** Where the mover may take a ticket in this status, in the table's order (the staff form's choices). */
export function movesFrom(mover: TicketMover, from: TicketStatus): readonly TicketStatus[] {
  return ticketStatusMoves[from]?.[mover] ?? [];
}

/** States in which a ticket is still work to do: they count as open tasks and can be overdue. */
export const activeStatuses: readonly TicketStatus[] = ['new', 'open', 'in_progress', 'waiting_for_customer'];

/** States after which a client's reply no longer goes to the ticket (closed for good, or refused). */
export const finishedStatuses: readonly TicketStatus[] = ['resolved', 'closed', 'rejected'];

export function isTicketStatus(value: unknown): value is TicketStatus {
  return typeof value === 'string' && (ticketStatuses as readonly string[]).includes(value);
}

export function isTicketPriority(value: unknown): value is TicketPriority {
  return typeof value === 'string' && (ticketPriorities as readonly string[]).includes(value);
}
