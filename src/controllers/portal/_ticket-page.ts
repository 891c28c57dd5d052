import type { Request, Response } from 'express';
import { currentUserOf, scopeOf, tenantOf } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { calendarDateIn, clockTimeIn } from '../../lib/time.js';
import { approvalOnFiling } from '../../models/ticket-approval-rules.js';
import { listTicketCategories } from '../../models/ticket-category.js';
import { listTicketEvents, listTicketMessages } from '../../models/ticket-history.js';
import type { Ticket } from '../../models/ticket.js';
import { can } from '../../policies/ticket.js';
import { assigneeText, categoryChoices, categoryText, eventText, ticketStatusBadge } from '../../presenters/tickets.js';
import type { FieldError } from '../../validators/form.js';
import type { TenantNow } from '../../validators/ticket.js';

/** Now in the tenant's time zone, which a preferred day and hour may not precede. */
export function tenantNowOf(req: Request): TenantNow {
  const now = scopeOf(req).now();
  const timeZone = tenantOf(req).timeZone;
  return { today: calendarDateIn(now, timeZone), time: clockTimeIn(now, timeZone) };
}

/** The client's form for a new ticket, with the user's values and the messages of a refusal. */
export async function renderTicketForm(req: Request, res: Response, status: number, values: Record<string, string>, errors: Record<string, FieldError> = {}): Promise<void> {
  const [categories, approval] = await Promise.all([listTicketCategories(scopeOf(req)), approvalOnFiling(scopeOf(req), currentUserOf(req).customerId ?? 0)]);
  renderPage(res, 'portal/tickets/new', { title: res.locals.t('tickets:new.title'), values, errors, categories: categoryChoices(categories, req.locale), today: tenantNowOf(req).today, approval }, status);
}

/** A ticket as its client sees it: status, due date, who handles it, the conversation without internal notes, the history; for an approver, the decision on a ticket awaiting it (T7). */
export async function renderClientTicket(req: Request, res: Response, ticket: Ticket, status = 200, reply: { values: Record<string, string>; errors: Record<string, FieldError>; notice?: string } = { values: {}, errors: {} }): Promise<void> {
  const scope = scopeOf(req);
  const [messages, events] = await Promise.all([listTicketMessages(scope, ticket), listTicketEvents(scope, ticket)]);
  const formatDay = (isoDate: string) => res.locals.formatDate(isoDate) as string;
  renderPage(
    res,
    'portal/tickets/show',
    {
      title: res.locals.t('tickets:show.title', { number: ticket.number }),
      ticket,
      statusBadge: ticketStatusBadge(ticket.status),
      categoryName: categoryText(ticket.category, req.locale),
      handledBy: assigneeText(ticket.assigneeName, ticket.status),
      messages,
      history: events.map((event) => ({ ...event, text: eventText(event, formatDay) })),
      canReopen: ticket.status === 'resolved',
      isAwaitingApproval: ticket.status === 'awaiting_approval',
      canApprove: ticket.status === 'awaiting_approval' && can(scope.actor, 'approve', ticket),
      notice: reply.notice,
      values: reply.values,
      errors: reply.errors,
    },
    status,
  );
}
