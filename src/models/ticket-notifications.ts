import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';
import { actingUserId } from '../db/scope.js';
import { formatCalendarDate } from '../lib/time.js';
import type { Links } from '../lib/urls.js';
import { enqueueMail, type MailTemplate } from './outbox.js';
import { findProviderDetails } from './provider-details.js';
import type { SettingName } from './setting-registry.js';
import { settingsForMany, settingsInForce } from './settings.js';
import { findScopeTenant, type Tenant } from './tenant.js';
import { ticketMailSubject } from './ticket-mail-tag.js';
import type { TicketStatus } from './ticket-status.js';
import { greetingNameOf, nameFromColumns } from './user.js';
import { ticketMailRecipients } from './visibility.js';

/**
 * E-mails about tickets (T9), queued in the transaction of the change that causes them (the outbox),
 * so a change rolled back tells no one and a change made once is told once. Nobody is told of what
 * they did themselves, nor against their own switch (setting-registry.ts, `notifications.*`). No
 * internal note reaches any e-mail: the notices of messages are only called for replies, and no
 * other notice carries a message's text. Every subject starts with the ticket's tag
 * (ticket-mail-tag.ts), so a reply by e-mail finds its ticket.
 *
 * A ticket as these notices need it; `Ticket` of ticket.ts is one (declared here, not imported:
 * ticket.ts queues the notice of a new ticket, and modules never import each other in a circle).
 */
export type NotifiedTicket = {
  id: number;
  number: string;
  title: string;
  customerId: number;
  customerName: string;
  filedBy: number | null;
  filedByName: string | null;
  status: TicketStatus;
  assigneeId: number | null;
};

/** An account to e-mail, as read for addressing it. */
type Recipient = { id: number; email: string; locale: string | null; greetingName: string; isPrimaryContact: boolean };

type NoticeContext = { scope: Scope; ticket: NotifiedTicket; links: Links; tenant: Tenant };

async function contextOf(scope: Scope, ticket: NotifiedTicket, links: Links): Promise<NoticeContext> {
  return { scope, ticket, links, tenant: await findScopeTenant(scope) };
}

/** The accounts of the ticket's people that `narrow` picks that can be reached (active, unlocked, with an address), but the actor, whose switch is on. */
async function recipients(context: NoticeContext, narrow: (query: Knex.QueryBuilder) => Knex.QueryBuilder, switchName: SettingName): Promise<Recipient[]> {
  const accounts = await ticketMailRecipients(context.scope, context.ticket.id);
  const query = narrow(accounts());
  const rows: Array<Record<string, unknown>> = await query
    .where({ 'users.is_active': true, 'users.is_locked': false })
    .whereNotNull('users.email')
    .whereNot('users.email', '')
    .whereNot('users.id', actingUserId(context.scope.actor) ?? 0)
    .select('users.id', 'users.email', 'users.locale', 'users.first_name', 'users.last_name', 'users.is_primary_contact');
  const people = rows.map((row) => ({
    id: Number(row.id),
    email: String(row.email),
    locale: (row.locale as string | null) ?? null,
    greetingName: greetingNameOf({ firstName: String(row.first_name ?? ''), lastName: String(row.last_name ?? '') }),
    isPrimaryContact: Boolean(row.is_primary_contact),
  }));
  const settings = await settingsForMany(context.scope, people.map((person) => ({ accountId: person.id })));
  return people.filter((_person, index) => settings[index]![switchName].value !== 'off');
}

/**
 * Whom a change of the ticket is told to on the client's side: its filer when a client filed it,
 * else (filed by staff, or by e-mail from no known client) the customer's primary contacts, who
 * follow all its tickets (A12).
 */
async function clientRecipients(context: NoticeContext): Promise<Recipient[]> {
  const { ticket } = context;
  const people = await recipients(context, (query) => query.where('users.role', 'client'), 'notifications.tickets');
  const filer = ticket.filedBy === null ? undefined : await (await ticketMailRecipients(context.scope, ticket.id))().where('users.id', ticket.filedBy).first('users.role');
  // A client filed it: only they are told (not when they made the change themselves, nor when they cannot be reached).
  return filer?.role === 'client' ? people.filter((person) => person.id === ticket.filedBy) : people.filter((person) => person.isPrimaryContact);
}

/** The person acting, by name, as a reply names its author. */
async function actorName(context: NoticeContext): Promise<string> {
  const row = await (await ticketMailRecipients(context.scope, context.ticket.id))().where('users.id', actingUserId(context.scope.actor) ?? 0).first('users.first_name', 'users.last_name', 'users.login');
  return row ? nameFromColumns(row.first_name, row.last_name) || String(row.login) : '';
}

/** The values every notice of the ticket carries, with the link to its page for the recipient's side. */
function ticketValues(context: NoticeContext, side: 'portal' | 'staff'): Record<string, string> {
  const { ticket, tenant, links } = context;
  return {
    tenant: tenant.name,
    subject: ticketMailSubject(ticket.number, ticket.title),
    number: ticket.number,
    title: ticket.title,
    customer: ticket.customerName,
    filer: ticket.filedByName ?? '',
    link: links.absolute(side === 'portal' ? 'portal.tickets.show' : 'staff.tickets.show', { tenant: tenant.slug, ticketId: ticket.id }),
  };
}

async function send(context: NoticeContext, people: readonly Recipient[], template: MailTemplate, values: (person: Recipient, locale: string) => Record<string, string>): Promise<number> {
  for (const person of people) {
    const locale = person.locale ?? context.tenant.defaultLocale;
    await enqueueMail(context.scope, { to: person.email, recipientUserId: person.id, customerId: context.ticket.customerId, locale, template, data: { ...values(person, locale), greetingName: person.greetingName } });
  }
  return people.length;
}

/**
 * A ticket has reached staff (filed, or approved): its assignee is told of the new task; a ticket in
 * the unassigned queue goes to the queue's address (`tickets.queue_email`, else the office's e-mail),
 * where someone assigns it. A ticket awaiting approval (T7) is told to the company's approvers instead.
 * @returns to whom: 'assignee', 'queue', 'approvers' or 'nobody'
 */
export async function notifyOfNewTicket(scope: Scope, ticket: NotifiedTicket, links: Links): Promise<'assignee' | 'queue' | 'approvers' | 'nobody'> {
  const context = await contextOf(scope, ticket, links);
  if (ticket.status === 'awaiting_approval') {
    const approvers = await recipients(context, (query) => query.where({ 'users.role': 'client', 'users.is_approver': true }), 'notifications.ticket_approvals');
    return (await send(context, approvers, 'ticket-approval-requested', () => ({ ...ticketValues(context, 'portal'), approvals: links.absolute('portal.ticketApprovals.index', { tenant: context.tenant.slug }) }))) > 0 ? 'approvers' : 'nobody';
  }
  if (ticket.assigneeId !== null) {
    const assignee = await recipients(context, (query) => query.where('users.id', ticket.assigneeId), 'notifications.tickets');
    return (await send(context, assignee, 'ticket-filed', () => ticketValues(context, 'staff'))) > 0 ? 'assignee' : 'nobody';
  }
  const address = await queueAddress(scope);
  if (!address) return 'nobody';
  await enqueueMail(scope, { to: address, customerId: ticket.customerId, locale: context.tenant.defaultLocale, template: 'ticket-filed-queue', data: { ...ticketValues(context, 'staff'), queue: links.absolute('staff.queue.index', { tenant: context.tenant.slug }) } });
  return 'queue';
}

/**
 * A ticket was assigned to a member of staff by someone else (T2): they are told of their new task,
 * with the reason given (a reassignment always has one). Taking a ticket oneself tells no one.
 */
export async function notifyOfAssignment(scope: Scope, ticket: NotifiedTicket, note: string | null, links: Links): Promise<void> {
  if (ticket.assigneeId === null) return;
  const context = await contextOf(scope, ticket, links);
  const assignee = await recipients(context, (query) => query.where('users.id', ticket.assigneeId), 'notifications.tickets');
  const by = await actorName(context);
  await send(context, assignee, note ? 'ticket-assigned-with-note' : 'ticket-assigned', () => ({ ...ticketValues(context, 'staff'), assigner: by, note: note ?? '' }));
}

/** Where the unassigned queue's new tickets are announced: the tenant's setting, else the office's e-mail; null for nowhere. */
export async function queueAddress(scope: Scope): Promise<string | null> {
  const [settings, provider] = await Promise.all([settingsInForce(scope), findProviderDetails(scope)]);
  return settings['tickets.queue_email'].value || provider.office.email || null;
}

/** Staff replied to the client (never called for an internal note): the reply's text and its author go with the link. */
export async function notifyOfStaffReply(scope: Scope, ticket: NotifiedTicket, body: string, links: Links): Promise<void> {
  const context = await contextOf(scope, ticket, links);
  const author = await actorName(context);
  await send(context, await clientRecipients(context), 'ticket-replied', () => ({ ...ticketValues(context, 'portal'), reply: body, author }));
}

/** A client replied: the member of staff the task is assigned to is told, with the reply's text (a ticket in the queue tells no one). */
export async function notifyOfClientReply(scope: Scope, ticket: NotifiedTicket, body: string, links: Links): Promise<void> {
  if (ticket.assigneeId === null) return;
  const context = await contextOf(scope, ticket, links);
  const assignee = await recipients(context, (query) => query.where('users.id', ticket.assigneeId).whereNot('users.role', 'client'), 'notifications.tickets');
  const author = await actorName(context);
  await send(context, assignee, 'ticket-client-replied', () => ({ ...ticketValues(context, 'staff'), reply: body, author }));
}

/** The ticket moved to another status; the status is named in each recipient's language when the message is written. */
export async function notifyOfStatusChange(scope: Scope, ticket: NotifiedTicket, to: TicketStatus, links: Links): Promise<void> {
  const context = await contextOf(scope, ticket, links);
  await send(context, await clientRecipients(context), 'ticket-status-changed', () => ({ ...ticketValues(context, 'portal'), statusKey: `tickets:status.${to}` }));
}

/** The ticket got a due date, or another one (a date taken away tells no one). */
export async function notifyOfDueDate(scope: Scope, ticket: NotifiedTicket, dueDate: string, links: Links): Promise<void> {
  const context = await contextOf(scope, ticket, links);
  await send(context, await clientRecipients(context), 'ticket-due-changed', (_person, locale) => ({ ...ticketValues(context, 'portal'), due: formatCalendarDate(dueDate, locale) }));
}

/** An approver (or an admin on the company's behalf) decided on the ticket (T7): its filer is told, with the reason of a rejection. */
export async function notifyOfApprovalDecision(scope: Scope, ticket: NotifiedTicket, decision: { outcome: 'approved' } | { outcome: 'rejected'; reason: string }, links: Links): Promise<void> {
  const context = await contextOf(scope, ticket, links);
  const values = () => ({ ...ticketValues(context, 'portal'), reason: decision.outcome === 'rejected' ? decision.reason : '' });
  await send(context, await clientRecipients(context), decision.outcome === 'approved' ? 'ticket-approved' : 'ticket-rejected', values);
}
