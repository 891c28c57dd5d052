import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';
import { actingUserId, retryingDeadlocks, staffRoles } from '../db/scope.js';
import { isUniqueViolation, NotFoundError, ValidationError } from '../lib/errors.js';
import { calendarDateIn, toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { findCustomer } from './customer.js';
import { withFilesRemovedOnFailure } from './stored-file.js';
import { findActiveTicketCategory, findOfficeMessageCategory, isOfficeMessageCategory } from './ticket-category.js';
import { isApprovalAwaited } from './ticket-approval-rules.js';
import { recordTicketEvent } from './ticket-history.js';
import type { TicketPriority, TicketStatus } from './ticket-status.js';
import { findScopeTenant } from './tenant.js';
import { notifyOfNewTicket } from './ticket-notifications.js';
import type { Links } from '../lib/urls.js';
import { caretakersWorkAnyTask, visibleAccounts, visibleTickets } from './visibility.js';
import { nameFromColumns } from './user.js';

export type TicketSource = 'portal' | 'staff' | 'email';

export type Ticket = {
  id: number;
  tenantId: number;
  /** What people say on the phone: 2026/000123. */
  number: string;
  customerId: number;
  customerName: string;
  customerCaretakerId: number | null;
  filedBy: number | null;
  filedByName: string | null;
  source: TicketSource;
  categoryId: number;
  category: { namePl: string; nameEn: string; code: string };
  title: string;
  description: string;
  preferredDate: string | null;
  preferredTime: string | null;
  status: TicketStatus;
  priority: TicketPriority;
  assigneeId: number | null;
  assigneeName: string | null;
  dueDate: string | null;
  relatedTicketId: number | null;
  version: number;
  resolvedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Whether the tenant lets any caretaker work it (tickets.caretakers_work = any); known when found by findTicket for a caretaker, else false. */
  isOpenToEveryCaretaker: boolean;
};

export type NewTicket = {
  customerId: number;
  categoryId: number;
  title: string;
  description: string;
  preferredDate: string | null;
  preferredTime: string | null;
  source: TicketSource;
  submissionKey?: string | null;
  /** The ticket a late reply to a finished one follows up (T3). */
  relatedTicketId?: number | null;
  /** The filer asked for the approval of someone at the company (T7, where approval is optional). */
  isApprovalAsked?: boolean;
  /** A message to the office (C1, fileOfficeMessage): its category, into the unassigned queue, no approval. */
  isOfficeMessage?: boolean;
};

export type OfficeMessage = { customerId: number; subject: string; message: string; submissionKey?: string | null };

/**
 * Work done in the filing transaction once the ticket exists: the attachments of the form (T6) are
 * stored here, so a ticket is never filed without the files it was sent with, nor files kept without it.
 */
export type AfterFiling = (trx: Scope, ticketId: number) => Promise<void>;

/**
 * What filing does beside the ticket: `afterFiling` (the attachments) and, given the links for
 * e-mails (T9), the notice of the new ticket (its caretaker, the queue's address, or the approvers).
 * Fixtures that file without links tell no one.
 */
export type FilingOptions = { afterFiling?: AfterFiling; links?: Links };

/** A ticket's number as people say it: the year and its sequence in six digits (2026/000123). */
export function ticketNumber(year: number, sequence: number): string {
  return `${year}/${String(sequence).padStart(6, '0')}`;
}

const personName = (first: unknown, last: unknown) => (first === null || first === undefined ? null : nameFromColumns(first, last));
const calendarText = (value: unknown) => (value === null || value === undefined || value === '' ? null : String(value).slice(0, 10));

/**
 * The columns of tickets a list shows: all but the description, a TEXT column that a list never
 * shows and that would send MySQL's sorts and unions to temporary tables on disk (issue 20).
 */
const listedTicketColumns = ['id', 'tenant_id', 'year', 'sequence', 'customer_id', 'filed_by', 'source', 'category_id', 'title', 'preferred_date', 'preferred_time', 'status', 'priority', 'assignee_id', 'due_date', 'related_ticket_id', 'version', 'resolved_at', 'created_at', 'updated_at'].map((column) => `tickets.${column}`);

/**
 * The base query of tickets with what a page shows of each: customer, category, filer and assignee;
 * 'listed' leaves out the description and the category's join (a row of a list, named from the
 * request's categories by ticket-list.ts's toTicketListRows).
 */
export function withTicketDetails(query: Knex.QueryBuilder, shape: 'whole' | 'listed' = 'whole'): Knex.QueryBuilder {
  return query
    .join('customers', function joinCustomer() {
      this.on('customers.tenant_id', '=', 'tickets.tenant_id').andOn('customers.id', '=', 'tickets.customer_id');
    })
    .modify((details) => {
      if (shape === 'listed') return;
      details
        .join('ticket_categories as categories', function joinCategory() {
          this.on('categories.tenant_id', '=', 'tickets.tenant_id').andOn('categories.id', '=', 'tickets.category_id');
        })
        .select('categories.name_pl as category_name_pl', 'categories.name_en as category_name_en', 'categories.code as category_code');
    })
    .leftJoin('users as assignees', function joinAssignee() {
      this.on('assignees.tenant_id', '=', 'tickets.tenant_id').andOn('assignees.id', '=', 'tickets.assignee_id');
    })
    .leftJoin('users as filers', function joinFiler() {
      this.on('filers.tenant_id', '=', 'tickets.tenant_id').andOn('filers.id', '=', 'tickets.filed_by');
    })
    .select(
      ...(shape === 'whole' ? ['tickets.*'] : listedTicketColumns),
      'customers.name as customer_name',
      'customers.caretaker_id as customer_caretaker_id',
      'assignees.first_name as assignee_first_name',
      'assignees.last_name as assignee_last_name',
      'filers.first_name as filer_first_name',
      'filers.last_name as filer_last_name',
    );
}

export function toTicket(row: Record<string, unknown>): Ticket {
  return { ...toListedTicket(row), description: String(row.description) };
}

/** A ticket as a list shows it: without its description (see withTicketDetails); its category from the row's columns unless given. */
export function toListedTicket(row: Record<string, unknown>, category?: Ticket['category']): Omit<Ticket, 'description'> {
  return {
    id: Number(row.id),
    tenantId: Number(row.tenant_id),
    number: ticketNumber(Number(row.year), Number(row.sequence)),
    customerId: Number(row.customer_id),
    customerName: String(row.customer_name),
    customerCaretakerId: row.customer_caretaker_id === null || row.customer_caretaker_id === undefined ? null : Number(row.customer_caretaker_id),
    filedBy: row.filed_by === null ? null : Number(row.filed_by),
    filedByName: personName(row.filer_first_name, row.filer_last_name),
    source: row.source as TicketSource,
    categoryId: Number(row.category_id),
    category: category ?? { namePl: String(row.category_name_pl), nameEn: String(row.category_name_en), code: String(row.category_code) },
    title: String(row.title),
    preferredDate: calendarText(row.preferred_date),
    preferredTime: (row.preferred_time as string | null) ?? null,
    status: row.status as TicketStatus,
    priority: row.priority as TicketPriority,
    assigneeId: row.assignee_id === null ? null : Number(row.assignee_id),
    assigneeName: personName(row.assignee_first_name, row.assignee_last_name),
    dueDate: calendarText(row.due_date),
    relatedTicketId: row.related_ticket_id === null || row.related_ticket_id === undefined ? null : Number(row.related_ticket_id),
    version: Number(row.version),
    resolvedAt: (row.resolved_at as string | null) ?? null,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
    isOpenToEveryCaretaker: false,
  };
}

/**
 * A ticket the actor may see.
 * @throws NotFoundError when it does not exist or is out of the actor's reach (the same answer)
 */
export async function findTicket(scope: Scope, id: number): Promise<Ticket> {
  const tickets = await visibleTickets(scope);
  const row = await withTicketDetails(tickets()).where('tickets.id', id).first();
  if (!row) throw new NotFoundError(`ticket ${id}`);
  const ticket = toTicket(row);
  if (scope.actor.kind === 'user' && scope.actor.role === 'caretaker') {
    ticket.isOpenToEveryCaretaker = await caretakersWorkAnyTask(scope);
  }
  return ticket;
}

/**
 * Files a ticket (T1) and routes it (T2): it becomes a task of the customer's caretaker, or goes to
 * the unassigned queue when the customer has none (or theirs no longer works here). Number, ticket,
 * history and audit entry in one transaction, with what `afterFiling` adds (attachments) and the
 * e-mail that announces it (T9, given links). The same form sent twice (a double click, two requests
 * at once) files one ticket and answers both with it.
 * @throws NotFoundError when the customer is out of the actor's reach
 * @throws ValidationError ('categoryId') for a category the tenant does not offer
 */
export async function fileTicket(scope: Scope, input: NewTicket, options: FilingOptions = {}): Promise<number> {
  const earlier = await ticketOfSubmission(scope, input.submissionKey);
  if (earlier) return earlier;
  if (!scope.isTransaction) await prepareTicketCounter(scope);
  try {
    return await withFilesRemovedOnFailure(scope, (trx) => fileOnce(trx, input, options));
  } catch (error) {
    const repeated = isUniqueViolation(error) && !scope.isTransaction ? await ticketOfSubmission(scope, input.submissionKey) : undefined;
    if (repeated) return repeated;
    throw error;
  }
}

async function fileOnce(trx: Scope, input: NewTicket, options: FilingOptions): Promise<number> {
  const customer = await findCustomer(trx, input.customerId);
  const category = await findActiveTicketCategory(trx, input.categoryId);
  // The office message category is given by its own form and by e-mail, not chosen in a ticket form; a
  // follow-up of an office message (a client writing again on a finished one) is an office message too.
  const isOfficeMessage = input.isOfficeMessage === true || (input.relatedTicketId != null && category !== undefined && isOfficeMessageCategory(category));
  if (!category || (isOfficeMessageCategory(category) !== isOfficeMessage && input.source !== 'email')) throw new ValidationError({ categoryId: 'tickets:errors.category' });
  // A ticket awaiting its customer's approval (T7) reaches staff only once approved: routed then.
  const isAwaitingApproval = !isOfficeMessage && (await isApprovalAwaited(trx, customer.id, input.isApprovalAsked ?? false));
  const assigneeId = isAwaitingApproval || isOfficeMessage ? null : await activeCaretakerOf(trx, customer.caretakerId);
  const { year, sequence } = await nextTicketNumber(trx);
  const now = toDatabaseTime(trx.now());
  const status: TicketStatus = isAwaitingApproval ? 'awaiting_approval' : 'new';
  const id = await trx.insert('tickets', {
    year,
    sequence,
    customer_id: customer.id,
    filed_by: actingUserId(trx.actor),
    source: input.source,
    category_id: input.categoryId,
    title: input.title,
    description: input.description,
    preferred_date: input.preferredDate,
    preferred_time: input.preferredDate ? input.preferredTime : null,
    status,
    priority: 'normal',
    assignee_id: assigneeId,
    related_ticket_id: input.relatedTicketId ?? null,
    version: 1,
    submission_key: input.submissionKey ?? null,
    created_at: now,
    updated_at: now,
  });
  await recordTicketEvent(trx, id, { kind: 'filed', to: status });
  if (assigneeId) await recordTicketEvent(trx, id, { kind: 'assignee', from: null, to: String(assigneeId) });
  await logEvent(trx, { action: 'ticket.filed', subjectType: 'ticket', subjectId: id, details: { customerId: customer.id, source: input.source, assigneeId } });
  await options.afterFiling?.(trx, id);
  if (options.links) await notifyOfNewTicket(trx, await findTicket(trx, id), options.links);
  return id;
}

/**
 * Files a client's message to the office (C1) as a ticket of the "message to the office" category,
 * always into the unassigned queue (the office answers it, whoever looks after the customer) and
 * without waiting for approval (T7: it asks for no work); announced, numbered, audited and kept
 * once per submission key as any ticket is (fileTicket).
 * @throws ValidationError ('categoryId') should the tenant have lost its office message category
 */
export async function fileOfficeMessage(scope: Scope, input: OfficeMessage, options: FilingOptions = {}): Promise<number> {
  const category = await findOfficeMessageCategory(scope);
  if (!category) throw new ValidationError({ categoryId: 'tickets:errors.category' });
  const ticket: NewTicket = { customerId: input.customerId, categoryId: category.id, title: input.subject, description: input.message, preferredDate: null, preferredTime: null, source: 'portal', submissionKey: input.submissionKey ?? null, isOfficeMessage: true };
  return fileTicket(scope, ticket, options);
}

/** The customer's caretaker when they are still an active member of staff; else the queue's (null). */
export async function activeCaretakerOf(trx: Scope, caretakerId: number | null): Promise<number | null> {
  if (caretakerId === null) return null;
  const row = await visibleAccounts(trx).where({ 'users.id': caretakerId, 'users.is_active': true }).whereIn('users.role', staffRoles).first('users.id');
  return row ? Number(row.id) : null;
}

/**
 * The next number of the tenant's year (its own time zone's year), taken from the counter row:
 * the update locks the row until the filing commits, so numbers never repeat (MySQL); SQLite runs
 * one write transaction at a time. The row is made before the transaction (prepareTicketCounter);
 * only a filing inside a larger transaction may find it missing and make it there.
 */
async function nextTicketNumber(trx: Scope): Promise<{ year: number; sequence: number }> {
  const year = await currentYear(trx);
  const counter = () => trx.table('ticket_counters').where('ticket_counters.year', year);
  let updated = Number(await counter().update({ last_sequence: trx.raw('last_sequence + 1') }));
  if (updated === 0) {
    try {
      await trx.insert('ticket_counters', { year, last_sequence: 1 });
      return { year, sequence: 1 };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      updated = Number(await counter().update({ last_sequence: trx.raw('last_sequence + 1') }));
    }
  }
  const row = await counter().first('last_sequence');
  return { year, sequence: Number(row.last_sequence) };
}

/**
 * Makes the counter row of the tenant's year before the filing transaction, on its own: the year's
 * first tickets filed at once would otherwise each insert it inside their transactions, and MySQL
 * resolves two inserts waiting on one key by failing one as a deadlock.
 */
async function prepareTicketCounter(scope: Scope): Promise<void> {
  const year = await currentYear(scope);
  if (await scope.table('ticket_counters').where('ticket_counters.year', year).first('id')) return;
  await retryingDeadlocks(() => scope.insertQuery('ticket_counters', { year, last_sequence: 0 }).onConflict(['tenant_id', 'year']).ignore());
}

/** The year in the tenant's time zone: a ticket filed on New Year's Eve at 23:30 in Warsaw is of the old year. */
async function currentYear(scope: Scope): Promise<number> {
  const tenant = await findScopeTenant(scope);
  return Number(calendarDateIn(scope.now(), tenant.timeZone).slice(0, 4));
}

/** The ticket an earlier sending of the same form filed, if any. */
async function ticketOfSubmission(scope: Scope, submissionKey: string | null | undefined): Promise<number | undefined> {
  if (!submissionKey) return undefined;
  const tickets = await visibleTickets(scope);
  const row = await tickets().where('tickets.submission_key', submissionKey).first('tickets.id');
  return row ? Number(row.id) : undefined;
}
