import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';
import { isAdministrator } from '../db/scope.js';
import { withTicketDetails } from './ticket.js';
import { tenantToday, toTicketListRows, type TicketListRow } from './ticket-list.js';
import { activeStatuses, type TicketStatus } from './ticket-status.js';
import { myAssignedTickets, visibleTickets, type TicketQuery } from './visibility.js';

/**
 * The tickets of the start pages (T5): a few rows of a list with how many there are in all, the
 * rest one link away. Each excerpt is one query on the base query of tickets (the total is a window
 * count beside the rows), whatever the number of tickets.
 */
export type TicketExcerpt = { rows: TicketListRow[]; total: number };

/** What a client counts as open: everything not finished, a ticket still waiting for approval too. */
const clientOpenStatuses: readonly TicketStatus[] = ['awaiting_approval', ...activeStatuses];

/** An excerpt of the visible tickets, or of those given (myAssignedTickets: the same tickets, read by their index). */
async function excerptOf(scope: Scope, narrow: (query: Knex.QueryBuilder, today: string) => Knex.QueryBuilder, limit: number, given?: TicketQuery): Promise<TicketExcerpt> {
  const [tickets, today] = await Promise.all([given ?? visibleTickets(scope), tenantToday(scope)]);
  const rows: Array<Record<string, unknown>> = await narrow(withTicketDetails(tickets(), 'listed'), today).limit(limit).select(scope.raw('count(*) over () as excerpt_total'));
  return {
    rows: await toTicketListRows(scope, rows, today),
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


/**
 * Both ticket sections of the client's start page in ONE statement (issue 20): the first rows of the
 * client's tickets not yet finished, latest change first (open), and of those waiting for the
 * customer's reply, the longest waiting first (waiting), each with its own order, limit and total (a
 * window count beside the rows), put together by UNION ALL (Scope.unionAll: on MySQL without derived
 * tables, which MariaDB would materialise). A limit of 0 leaves a section out.
 */
export async function excerptClientTickets(scope: Scope, limits: { open: number; waiting: number }): Promise<{ open: TicketExcerpt; waiting: TicketExcerpt }> {
  const [tickets, today] = await Promise.all([visibleTickets(scope), tenantToday(scope)]);
  const section = (name: 'open' | 'waiting', limit: number) => {
    const query = withTicketDetails(tickets(), 'listed').select(scope.raw('count(*) over () as excerpt_total'), scope.raw(`'${name}' as excerpt_section`));
    if (name === 'open') query.whereIn('tickets.status', clientOpenStatuses).orderBy('tickets.updated_at', 'desc').orderBy('tickets.id', 'desc');
    else query.where('tickets.status', 'waiting_for_customer').orderBy('tickets.updated_at', 'asc').orderBy('tickets.id', 'asc');
    return query.limit(Math.max(limit, 1));
  };
  const rows: Array<Record<string, unknown>> = await scope.unionAll([section('open', limits.open), section('waiting', limits.waiting)]);
  // A union keeps no order: each section's own is restored here (the times are 'YYYY-MM-DD hh:mm:ss' on both databases).
  const inSection = (name: string, limit: number, direction: 1 | -1) =>
    rows
      .filter((row) => row.excerpt_section === name)
      .sort((left, right) => direction * (String(left.updated_at).localeCompare(String(right.updated_at)) || Number(left.id) - Number(right.id)))
      .slice(0, limit);
  const excerpt = async (name: string, limit: number, direction: 1 | -1): Promise<TicketExcerpt> => ({
    rows: await toTicketListRows(scope, inSection(name, limit, direction), today),
    total: limit === 0 ? 0 : Number(rows.find((row) => row.excerpt_section === name)?.excerpt_total ?? 0),
  });
  const [open, waiting] = await Promise.all([excerpt('open', limits.open, -1), excerpt('waiting', limits.waiting, 1)]);
  return { open, waiting };
}

/** The open tasks assigned to the signed-in member of staff, soonest due first (the menu's count is their total). */
export function excerptMyTasks(scope: Scope, limit: number): Promise<TicketExcerpt> {
  return excerptOf(scope, (query) => soonestDue(query.whereIn('tickets.status', activeStatuses)), limit, myAssignedTickets(scope));
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
  const isAcrossCaretakers = isAdministrator(scope.actor);
  return excerptOf(scope, (query, today) => soonestDue(query.whereIn('tickets.status', activeStatuses).where('tickets.due_date', '<', today)), limit, isAcrossCaretakers ? undefined : myAssignedTickets(scope));
}
