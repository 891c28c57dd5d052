import { isCalendarDate } from '../lib/time.js';
import type { AuditFilter } from '../models/audit-filters.js';
import type { FieldError } from './form.js';

/** The fields of the audit log's filter form (views/superadmin/audit-entries/index.ejs), as the address carries them. */
export const auditFilterFields = ['actor', 'action', 'subjectType', 'subject', 'from', 'to'] as const;
type FilterField = (typeof auditFilterFields)[number];

/** The kinds of record the filter offers (the page names and links each: presenters/audit-entries.ts). */
export const auditSubjectTypes = ['user', 'customer', 'group', 'tenant', 'job', 'ticket', 'ticket_category', 'ledger_entry', 'import', 'mail_intake'] as const;

const textOf = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, 100) : '');

/**
 * The filter of a request. A GET form never ends in an error page: a value that cannot be used is
 * left out of the filter and reported beside its field, and the rest still applies.
 * @returns the usable filter, the values to show in the form again (as typed), and the problems
 */
export function auditFilterFrom(query: Record<string, unknown>): { filter: AuditFilter; values: Record<FilterField, string>; errors: Record<string, FieldError> } {
  const values = Object.fromEntries(auditFilterFields.map((field) => [field, textOf(query[field])])) as Record<FilterField, string>;
  const errors: Record<string, FieldError> = {};
  const filter: AuditFilter = {};
  if (values.actor) filter.actor = values.actor;
  if (values.subject) filter.subject = values.subject;
  if (values.action) {
    if (/^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/.test(values.action) && values.action.length <= 60) filter.action = values.action;
    else errors.action = { key: 'admin:auditLog.filters.actionInvalid' };
  }
  if (values.subjectType) {
    if ((auditSubjectTypes as readonly string[]).includes(values.subjectType)) filter.subjectType = values.subjectType;
    else errors.subjectType = { key: 'admin:auditLog.filters.subjectTypeInvalid' };
  }
  for (const field of ['from', 'to'] as const) {
    if (!values[field]) continue;
    if (isCalendarDate(values[field])) filter[field] = values[field];
    else errors[field] = { key: 'admin:auditLog.filters.dateInvalid' };
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    errors.to = { key: 'admin:auditLog.filters.periodReversed' };
    delete filter.to;
  }
  return { filter, values, errors };
}

/** What an export keeps of its filter in the audit log: kinds, actions and days, and ids, never a name someone typed. */
export function auditFilterForRecord(filter: AuditFilter): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const field of ['action', 'subjectType', 'from', 'to'] as const) if (filter[field]) kept[field] = filter[field];
  for (const field of ['actor', 'subject'] as const) {
    const text = filter[field];
    if (text) kept[field] = /^#?\d+$/.test(text) ? `#${text.replace('#', '')}` : 'name';
  }
  return kept;
}
