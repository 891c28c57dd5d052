import { z } from 'zod';
import { isCalendarDate } from '../lib/time.js';
import { ticketPriorities, ticketStatuses } from '../models/ticket-status.js';
import { checkbox, nullableText } from './fields.js';
import { requiredText } from './form.js';

/** The longest description or message: a long failure report fits, a pasted log file does not. */
export const maximumMessageLength = 10_000;

/** Text of a message or description: line ends as LF, trimmed, required, at most the limit. */
const messageText = (max = maximumMessageLength) =>
  z
    .string({ error: 'validation:required' })
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().min(1, 'validation:required').max(max, 'validation:tooLong'));

const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((value) => value || null)
  .refine((value) => value === null || isCalendarDate(value), 'tickets:errors.date');

/** "Now" in the tenant's time zone, against which a preferred date and time may not lie in the past. */
export type TenantNow = { today: string; time: string };

/**
 * views/portal/tickets/new.ejs and views/staff/tickets/new.ejs: a category, a title, a description
 * and, optionally, a preferred day and hour that may not be in the past (in the tenant's time zone).
 */
export function ticketCreateForm(now: TenantNow) {
  return z
    .object({
      categoryId: z.coerce.number({ error: 'tickets:errors.category' }).int('tickets:errors.category').positive('tickets:errors.category'),
      title: requiredText(200),
      description: messageText(),
      preferredDate: optionalDate,
      preferredTime: z
        .string()
        .trim()
        .optional()
        .transform((value) => value || null)
        .refine((value) => value === null || /^([01]\d|2[0-3]):[0-5]\d$/.test(value), 'tickets:errors.time'),
      submissionKey: z.uuid().optional().catch(undefined),
      isApprovalAsked: checkbox,
    })
    .superRefine((form, context) => {
      if (form.preferredDate && form.preferredDate < now.today) context.addIssue({ code: 'custom', path: ['preferredDate'], message: 'tickets:errors.datePast' });
      if (form.preferredTime && !form.preferredDate) context.addIssue({ code: 'custom', path: ['preferredDate'], message: 'tickets:errors.timeWithoutDate' });
      if (form.preferredDate === now.today && form.preferredTime && form.preferredTime < now.time) context.addIssue({ code: 'custom', path: ['preferredTime'], message: 'tickets:errors.timePast' });
    });
}
export const ticketCreateFields = ['categoryId', 'title', 'description', 'preferredDate', 'preferredTime', 'submissionKey', 'isApprovalAsked'] as const;

/** views/portal/tickets/show.ejs: a client's reply. */
export const ticketReplyForm = z.object({ body: messageText(), submissionKey: z.uuid().optional().catch(undefined) });

/** views/staff/tickets/show.ejs: a reply to the client, or an internal note (isInternal). */
export const staffMessageForm = z.object({ body: messageText(), isInternal: checkbox, submissionKey: z.uuid().optional().catch(undefined) });

const version = z.coerce.number().int().positive();

/** views/staff/tickets/show.ejs: the move to another status, at the version the page showed, with the status it showed (base). */
export const ticketStatusForm = z.object({
  status: z.enum(ticketStatuses, { error: 'tickets:errors.status' }),
  version,
  baseStatus: z.enum(ticketStatuses).optional().catch(undefined),
});

/** views/staff/tickets/show.ejs: the due date and priority, with the values the form was opened with (base). */
export const ticketPlanForm = z.object({
  dueDate: optionalDate,
  priority: z.enum(ticketPriorities, { error: 'tickets:errors.priority' }),
  version,
  baseDueDate: z.string().optional(),
  basePriority: z.string().optional(),
});
export const ticketPlanFields = ['dueDate', 'priority'] as const;

/** views/staff/tickets/show.ejs: an admin's assignment, with the reason a reassignment needs. */
export const ticketAssignmentForm = z.object({
  assigneeId: z.coerce.number({ error: 'tickets:errors.assignee' }).int('tickets:errors.assignee').positive('tickets:errors.assignee'),
  note: nullableText(500),
  // Who handled the ticket when the form was opened: '' for nobody (the queue); absent or unreadable, unknown.
  baseAssigneeId: z
    .string()
    .regex(/^\d*$/)
    .transform((value) => (value === '' ? null : Number(value)))
    .optional()
    .catch(undefined),
});

export const taskSorts = ['due-asc', 'due-desc', 'created-desc', 'created-asc', 'updated-desc', 'priority-desc'] as const;
const positiveId = z.coerce.number().int().positive();

/** The filters of the staff's task lists (query string): anything unknown falls back to its default. */
export const taskListQuery = z.object({
  status: z.enum(['active', 'all', ...ticketStatuses]).catch('active'),
  customer: positiveId.optional().catch(undefined),
  caretaker: z.union([z.literal('none'), positiveId]).optional().catch(undefined),
  category: positiveId.optional().catch(undefined),
  due: z.enum(['any', 'overdue', 'week']).catch('any'),
  q: z.string().trim().max(200).catch('').default(''),
  sort: z.enum(taskSorts).catch('due-asc'),
});
export type TaskListQuery = z.infer<typeof taskListQuery>;

/** The client's ticket list (query string): the words to search for, anything else ignored. */
export const clientTicketListQuery = z.object({
  q: z.string().trim().max(200).catch('').default(''),
});

/** views/portal/tickets/show.ejs and views/staff/tickets/show.ejs: rejecting a ticket awaiting approval needs its reason (T7). */
export const ticketRejectionForm = z.object({
  reason: z
    .string({ error: 'tickets:approval.reasonRequired' })
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().min(1, 'tickets:approval.reasonRequired').max(500, 'validation:tooLong')),
});
