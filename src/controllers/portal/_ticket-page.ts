import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { attachmentLimits } from '../../middleware/attachments.js';
import { currentUserOf, scopeOf, tenantOf } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { calendarDateIn, clockTimeIn } from '../../lib/time.js';
import { approvalOnFiling } from '../../models/ticket-approval-rules.js';
import { listTicketCategories } from '../../models/ticket-category.js';
import { listTicketEvents, listTicketMessages } from '../../models/ticket-history.js';
import { filesOfTicket } from '../../models/stored-file.js';
import { presentFiles } from '../../presenters/documents.js';
import type { Ticket } from '../../models/ticket.js';
import { can } from '../../policies/ticket.js';
import { assigneeText, categoryChoices, categoryText, eventText, ticketStatusBadge } from '../../presenters/tickets.js';
import type { FieldError } from '../../validators/form.js';
import type { TenantNow } from '../../validators/ticket.js';
import { ticketPricing } from '../../models/ticket-cost-lines.js';
import { presentPricing } from '../../presenters/pricing.js';

/** Now in the tenant's time zone, which a preferred day and hour may not precede. */
export function tenantNowOf(req: Request): TenantNow {
  const now = scopeOf(req).now();
  const timeZone = tenantOf(req).timeZone;
  return { today: calendarDateIn(now, timeZone), time: clockTimeIn(now, timeZone) };
}

/**
 * The client's form for a new ticket, with the user's values and the messages of a refusal;
 * `wereFilesDropped` when the refused form came with files, which must be chosen again; and, for
 * a client who may ask for approval, that choice (T7).
 */
export async function renderTicketForm(req: Request, res: Response, status: number, values: Record<string, string>, errors: Record<string, FieldError> = {}, wereFilesDropped = false): Promise<void> {
  const [categories, approval] = await Promise.all([listTicketCategories(scopeOf(req)), approvalOnFiling(scopeOf(req), currentUserOf(req).customerId ?? 0)]);
  renderPage(res, 'portal/tickets/new', { title: res.locals.t('tickets:new.title'), values, errors, categories: categoryChoices(categories, req.locale), today: tenantNowOf(req).today, attachmentLimits, wereFilesDropped, approval }, status);
}

/**
 * A ticket as its client sees it: status, due date, who handles it, its files, the conversation
 * without internal notes (each reply with its files), the history, and the reply form (with a fresh
 * submission key, or the refused form's values and whether its files must be chosen again); for an
 * approver, the decision on a ticket awaiting it (T7); once resolved, its priced lines (T10).
 */
export async function renderClientTicket(req: Request, res: Response, ticket: Ticket, status = 200, reply: { values: Record<string, string>; errors: Record<string, FieldError>; notice?: string; wereFilesDropped?: boolean } = { values: {}, errors: {} }): Promise<void> {
  const scope = scopeOf(req);
  // Prices reach the client once the ticket is resolved (T10); before that the model is not even asked.
  const isPriced = can(scope.actor, 'viewPricing', ticket);
  const [messages, events, files, pricing] = await Promise.all([listTicketMessages(scope, ticket), listTicketEvents(scope, ticket), filesOfTicket(scope, ticket.id), isPriced ? ticketPricing(scope, ticket) : null]);
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
      messages: messages.map((message) => ({ ...message, files: presentFiles(files.byMessage.get(message.id) ?? [], req.locale) })),
      attachments: presentFiles(files.ofTicket, req.locale),
      attachmentLimits,
      wereFilesDropped: reply.wereFilesDropped ?? false,
      history: events.map((event) => ({ ...event, text: eventText(event, formatDay) })),
      canReopen: ticket.status === 'resolved',
      isAwaitingApproval: ticket.status === 'awaiting_approval',
      canApprove: ticket.status === 'awaiting_approval' && can(scope.actor, 'approve', ticket),
      notice: reply.notice,
      values: { ...reply.values, submissionKey: reply.values.submissionKey || randomUUID() },
      errors: reply.errors,
      pricing: pricing && pricing.lines.length > 0 ? presentPricing(pricing, req.locale) : null,
    },
    status,
  );
}
