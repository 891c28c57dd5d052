import { isPurgeableTicketStatus } from '../../models/purge.js';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { isAdministrator } from '../../db/scope.js';
import { attachmentLimits } from '../../middleware/attachments.js';
import { currentUserOf, scopeOf, tenantOf } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { calendarDateIn, clockTimeIn } from '../../lib/time.js';
import { listCaretakerChoices } from '../../models/customer.js';
import { listTicketEvents, listTicketMessages } from '../../models/ticket-history.js';
import { filesOfTicket } from '../../models/stored-file.js';
import { presentFiles } from '../../presenters/documents.js';
import { movesFrom } from '../../models/ticket-status.js';
import type { Ticket } from '../../models/ticket.js';
import { can } from '../../policies/ticket.js';
import { assigneeText, categoryText, eventText, priorityChoices, priorityText, statusChoices, ticketStatusBadge } from '../../presenters/tickets.js';
import type { FieldError } from '../../validators/form.js';
import { message, type Message } from '../../presenters/presentation.js';
import type { TenantNow } from '../../validators/ticket.js';
import { staffPricingOf } from './_cost-line-page.js';

/** Now in the tenant's time zone, which a preferred day and hour may not precede. */
export function tenantNowOf(req: Request): TenantNow {
  const now = scopeOf(req).now();
  const timeZone = tenantOf(req).timeZone;
  return { today: calendarDateIn(now, timeZone), time: clockTimeIn(now, timeZone) };
}

/** What a refused or conflicting form on the task page brings back: its values, messages and a notice (a key, or a message with values). */
export type TaskPageState = { form?: 'status' | 'plan' | 'message' | 'assignment' | 'rejection'; values?: Record<string, string>; errors?: Record<string, FieldError>; notice?: string | Message; clash?: string[]; wereFilesDropped?: boolean };

/**
 * A ticket as staff work it (T3–T5): the summary, the conversation with internal notes, the forms
 * the actor may use (status by the status table, due date and priority, reply or note, take from
 * the queue, assign), the pricing (T10) and the history.
 */
export async function renderStaffTicket(req: Request, res: Response, ticket: Ticket, status = 200, state: TaskPageState = {}): Promise<void> {
  const scope = scopeOf(req);
  const canAssign = can(scope.actor, 'assign', ticket);
  const [messages, events, staff, files, pricing] = await Promise.all([listTicketMessages(scope, ticket), listTicketEvents(scope, ticket), canAssign ? listCaretakerChoices(scope) : [], filesOfTicket(scope, ticket.id), staffPricingOf(req, ticket)]);
  const formatDay = (isoDate: string) => res.locals.formatDate(isoDate) as string;
  const ownValues = (form: TaskPageState['form']) => (state.form === form ? (state.values ?? {}) : {});
  const ownErrors = (form: TaskPageState['form']) => (state.form === form ? (state.errors ?? {}) : {});
  const plan = { dueDate: ticket.dueDate ?? '', priority: ticket.priority };
  renderPage(
    res,
    'staff/tickets/show',
    {
      title: res.locals.t('tickets:show.title', { number: ticket.number }),
      ticket,
      statusBadge: ticketStatusBadge(ticket.status),
      priorityLabel: priorityText(ticket.priority),
      categoryName: categoryText(ticket.category, req.locale),
      handledBy: assigneeText(ticket.assigneeName, ticket.status),
      messages: messages.map((message) => ({ ...message, files: presentFiles(files.byMessage.get(message.id) ?? [], req.locale) })),
      attachments: presentFiles(files.ofTicket, req.locale),
      attachmentLimits,
      wereFilesDropped: state.wereFilesDropped ?? false,
      history: events.map((event) => ({ ...event, text: eventText(event, formatDay) })),
      canWork: can(scope.actor, 'work', ticket),
      canTake: can(scope.actor, 'take', ticket),
      canAssign,
      canApprove: ticket.status === 'awaiting_approval' && can(scope.actor, 'approve', ticket),
      canPurge: currentUserOf(req).role === 'superadmin' && isPurgeableTicketStatus(ticket.status),
      rejectionValues: ownValues('rejection'),
      rejectionErrors: ownErrors('rejection'),
      isAdministrator: isAdministrator(scope.actor),
      statusOptions: statusChoices(movesFrom('staff', ticket.status)),
      priorityOptions: priorityChoices(),
      staffOptions: staff.map((person) => ({ value: person.id, label: person.name })),
      plan: { ...plan, ...ownValues('plan') },
      planBase: state.form === 'plan' && state.values?.baseDueDate !== undefined ? { dueDate: state.values.baseDueDate, priority: state.values.basePriority ?? '' } : plan,
      messageValues: { ...ownValues('message'), submissionKey: ownValues('message').submissionKey || randomUUID() },
      messageErrors: ownErrors('message'),
      assignmentValues: ownValues('assignment'),
      assignmentErrors: ownErrors('assignment'),
      planErrors: ownErrors('plan'),
      statusErrors: ownErrors('status'),
      statusValues: ownValues('status'),
      notice: typeof state.notice === 'string' ? message(state.notice) : state.notice,
      clash: state.clash ?? [],
      ...pricing,
    },
    status,
  );
}
