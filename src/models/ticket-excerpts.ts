import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';
import { isAdministrator, signedInUser } from '../db/scope.js';
import { toTicket, withTicketDetails } from './ticket.js';
import { tenantToday, type TicketListRow } from './ticket-list.js';
import { activeStatuses, type TicketStatus } from './ticket-status.js';
import { visibleTickets } from './visibility.js';

/**
 * The tickets of the start pages (T5): a few rows of a list with how many there are in all, the
 * rest one link away. Each excerpt is one query on the base query of tickets (the total is a window
 * count beside the rows), whatever the number of tickets.
 */
export type TicketExcerpt = { rows: TicketListRow[]; total: number };

/** What a client counts as open: everything not finished, a ticket still waiting for approval too. */
const clientOpenStatuses: readonly TicketStatus[] = ['awaiting_approval', ...activeStatuses];

async function excerptOf(scope: Scope, narrow: (query: Knex.QueryBuilder, today: string) => Knex.QueryBuilder, limit: number): Promise<TicketExcerpt> {
  const [tickets, today] = await Promise.all([visibleTickets(scope), tenantToday(scope)]);
  const rows: Array<Record<string, unknown>> = await narrow(withTicketDetails(tickets()), today).limit(limit).select(scope.raw('count(*) over () as excerpt_total'));
  return {
    rows: rows.map((row) => {
      const ticket = toTicket(row);
      return { ...ticket, isOverdue: ticket.dueDate !== null && ticket.dueDate < today && activeStatuses.includes(ticket.status) };
    }),
    total: Number(rows[0]?.excerpt_total ?? 0),
  };
}

/** Soonest due first, those without a due date after them, then the latest change. */
function soonestDue(query: Knex.QueryBuilder): Knex.QueryBuilder {
  return query
    .orderByRaw('case when tickets.due_date is null then 1 else 0 end')
    .orderBy('tickets.due_date', 'asc')
    .orderBy('tickets.updated_at', 'desc')
    .orderBy('tickets.id', 'desc');
}


/** Rows of a ticket query as an excerpt's rows, marked overdue on the tenant's day. */
function excerptRows(rows: Array<Record<string, unknown>>, today: string): TicketListRow[] {
  return rows.map((row) => {
    const ticket = toTicket(row);
    return { ...ticket, isOverdue: ticket.dueDate !== null && ticket.dueDate < today && activeStatuses.includes(ticket.status) };
  });
}

/**
 * Both ticket sections of the client's start page in ONE statement (issue 20): the client's tickets
 * not yet finished, ranked twice by window functions, latest change first (open) and, among those
 * waiting for the customer's reply, the longest waiting first (waiting); the outer select keeps the
 * first rows of each ranking, and the totals ride beside them. A limit of 0 leaves a section out.
 */
export async function excerptClientTickets(scope: Scope, limits: { open: number; waiting: number }): Promise<{ open: TicketExcerpt; waiting: TicketExcerpt }> {
  const [tickets, today] = await Promise.all([visibleTickets(scope), tenantToday(scope)]);
  const isWaiting = "case when tickets.status = 'waiting_for_customer' then 1 else 0 end";
  const ranked = withTicketDetails(tickets())
    .whereIn('tickets.status', clientOpenStatuses)
    .select(
      scope.raw('row_number() over (order by tickets.updated_at desc, tickets.id desc) as open_position'),
      scope.raw('count(*) over () as open_total'),
      scope.raw(`row_number() over (partition by ${isWaiting} order by tickets.updated_at asc, tickets.id asc) as waiting_position`),
      scope.raw(`sum(${isWaiting}) over () as waiting_total`),
    );
  const rows: Array<Record<string, unknown>> = await scope
    .derived(ranked, 'excerpts')
    .where((kept) => kept.where('excerpts.open_position', '<=', limits.open).orWhere((waiting) => waiting.where('excerpts.status', 'waiting_for_customer').where('excerpts.waiting_position', '<=', limits.waiting)))
    .select('excerpts.*');
  const first = rows[0];
  const byPosition = (column: string) => (left: Record<string, unknown>, right: Record<string, unknown>) => Number(left[column]) - Number(right[column]);
  const open = rows.filter((row) => Number(row.open_position) <= limits.open).sort(byPosition('open_position'));
  const waiting = rows.filter((row) => row.status === 'waiting_for_customer' && Number(row.waiting_position) <= limits.waiting).sort(byPosition('waiting_position'));
  return {
    open: { rows: excerptRows(open, today), total: Number(first?.open_total ?? 0) },
    waiting: { rows: excerptRows(waiting, today), total: Number(first?.waiting_total ?? 0) },
  };
}

/** The open tasks assigned to the signed-in member of staff, soonest due first (the menu's count is their total). */
export function excerptMyTasks(scope: Scope, limit: number): Promise<TicketExcerpt> {
  const me = signedInUser(scope).id;
  return excerptOf(scope, (query) => soonestDue(query.where('tickets.assignee_id', me).whereIn('tickets.status', activeStatuses)), limit);
}

/** The unassigned queue (T2): tickets nobody handles yet and none waits for approval, soonest due first. */
export function excerptQueue(scope: Scope, limit: number): Promise<TicketExcerpt> {
  return excerptOf(scope, (query) => soonestDue(query.whereNull('tickets.assignee_id').whereIn('tickets.status', activeStatuses)), limit);
}

/**
 * Overdue tasks, the longest overdue first: an admin's across every caretaker (as the admins'
 * overdue list), a caretaker's own (as "my tasks" filtered by overdue).
 */
export function excerptOverdueTasks(scope: Scope, limit: number): Promise<TicketExcerpt> {
  const me = signedInUser(scope).id;
  const isAcrossCaretakers = isAdministrator(scope.actor);
  return excerptOf(
    scope,
    (query, today) => {
      if (!isAcrossCaretakers) query.where('tickets.assignee_id', me);
      return soonestDue(query.whereIn('tickets.status', activeStatuses).where('tickets.due_date', '<', today));
    },
    limit,
  );
}
