import type { Request } from 'express';
import { isAdministrator, type Scope } from '../../db/scope.js';
import { calendarDateIn } from '../../lib/time.js';
import { scopeOf, tenantOf } from '../../middleware/context.js';
import { listCaretakerChoices } from '../../models/customer.js';
import type { ReportCustomerFilter } from '../../models/receivables.js';
import { choicesOf, message, type Choice, type Text } from '../../presenters/presentation.js';

/**
 * What the staff's money report pages share (M5, M9): the request's scope and the tenant's today,
 * the choices of the filter (the caretaker filter for admins only: a caretaker's reports hold only
 * their own customers), and the filter as lines of a PDF.
 */
export type ReportContext = { scope: Scope; today: string; isAdmin: boolean };

export function reportContextOf(req: Request): ReportContext {
  const scope = scopeOf(req);
  return { scope, today: calendarDateIn(scope.now(), tenantOf(req).timeZone), isAdmin: isAdministrator(scope.actor) };
}

/** The caretakers to filter by (admins), with "all" and "without a caretaker" first. */
export async function caretakerChoicesOf(context: ReportContext): Promise<Choice[]> {
  if (!context.isAdmin) return [];
  const caretakers = await listCaretakerChoices(context.scope);
  return [...choicesOf({ all: 'reports:filters.caretakerAll', none: 'reports:filters.caretakerNone' }), ...caretakers.map((caretaker): Choice => ({ value: caretaker.id, label: caretaker.name }))];
}

/** The customer filter in words for a printout (each part translated and joined by the caller): the name searched for, the caretaker, only overdue. */
export function customerFilterParts(filter: ReportCustomerFilter, caretakers: readonly Choice[]): Text[] {
  const parts: Text[] = [];
  if (filter.search) parts.push(message('reports:filters.customerIs', { term: filter.search }));
  if (filter.caretaker !== 'all') parts.push(caretakers.find((choice) => String(choice.value) === String(filter.caretaker))?.label ?? message('reports:filters.caretakerNone'));
  if (filter.isOnlyOverdue) parts.push(message('reports:filters.onlyOverdue'));
  return parts;
}
