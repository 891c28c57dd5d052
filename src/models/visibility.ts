import type { Knex } from 'knex';
import { isAdministrator, staffRoles, type Actor, type Scope, type TenantTable, type UserActor } from '../db/scope.js';
import { startOfDayIn, toDatabaseTime } from '../lib/time.js';
import { customerLevelSettingsInForce, tenantLevelSettingsInForce } from './settings.js';
import { findScopeTenantRow } from './scope-tenant.js';

/**
 * What an actor may see: one base query per aggregate, and every read and write of that aggregate
 * starts from it (a test keeps these tables out of every other file). A record outside the query
 * is simply not found, so a page never tells whether it exists.
 *
 * | actor            | customers          | accounts (users)                              | change requests      |
 * | system, admins   | all of the tenant  | all of the tenant                             | all of the tenant    |
 * | caretaker        | those they look after | staff, and client accounts of their customers | of their customers |
 * | client           | its own            | itself, and its customer's caretaker          | of its customer      |
 * | visitor, api     | none               | none                                          | none                 |
 *
 * Tickets: system and admins all of the tenant; a caretaker those of their customers, those assigned
 * to them and the unassigned queue (every ticket when the tenant lets caretakers work any task,
 * tickets.caretakers_work), never one still awaiting the customer's approval (T7); a client
 * those of its customer the customer's `tickets.visibility` shows (T8), all of them for a primary
 * contact and its own for anyone else (A12); an approver also those awaiting the customer's
 * approval and those decided there (T7).
 */
const none = (query: Knex.QueryBuilder) => query.whereRaw('1 = 0');

/** Whether the actor sees every row of the tenant. */
function seesEverything(actor: Actor): boolean {
  return actor.kind === 'system' || isAdministrator(actor);
}

/** The visibility of customers as a condition on a query that has `customers` (its own table or joined). */
export function whereCustomerVisible(query: Knex.QueryBuilder, actor: Actor): Knex.QueryBuilder {
  if (seesEverything(actor)) return query;
  if (actor.kind !== 'user') return none(query);
  if (actor.role === 'caretaker') return query.where('customers.caretaker_id', actor.id);
  return query.where('customers.id', actor.customerId ?? 0);
}

/** THE base query of customers. */
export function visibleCustomers(scope: Scope): Knex.QueryBuilder {
  return whereCustomerVisible(scope.table('customers'), scope.actor);
}

/** THE base query of accounts. */
export function visibleAccounts(scope: Scope): Knex.QueryBuilder {
  const query = scope.table('users');
  const actor = scope.actor;
  if (seesEverything(actor)) return query;
  if (actor.kind !== 'user') return none(query);
  if (actor.role === 'caretaker') {
    const ownCustomers = scope.table('customers').where('customers.caretaker_id', actor.id).select('customers.id');
    return query.where((visible) => visible.whereIn('users.role', staffRoles).orWhereIn('users.customer_id', ownCustomers));
  }
  const caretaker = scope.table('customers').where('customers.id', actor.customerId ?? 0).whereNotNull('customers.caretaker_id').select('customers.caretaker_id');
  return query.where((visible) => visible.where('users.id', actor.id).orWhereIn('users.id', caretaker));
}

/**
 * Every account of the tenant, for proving who someone is (sign-in, a session, a one-time link, a
 * reset request) and for keeping logins unique. Never for showing an account to anyone: the
 * callers are the authentication verbs, which a test lists.
 */
export function accountsForAuthentication(scope: Scope): Knex.QueryBuilder {
  return scope.table('users');
}

/**
 * The accounts for authentication (as above), each beside its own customer's row: a client's, its
 * columns named `customer__<column>` (null for staff, who have none). What a client sees of the
 * customers is exactly that row (whereCustomerVisible), so the session's reload reads with the user
 * the customer that the portal-access check and the page then need (issue 20).
 */
export function accountsWithOwnCustomer(scope: Scope, customerColumns: readonly string[]): Knex.QueryBuilder {
  return accountsForAuthentication(scope)
    .leftJoin('customers', (join) => join.on('customers.tenant_id', '=', 'users.tenant_id').andOn('customers.id', '=', 'users.customer_id'))
    .select('users.*', ...customerColumns.map((column) => `customers.${column} as customer__${column}`));
}

/**
 * THE base query of customer change requests: those of the customers the actor sees. A condition
 * on a subquery rather than a join, so that the same query can update (SQLite has no UPDATE … JOIN).
 */
export function visibleChangeRequests(scope: Scope): Knex.QueryBuilder {
  const query = scope.table('customer_change_requests');
  if (seesEverything(scope.actor)) return query;
  return query.whereIn('customer_change_requests.customer_id', visibleCustomers(scope).select('customers.id'));
}

/** THE base query of client groups: staff (and system work) see them; a group is the tenant's own label. */
export function visibleGroups(scope: Scope): Knex.QueryBuilder {
  const query = scope.table('groups');
  if (scope.actor.kind === 'system' || (scope.actor.kind === 'user' && scope.actor.role !== 'client')) return query;
  return none(query);
}

/**
 * THE base query of a customer's stand-alone documents (T6): staff see those of the customers they
 * see; a primary contact (A12) all of its customer's, any other client account the ones it added.
 */
export function visibleDocuments(scope: Scope): Knex.QueryBuilder {
  const query = scope.table('documents');
  const actor = scope.actor;
  if (seesEverything(actor)) return query;
  if (actor.kind !== 'user') return none(query);
  if (actor.role !== 'client') return query.whereIn('documents.customer_id', visibleCustomers(scope).select('customers.id'));
  query.where('documents.customer_id', actor.customerId ?? 0);
  return ownUnlessPrimaryContact(scope, query, 'documents.added_by');
}

/**
 * A client's rows of their customer (the caller has narrowed to it): all of them for the primary contact
 * (A12), otherwise those the account itself added (`column`). The flag comes with the actor, read with
 * the account this request; an actor made without it is asked about in the query.
 */
function ownUnlessPrimaryContact(scope: Scope, query: Knex.QueryBuilder, column: string): Knex.QueryBuilder {
  const actor = scope.actor as UserActor;
  if (actor.isPrimaryContact === true) return query;
  if (actor.isPrimaryContact === false) return query.where(column, actor.id);
  return query.where((visible) => visible.where(column, actor.id).orWhereExists(visibleAccounts(scope).where({ 'users.id': actor.id, 'users.is_primary_contact': true }).select('users.id')));
}

/** A maker of fresh base queries of uploaded files. */
export type StoredFileQuery = () => Knex.QueryBuilder;

/**
 * THE base query of uploaded files: those of the documents the actor sees, and those of the
 * tickets the actor sees (T6): the ticket's own, and those of its messages the actor reads, so an
 * internal note's files never reach a client. Async like the tickets' base query it stands on.
 */
export async function visibleStoredFiles(scope: Scope): Promise<StoredFileQuery> {
  if (seesEverything(scope.actor)) return () => scope.table('stored_files');
  const tickets = await visibleTickets(scope);
  const readsNotes = scope.actor.kind === 'user' && scope.actor.role !== 'client';
  return () =>
    scope.table('stored_files').where((reach) =>
      reach
        .whereIn('stored_files.document_id', visibleDocuments(scope).select('documents.id'))
        .orWhere((ofTicket) => {
          ofTicket.whereIn('stored_files.ticket_id', tickets().select('tickets.id'));
          if (!readsNotes) ofTicket.where((message) => message.whereNull('stored_files.ticket_message_id').orWhereIn('stored_files.ticket_message_id', scope.table('ticket_messages').where('ticket_messages.is_internal', false).select('ticket_messages.id')));
        }),
    );
}

/**
 * The accounts that added a document the actor sees, for naming them beside it: a primary contact
 * sees who at the company added each document, though not those colleagues' accounts.
 */
export function documentAdders(scope: Scope): Knex.QueryBuilder {
  return scope.table('users').whereIn('users.id', visibleDocuments(scope).whereNotNull('documents.added_by').select('documents.added_by'));
}

/**
 * The reach of visibleLedgerEntries on a column that names an entry's customer in another query (a
 * correction's, an allocation's): all of the tenant for the system, admins and the API, a caretaker's
 * own customers, a client's own customer. A report's grouped subqueries of corrections and payments
 * take it, so that a caretaker's figures read their customers' rows only, not the tenant's ledger.
 */
export function whereInLedgerReach(scope: Scope, query: Knex.QueryBuilder, customerColumn: string): Knex.QueryBuilder {
  const actor = scope.actor;
  if (seesEverything(actor) || actor.kind === 'api') return query;
  if (actor.kind !== 'user') return none(query);
  if (actor.role === 'caretaker') return query.whereIn(customerColumn, scope.table('customers').where('customers.caretaker_id', actor.id).select('customers.id'));
  return query.where(customerColumn, actor.customerId ?? 0);
}

/**
 * THE base query of ledger entries (M1, M2): the system, admins and the API all of the tenant; a
 * caretaker those of the customers they look after; a client only the approved entries of its own
 * customer (what is pending or rejected is the office's work, not the customer's balance).
 */
export function visibleLedgerEntries(scope: Scope): Knex.QueryBuilder {
  const query = whereInLedgerReach(scope, scope.table('ledger_entries'), 'ledger_entries.customer_id');
  const actor = scope.actor;
  return actor.kind === 'user' && actor.role === 'client' ? query.where('ledger_entries.status', 'approved') : query;
}

/** A maker of fresh base queries of tickets (a list needs two: its count and its page). */
export type TicketQuery = () => Knex.QueryBuilder;

/**
 * THE base query of tickets (see the table above). Async because a client's reach depends on the
 * customer's settings and the tenant's time zone; it gives a maker of queries, never a query, so
 * that awaiting it never runs one.
 */
export async function visibleTickets(scope: Scope): Promise<TicketQuery> {
  const actor = scope.actor;
  if (seesEverything(actor)) return () => scope.table('tickets');
  if (actor.kind !== 'user') return () => none(scope.table('tickets'));
  if (actor.role === 'caretaker') {
    // Whether the tenant lets caretakers work any task is asked inside the query (one indexed row of
    // settings), so that a list costs no statement more for it.
    const caretakersWorkAny = () => scope.table('settings').where({ 'settings.level': 'tenant', 'settings.target_id': 0, 'settings.name': 'tickets.caretakers_work', 'settings.value': 'any' }).select('settings.id');
    return () =>
      scope
        .table('tickets')
        .whereNot('tickets.status', 'awaiting_approval')
        .where((reach) =>
          reach
            .whereIn('tickets.customer_id', scope.table('customers').where('customers.caretaker_id', actor.id).select('customers.id'))
            .orWhere('tickets.assignee_id', actor.id)
            .orWhereNull('tickets.assignee_id')
            .orWhereExists(caretakersWorkAny()),
        );
  }
  const shownSince = await clientTicketsShownSince(scope, actor.customerId ?? 0);
  return () => {
    const query = scope.table('tickets').where('tickets.customer_id', actor.customerId ?? 0);
    // The primary contact sees every ticket of the customer: no condition more.
    if (actor.isPrimaryContact !== true) {
      query.where((own) => {
        ownUnlessPrimaryContact(scope, own, 'tickets.filed_by');
        // An approver (T7) also sees what waits for the company's approval, and what was decided there.
        if (actor.isApprover) own.orWhere('tickets.status', 'awaiting_approval').orWhereExists(approvalDecisions(scope));
      });
    }
    if (shownSince.isPortalOnly) query.where('tickets.source', 'portal');
    if (shownSince.since) query.where('tickets.created_at', '>=', shownSince.since);
    return query;
  };
}

/**
 * The tickets assigned to the signed-in member of staff: exactly visibleTickets(scope) narrowed to
 * `assignee_id = me`, written without the caretaker's reach (an assigned task is in it by its own
 * rule, and what waits for approval stays out), so that "my tasks" and their menu counts read the
 * index (tenant, assignee, status, due date) instead of testing each ticket against the reach
 * (issue 20). Anyone but staff gets none.
 */
export function myAssignedTickets(scope: Scope): TicketQuery {
  const actor = scope.actor;
  if (actor.kind !== 'user' || !staffRoles.includes(actor.role)) return () => none(scope.table('tickets'));
  const assigned = () => scope.table('tickets').where('tickets.assignee_id', actor.id);
  return actor.role === 'caretaker' ? () => assigned().whereNot('tickets.status', 'awaiting_approval') : assigned;
}

/** Whether the tenant lets caretakers stand in on any task (tickets.caretakers_work = any): then they see every ticket staff work. */
export async function caretakersWorkAnyTask(scope: Scope): Promise<boolean> {
  return (await tenantLevelSettingsInForce(scope))['tickets.caretakers_work'].value === 'any';
}

/** The approval decision (T7) on each ticket, by any approver or an admin: a condition inside a query of tickets. */
function approvalDecisions(scope: Scope): Knex.QueryBuilder {
  return scope.table('ticket_events').whereRaw('ticket_events.ticket_id = tickets.id').where('ticket_events.kind', 'approval').select('ticket_events.id');
}

/** What a customer's portal shows of its tickets (T8): all, those filed since a day (the tenant's midnight), or only those filed in the portal. */
async function clientTicketsShownSince(scope: Scope, customerId: number): Promise<{ isPortalOnly: boolean; since: string | null }> {
  const settings = await customerLevelSettingsInForce(scope, customerId);
  const visibility = settings['tickets.visibility'].value;
  const day = settings['tickets.visible_since'].value;
  if (visibility === 'portal') return { isPortalOnly: true, since: null };
  if (visibility !== 'since' || !day) return { isPortalOnly: false, since: null };
  // The request's one read of the tenant's row (findScopeTenantRow), which the page has made already.
  const tenant = await findScopeTenantRow(scope);
  return { isPortalOnly: false, since: toDatabaseTime(startOfDayIn(day, String(tenant.time_zone ?? 'Europe/Warsaw'))) };
}

/**
 * THE base query of the e-mail intake (T9): the tenant's kept messages. Admins and system work see
 * them all. A message from an unknown sender lands in the unassigned queue, where every caretaker
 * works, so caretakers see those (and what became of them once a person filed or put them aside, so
 * that a second click says so instead of "not found"). A client's e-mail filed on its own (a ticket,
 * a reply) is that customer's, and a message that could not be read or filed stays with the admins.
 * No client reads any.
 */
export function visibleMailIntake(scope: Scope): Knex.QueryBuilder {
  const query = scope.table('mail_intake');
  if (seesEverything(scope.actor)) return query;
  if (scope.actor.kind === 'user' && scope.actor.role === 'caretaker') {
    // Filed or put aside by a person (handled_by): only messages that waited in the queue are, never
    // a client's e-mail that became their ticket or reply on its own, which may be any customer's.
    return query.whereNull('mail_intake.error').where((waited) => waited.where('mail_intake.status', 'unmatched').orWhere((handled) => handled.whereIn('mail_intake.status', ['filed', 'discarded']).whereNotNull('mail_intake.handled_by')));
  }
  return none(query);
}

/**
 * The accounts to tell of a change to a ticket the actor sees (T9): the tenant's staff, and the
 * client accounts of the ticket's customer when its portal shows them the ticket (T8). Beyond the
 * actor's reach, as documentAdders: a client's ticket is told to the company's approvers, and a
 * reply to its filer whom the caretaker who took it from the queue does not look after. Only for
 * addressing e-mails about this ticket, never for showing anyone; a ticket out of the actor's
 * reach concerns no one.
 */
export async function ticketMailRecipients(scope: Scope, ticketId: number): Promise<() => Knex.QueryBuilder> {
  const tickets = await visibleTickets(scope);
  const ticket = await tickets().where('tickets.id', ticketId).first('tickets.customer_id', 'tickets.source', 'tickets.created_at');
  if (!ticket) return () => none(scope.table('users'));
  const shown = await clientTicketsShownSince(scope, Number(ticket.customer_id));
  const isShownToClients = !(shown.isPortalOnly && ticket.source !== 'portal') && !(shown.since && String(ticket.created_at) < shown.since);
  // A maker of queries, as visibleTickets gives: an async function's query would be run by awaiting it.
  return () =>
    scope.table('users').where((whom) => {
      whom.whereIn('users.role', staffRoles);
      if (isShownToClients) whom.orWhere((clients) => clients.where({ 'users.role': 'client', 'users.customer_id': Number(ticket.customer_id) }));
    });
}

/** The audience of an announcement (C2): its kind and the target of that kind. */
export type AnnouncementAudience = { audience: 'all' | 'group' | 'customer' | 'account'; groupId: number | null; customerId: number | null; userId: number | null };

/**
 * The announcements meant for a client account, as a condition on a query of announcements: those
 * to every client, to its group, its customer or itself. The group is read inside the query (the
 * account's row as it is now), so a client who joins a group later sees what was sent to it.
 */
function whereAnnouncementIsFor(query: Knex.QueryBuilder, scope: Scope, client: { id: number; customerId: number | null }): Knex.QueryBuilder {
  const groupOfClient = scope.table('users').where('users.id', client.id).whereNotNull('users.group_id').select('users.group_id');
  return query.where((meant) =>
    meant
      .where('announcements.audience', 'all')
      .orWhere('announcements.user_id', client.id)
      .orWhere('announcements.customer_id', client.customerId ?? 0)
      .orWhereIn('announcements.group_id', groupOfClient),
  );
}

/**
 * THE base query of announcements (C2, C3): admins and system work see every one of the tenant,
 * whatever its dates; a client those meant for it that are in force now (published, not ended),
 * and none while its customer is deactivated; caretakers and visitors none (admins write them).
 */
export function visibleAnnouncements(scope: Scope): Knex.QueryBuilder {
  const query = scope.table('announcements');
  const actor = scope.actor;
  if (seesEverything(actor)) return query;
  if (actor.kind !== 'user' || actor.role !== 'client') return none(query);
  const now = toDatabaseTime(scope.now());
  const activeCustomer = scope.table('customers').where({ 'customers.id': actor.customerId ?? 0, 'customers.is_active': true }).select('customers.id');
  return whereAnnouncementIsFor(query, scope, actor)
    .where('announcements.publish_at', '<=', now)
    .where((inForce) => inForce.whereNull('announcements.ends_at').orWhere('announcements.ends_at', '>', now))
    .whereExists(activeCustomer);
}

/**
 * The accounts an announcement is for, as they are now: active client accounts of active customers
 * in its audience, from the accounts the actor sees (an admin: all). The caller joins what it needs.
 */
export function announcementAudienceAccounts(scope: Scope, audience: AnnouncementAudience): Knex.QueryBuilder {
  const query = visibleAccounts(scope)
    .join('customers', function joinCustomer() {
      this.on('customers.id', '=', 'users.customer_id').andOn('customers.tenant_id', '=', 'users.tenant_id');
    })
    .where({ 'users.role': 'client', 'users.is_active': true, 'customers.is_active': true });
  if (audience.audience === 'group') return query.where('users.group_id', audience.groupId ?? 0);
  if (audience.audience === 'customer') return query.where('users.customer_id', audience.customerId ?? 0);
  if (audience.audience === 'account') return query.where('users.id', audience.userId ?? 0);
  return query;
}

/**
 * Every row of any tenant table, for the purge and the data export of one customer (D2), which must
 * reach each table the customer has rows in, named by the purge's plan (models/purge-plan.ts) rather
 * than here: admins (an approval runs the purge) and system work see them; anyone else sees nothing.
 * The controllers decide who may ask for a purge (superadmins); this keeps everyone else out however
 * a verb is reached.
 */
export function rowsForPurge(scope: Scope, table: TenantTable): Knex.QueryBuilder {
  const query = scope.table(table);
  return seesEverything(scope.actor) ? query : none(query);
}
