import type { TicketEvent } from '../models/ticket-history.js';
import type { TicketCategory } from '../models/ticket-category.js';
import { ticketPriorities, ticketStatuses, type TicketPriority, type TicketStatus } from '../models/ticket-status.js';
import { message, type Choice, type Status, type Text, type Tone } from './presentation.js';

/**
 * What the ticket pages show of a ticket: its status as a badge, its priority, its category in the
 * reader's language, the lines of its history. Every key is written out so the locales test finds it.
 */
export const statusLabels: Record<TicketStatus, string> = {
  new: 'tickets:status.new',
  awaiting_approval: 'tickets:status.awaiting_approval',
  open: 'tickets:status.open',
  in_progress: 'tickets:status.in_progress',
  waiting_for_customer: 'tickets:status.waiting_for_customer',
  resolved: 'tickets:status.resolved',
  closed: 'tickets:status.closed',
  rejected: 'tickets:status.rejected',
};

const statusTones: Record<TicketStatus, Tone> = {
  new: 'info',
  awaiting_approval: 'waiting',
  open: 'info',
  in_progress: 'info',
  waiting_for_customer: 'waiting',
  resolved: 'success',
  closed: 'neutral',
  rejected: 'danger',
};

export const priorityLabels: Record<TicketPriority, string> = {
  low: 'tickets:priority.low',
  normal: 'tickets:priority.normal',
  high: 'tickets:priority.high',
  urgent: 'tickets:priority.urgent',
};

export function ticketStatusBadge(status: TicketStatus): Status {
  return { label: message(statusLabels[status]), tone: statusTones[status] };
}

export function priorityText(priority: TicketPriority): Text {
  return message(priorityLabels[priority]);
}

export function categoryText(category: Pick<TicketCategory, 'namePl' | 'nameEn'>, locale: string): string {
  return locale === 'pl' ? category.namePl : category.nameEn;
}

export function categoryChoices(categories: readonly TicketCategory[], locale: string): Choice[] {
  return categories.map((category) => ({ value: category.id, label: categoryText(category, locale) }));
}

export function statusChoices(statuses: readonly TicketStatus[] = ticketStatuses): Choice[] {
  return statuses.map((status) => ({ value: status, label: message(statusLabels[status]) }));
}

export function priorityChoices(): Choice[] {
  return ticketPriorities.map((priority) => ({ value: priority, label: message(priorityLabels[priority]) }));
}

/** The "(no one yet)" of a ticket in the queue; a ticket awaiting its customer's approval (T7) is not in the queue, it waits. */
export function assigneeText(name: string | null, status?: TicketStatus): Text {
  if (status === 'awaiting_approval') return message('tickets:approval.notRouted');
  return name ?? message('tickets:assignee.none');
}

/** An approval decision in the history (T7), by an approver or by an admin on the customer's behalf. */
const approvalEventKeys: Record<string, string> = {
  approved: 'tickets:approval.history.approved',
  approvedOnBehalf: 'tickets:approval.history.approvedOnBehalf',
  rejected: 'tickets:approval.history.rejected',
  rejectedOnBehalf: 'tickets:approval.history.rejectedOnBehalf',
};

/** A line of the history in words: "Status: open → in progress", "Assigned to Karolina Zielińska". */
export function eventText(event: TicketEvent, formatDay: (isoDate: string) => string): Text {
  const status = (value: string | null) => (value && value in statusLabels ? message(statusLabels[value as TicketStatus]) : '—');
  const priority = (value: string | null) => (value && value in priorityLabels ? message(priorityLabels[value as TicketPriority]) : '—');
  switch (event.kind) {
    case 'filed':
      return message('tickets:history.filed');
    case 'status':
      return message('tickets:history.status', { from: status(event.from), to: status(event.to) });
    case 'assignee':
      return event.from === null ? message('tickets:history.assigned', { to: event.toName ?? '—' }) : message('tickets:history.reassigned', { from: event.fromName ?? '—', to: event.toName ?? '—' });
    case 'due':
      return event.to === null ? message('tickets:history.dueRemoved') : message('tickets:history.due', { to: formatDay(event.to) });
    case 'priority':
      return message('tickets:history.priority', { from: priority(event.from), to: priority(event.to) });
    case 'approval':
      return message(approvalEventKeys[`${event.to === 'rejected' ? 'rejected' : 'approved'}${event.from === 'on_behalf' ? 'OnBehalf' : ''}`]!);
  }
}
