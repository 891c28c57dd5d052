import type { TicketCategory } from '../models/ticket-category.js';
import type { TaskFilters, TicketListRow } from '../models/ticket-list.js';
import { ticketStatuses } from '../models/ticket-status.js';
import { message, type Choice } from './presentation.js';
import { assigneeText, categoryText, priorityText, statusLabels, ticketStatusBadge } from './tickets.js';

/** The filters as the address carries them, leaving out what is at its default (the pager's links keep them). */
export function taskFilterParameters(filters: TaskFilters): Record<string, string | undefined> {
  return {
    status: filters.status !== 'active' ? filters.status : undefined,
    customer: filters.customer ? String(filters.customer) : undefined,
    caretaker: filters.caretaker ? String(filters.caretaker) : undefined,
    category: filters.category ? String(filters.category) : undefined,
    due: filters.due !== 'any' ? filters.due : undefined,
    q: filters.q || undefined,
    sort: filters.sort !== 'due-asc' ? filters.sort : undefined,
  };
}

/** The choices of the task lists' filters. */
export function taskFilterChoices(input: { categories: readonly TicketCategory[]; staff: ReadonlyArray<{ id: number; name: string }>; locale: string }): Record<string, Choice[]> {
  const any: Choice = { value: '', label: message('tickets:filters.any') };
  return {
    status: [{ value: 'active', label: message('tickets:filters.active') }, { value: 'all', label: message('tickets:filters.allStatuses') }, ...ticketStatuses.map((status) => ({ value: status, label: message(statusLabels[status]) }))],
    caretaker: [any, { value: 'none', label: message('tickets:filters.unassigned') }, ...input.staff.map((person) => ({ value: person.id, label: person.name }))],
    category: [any, ...input.categories.map((category) => ({ value: category.id, label: categoryText(category, input.locale) }))],
    due: [
      { value: 'any', label: message('tickets:filters.dueAny') },
      { value: 'overdue', label: message('tickets:filters.overdue') },
      { value: 'week', label: message('tickets:filters.week') },
    ],
    sort: [
      { value: 'due-asc', label: message('tickets:sort.dueAsc') },
      { value: 'due-desc', label: message('tickets:sort.dueDesc') },
      { value: 'priority-desc', label: message('tickets:sort.priority') },
      { value: 'created-desc', label: message('tickets:sort.newest') },
      { value: 'created-asc', label: message('tickets:sort.oldest') },
      { value: 'updated-desc', label: message('tickets:sort.updated') },
    ],
  };
}

/** A row of a task list as the table shows it. */
export function taskRow(row: TicketListRow, locale: string) {
  return { ...row, statusBadge: ticketStatusBadge(row.status), handledBy: assigneeText(row.assigneeName, row.status), categoryName: categoryText(row.category, locale), priorityLabel: priorityText(row.priority) };
}
