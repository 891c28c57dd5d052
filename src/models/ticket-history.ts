import type { Scope } from '../db/scope.js';
import { actingUserId, isStaff } from '../db/scope.js';
import { toDatabaseTime } from '../lib/time.js';
import { nameFromColumns } from './user.js';

export type TicketEventKind = 'filed' | 'status' | 'assignee' | 'due' | 'priority' | 'approval';
export type TicketEvent = { id: number; kind: TicketEventKind; from: string | null; to: string | null; note: string | null; actorName: string | null; fromName: string | null; toName: string | null; createdAt: string };
export type TicketMessage = { id: number; body: string; isInternal: boolean; authorName: string | null; isByStaff: boolean; createdAt: string };

/** One line of a ticket's history (T3): what changed, from what to what, who did it and when. */
export async function recordTicketEvent(trx: Scope, ticketId: number, event: { kind: TicketEventKind; from?: string | null; to?: string | null; note?: string | null }): Promise<void> {
  await trx.insert('ticket_events', {
    ticket_id: ticketId,
    kind: event.kind,
    from_value: event.from ?? null,
    to_value: event.to ?? null,
    note: event.note ?? null,
    actor_id: actingUserId(trx.actor),
    created_at: toDatabaseTime(trx.now()),
  });
}

/** A message of the conversation: a reply, which the client reads, or staff's internal note, which no client ever does. */
export async function insertTicketMessage(trx: Scope, ticketId: number, body: string, isInternal: boolean, submissionKey: string | null = null): Promise<number> {
  return trx.insert('ticket_messages', { ticket_id: ticketId, author_id: actingUserId(trx.actor), body, is_internal: isInternal, submission_key: submissionKey, created_at: toDatabaseTime(trx.now()) });
}

const nameOf = (first: unknown, last: unknown) => (first === null || first === undefined ? null : nameFromColumns(first, last));

/**
 * The conversation of a ticket the caller has loaded through the actor, oldest first. Internal notes
 * are read for staff only: for anyone else the query never selects them.
 */
export async function listTicketMessages(scope: Scope, ticket: { id: number }): Promise<TicketMessage[]> {
  const mayReadNotes = scope.actor.kind === 'system' || (scope.actor.kind === 'user' && isStaff(scope.actor.role));
  const query = scope
    .table('ticket_messages')
    .where('ticket_messages.ticket_id', ticket.id)
    .leftJoin('users as authors', function joinAuthor() {
      this.on('authors.tenant_id', '=', 'ticket_messages.tenant_id').andOn('authors.id', '=', 'ticket_messages.author_id');
    })
    .orderBy('ticket_messages.created_at')
    .orderBy('ticket_messages.id')
    .select('ticket_messages.*', 'authors.first_name', 'authors.last_name', 'authors.role as author_role');
  if (!mayReadNotes) query.where('ticket_messages.is_internal', false);
  const rows: Array<Record<string, unknown>> = await query;
  return rows.map((row) => ({
    id: Number(row.id),
    body: String(row.body),
    isInternal: Boolean(row.is_internal),
    authorName: nameOf(row.first_name, row.last_name),
    isByStaff: row.author_role !== null && row.author_role !== undefined && row.author_role !== 'client',
    createdAt: String(row.created_at),
  }));
}

/** The history of a ticket the caller has loaded through the actor, oldest first, with the names of people it names. */
export async function listTicketEvents(scope: Scope, ticket: { id: number }): Promise<TicketEvent[]> {
  // Why a task was reassigned is the office's own business, like an internal note.
  const mayReadNotes = scope.actor.kind === 'system' || (scope.actor.kind === 'user' && isStaff(scope.actor.role));
  const person = (alias: string, column: string) =>
    function joinPerson(this: import('knex').Knex.JoinClause) {
      this.on(`${alias}.tenant_id`, '=', 'ticket_events.tenant_id').andOn(scope.raw(`${alias}.id = (case when ticket_events.kind = 'assignee' then cast(ticket_events.${column} as ${scope.isMysql ? 'unsigned' : 'integer'}) end)`));
    };
  const rows: Array<Record<string, unknown>> = await scope
    .table('ticket_events')
    .where('ticket_events.ticket_id', ticket.id)
    .leftJoin('users as actors', function joinActor() {
      this.on('actors.tenant_id', '=', 'ticket_events.tenant_id').andOn('actors.id', '=', 'ticket_events.actor_id');
    })
    .leftJoin('users as from_people', person('from_people', 'from_value'))
    .leftJoin('users as to_people', person('to_people', 'to_value'))
    .orderBy('ticket_events.id')
    .select('ticket_events.*', 'actors.first_name as actor_first', 'actors.last_name as actor_last', 'from_people.first_name as from_first', 'from_people.last_name as from_last', 'to_people.first_name as to_first', 'to_people.last_name as to_last');
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind as TicketEventKind,
    from: (row.from_value as string | null) ?? null,
    to: (row.to_value as string | null) ?? null,
    // The reason an approver gave for rejecting a ticket is the company's own answer to its filer.
    note: mayReadNotes || row.kind === 'approval' ? ((row.note as string | null) ?? null) : null,
    actorName: nameOf(row.actor_first, row.actor_last),
    fromName: nameOf(row.from_first, row.from_last),
    toName: nameOf(row.to_first, row.to_last),
    createdAt: String(row.created_at),
  }));
}
