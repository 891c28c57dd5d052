import type { Knex } from 'knex';
import { memoised, type Scope } from '../db/scope.js';
import { paginate, type Page, type Pagination } from '../lib/pagination.js';
import { calendarDateIn, nextCalendarDate } from '../lib/time.js';
import { toListedTicket, withTicketDetails, type Ticket } from './ticket.js';
import { activeStatuses, type TicketStatus } from './ticket-status.js';
import { findScopeTenant } from './tenant.js';
import { everyTicketCategory, findTicketCategories } from './ticket-category.js';
import { whereTicketMatches } from './ticket-search.js';
import { myAssignedTickets, visibleTickets } from './visibility.js';

/** Which of the staff's lists: my tasks, the unassigned queue, every task of the tenant (admins). */
export type TaskView = 'mine' | 'queue' | 'all';

export type TaskFilters = {
  status: 'active' | 'all' | TicketStatus;
  customer?: number;
  caretaker?: 'none' | number;
  category?: number;
  due: 'any' | 'overdue' | 'week';
  q: string;
  sort: 'due-asc' | 'due-desc' | 'created-desc' | 'created-asc' | 'updated-desc' | 'priority-desc';
};

export type TicketListRow = Omit<Ticket, 'description'> & { isOverdue: boolean };

/**
 * Rows of withTicketDetails(…, 'listed') as a list shows them: each named by its category from the
 * request's categories (everyTicketCategory), and marked overdue on the tenant's day.
 */
export async function toTicketListRows(scope: Scope, rows: ReadonlyArray<Record<string, unknown>>, today: string): Promise<TicketListRow[]> {
  // Read even for no rows, so that a list costs the same statements whatever its length.
  const categories = new Map((await everyTicketCategory(scope)).map((category) => [category.id, category]));
  // A category added since the request read them (an admin's, a moment ago) is read now, not taken for an error.
  const unknown = [...new Set(rows.map((row) => Number(row.category_id)).filter((id) => !categories.has(id)))];
  if (unknown.length > 0) for (const category of await findTicketCategories(scope, unknown)) categories.set(category.id, category);
  return rows.map((row) => {
    const category = categories.get(Number(row.category_id));
    if (!category) throw new Error(`ticket ${String(row.id)} has category ${String(row.category_id)}, which its tenant does not have`);
    const ticket = toListedTicket(row, { namePl: category.namePl, nameEn: category.nameEn, code: category.code });
    return { ...ticket, isOverdue: ticket.dueDate !== null && ticket.dueDate < today && activeStatuses.includes(ticket.status) };
  });
}
export type TicketPage = { rows: TicketListRow[]; pagination: Pagination; today: string };

/**
 * Today in the tenant's time zone ('YYYY-MM-DD'): due dates are the tenant's days. Worked out once
 * per request (scope.memo): the menu's count and each ticket section of a start page ask for it.
 */
export function tenantToday(scope: Scope): Promise<string> {
  return memoised(scope, 'tickets.tenant-today', () => findScopeTenant(scope).then((tenant) => calendarDateIn(scope.now(), tenant.timeZone)));
}

/** The last day of the tenant's week (Sunday) that holds the day. */
function endOfWeek(today: string): string {
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
  let day = today;
  for (let left = (7 - weekday) % 7; left > 0; left -= 1) day = nextCalendarDate(day);
  return day;
}

function overdue(query: Knex.QueryBuilder, today: string): Knex.QueryBuilder {
  return query.whereIn('tickets.status', activeStatuses).where('tickets.due_date', '<', today);
}

/**
 * One page of the actor's tickets as the client's list shows them (T4): newest change first,
 * narrowed by a full-text search when text is given (never by internal notes). A count and one
 * query of the page, both on the base query (tenant, customer, filer: indexed).
 */
export async function listClientTickets(scope: Scope, page: Page, text = ''): Promise<TicketPage> {
  const [tickets, today] = await Promise.all([visibleTickets(scope), tenantToday(scope)]);
  const searched = () => whereTicketMatches(scope, tickets, tickets(), text);
  return pageOf(scope, searched, page, today, (query) => query.orderBy('tickets.updated_at', 'desc').orderBy('tickets.id', 'desc'));
}

/**
 * One page of a staff list (T5): my tasks, the queue or all tasks, filtered, searched (full text
 * of titles, descriptions, replies and internal notes: ticket-search.ts) and sorted in the
 * database. Two queries: the count and the page, whatever the number of tickets.
 */
export async function listTasks(scope: Scope, view: TaskView, filters: TaskFilters, page: Page): Promise<TicketPage> {
  const [visible, today] = await Promise.all([visibleTickets(scope), tenantToday(scope)]);
  const tickets = view === 'mine' ? myAssignedTickets(scope) : visible;
  const filtered = () => {
    const query = tickets();
    if (view === 'queue') query.whereNull('tickets.assignee_id').whereNot('tickets.status', 'awaiting_approval');
    if (filters.status === 'active') query.whereIn('tickets.status', activeStatuses);
    else if (filters.status !== 'all') query.where('tickets.status', filters.status);
    if (filters.customer) query.where('tickets.customer_id', filters.customer);
    if (filters.caretaker === 'none') query.whereNull('tickets.assignee_id');
    else if (filters.caretaker) query.where('tickets.assignee_id', filters.caretaker);
    if (filters.category) query.where('tickets.category_id', filters.category);
    if (filters.due === 'overdue') overdue(query, today);
    if (filters.due === 'week') query.whereIn('tickets.status', activeStatuses).whereBetween('tickets.due_date', [today, endOfWeek(today)]);
    if (filters.q) whereTicketMatches(scope, tickets, query, filters.q);
    return query;
  };
  return pageOf(scope, filtered, page, today, (query) => sorted(query, filters.sort));
}

/** The sorts a list offers, each ending on the id so that a page never repeats or skips a row. */
function sorted(query: Knex.QueryBuilder, sort: TaskFilters['sort']): Knex.QueryBuilder {
  const [field, direction] = sort.split('-') as [string, 'asc' | 'desc'];
  if (field === 'due') {
    // Tickets without a due date come after those with one, whichever way.
    query.orderByRaw('case when tickets.due_date is null then 1 else 0 end').orderBy('tickets.due_date', direction);
  } else if (field === 'priority') {
    query.orderByRaw(`case tickets.priority when 'urgent' then 4 when 'high' then 3 when 'normal' then 2 else 1 end ${direction}`);
  } else {
    query.orderBy(field === 'created' ? 'tickets.created_at' : 'tickets.updated_at', direction);
  }
  return query.orderBy('tickets.id', direction === 'asc' && field !== 'priority' ? 'asc' : 'desc');
}

export async function pageOf(scope: Scope, base: () => Knex.QueryBuilder, page: Page, today: string, order: (query: Knex.QueryBuilder) => Knex.QueryBuilder): Promise<TicketPage> {
  const countRow = await base().count({ count: 'tickets.id' }).first();
  const total = Number(countRow?.count ?? 0);
  const lastPage = Math.max(1, Math.ceil(total / page.perPage));
  const pagination = paginate(page.page > lastPage ? { ...page, page: lastPage, offset: (lastPage - 1) * page.perPage } : page, total);
  const rows: Array<Record<string, unknown>> = await order(withTicketDetails(base(), 'listed')).limit(pagination.perPage).offset(pagination.offset);
  return {
    rows: await toTicketListRows(scope, rows, today),
    pagination,
    today,
  };
}

/**
 * The staff menu's counts (T5): my open tasks and how many of them are overdue, in one query.
 */
export async function countMyTasks(scope: Scope): Promise<{ open: number; overdue: number }> {
  const today = await tenantToday(scope);
  const row = await myAssignedTickets(scope)()
    .whereIn('tickets.status', activeStatuses)
    .select(scope.raw('count(*) as open_count'), scope.raw('sum(case when tickets.due_date < ? then 1 else 0 end) as overdue_count', [today]))
    .first();
  return { open: Number(row?.open_count ?? 0), overdue: Number(row?.overdue_count ?? 0) };
}

