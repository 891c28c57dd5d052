import { isCalendarDate } from '../lib/time.js';
import { agingReportSorts, type AgingReportSort } from '../models/aging-report.js';
import { balanceReportSorts, type BalanceReportSort } from '../models/balance-report.js';
import type { ReportPeriod } from '../models/customer-report.js';
import type { ReportCustomerFilter } from '../models/receivables.js';
import type { FieldError } from './form.js';

/**
 * The filters of the staff's money reports (views/staff/balance-reports, aging-reports,
 * customer-reports), as the address carries them. A value that cannot be used is named beside its
 * field and left out (the page answers 422 with the form as typed, as the payment history does); the
 * rest applies. The period is a preset (this month, last month, this year) or typed days, both
 * included; without either, this month.
 */
export const reportPeriodPresets = ['month', 'lastMonth', 'year'] as const;
export type ReportPeriodPreset = (typeof reportPeriodPresets)[number];

type Parsed<Filter, Field extends string> = { filter: Filter; values: Record<Field, string>; errors: Record<string, FieldError>; parameters: Record<string, string> };

const textOf = (value: unknown, length = 40) => (typeof value === 'string' ? value.trim().slice(0, length) : '');

/** The days of a preset on `today` (the tenant's calendar day). */
export function periodOfPreset(preset: ReportPeriodPreset, today: string): ReportPeriod {
  const [year, month] = today.split('-').map(Number) as [number, number];
  const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
  const monthPeriod = (y: number, m: number) => ({ from: `${y}-${String(m).padStart(2, '0')}-01`, to: `${y}-${String(m).padStart(2, '0')}-${lastDay(y, m)}` });
  if (preset === 'year') return { from: `${year}-01-01`, to: `${year}-12-31` };
  if (preset === 'lastMonth') return month === 1 ? monthPeriod(year - 1, 12) : monthPeriod(year, month - 1);
  return monthPeriod(year, month);
}

/** The period of a report: typed days win over a preset; a day typed alone keeps the preset's other end. */
export function reportPeriodFrom(query: Record<string, unknown>, today: string): Parsed<ReportPeriod & { preset: ReportPeriodPreset | null }, 'period' | 'from' | 'to'> {
  const values = { period: textOf(query.period), from: textOf(query.from), to: textOf(query.to) };
  const errors: Record<string, FieldError> = {};
  const preset = (reportPeriodPresets as readonly string[]).includes(values.period) ? (values.period as ReportPeriodPreset) : null;
  if (values.period && !preset) errors.period = { key: 'reports:filters.periodInvalid' };
  const base = periodOfPreset(preset ?? 'month', today);
  const typed: Partial<ReportPeriod> = {};
  for (const field of ['from', 'to'] as const) {
    if (!values[field]) continue;
    if (isCalendarDate(values[field])) typed[field] = values[field];
    else errors[field] = { key: 'reports:filters.dateInvalid' };
  }
  let period = { from: typed.from ?? base.from, to: typed.to ?? base.to };
  if (period.from > period.to) {
    errors.to = { key: 'reports:filters.periodReversed' };
    period = base;
  }
  const isTyped = Boolean(typed.from || typed.to) && !errors.to;
  const parameters: Record<string, string> = isTyped ? { from: period.from, to: period.to } : preset && preset !== 'month' ? { period: preset } : {};
  return { filter: { ...period, preset: isTyped ? null : (preset ?? 'month') }, values, errors, parameters };
}

/** Customer name, caretaker and "only with overdue" of a report. */
function customerFilterFrom(query: Record<string, unknown>, errors: Record<string, FieldError>) {
  const values = { customer: textOf(query.customer, 100), caretaker: textOf(query.caretaker), overdue: query.overdue === '1' ? '1' : '' };
  let caretaker: ReportCustomerFilter['caretaker'] = 'all';
  if (values.caretaker === 'none') caretaker = 'none';
  else if (/^\d{1,9}$/.test(values.caretaker)) caretaker = Number(values.caretaker);
  else if (values.caretaker && values.caretaker !== 'all') errors.caretaker = { key: 'reports:filters.caretakerInvalid' };
  const filter: ReportCustomerFilter = { search: values.customer, caretaker, isOnlyOverdue: values.overdue === '1' };
  const parameters: Record<string, string> = {};
  if (filter.search) parameters.customer = filter.search;
  if (caretaker !== 'all') parameters.caretaker = String(caretaker);
  if (filter.isOnlyOverdue) parameters.overdue = '1';
  return { filter, values, parameters };
}

function sortFrom<Sort extends string>(value: unknown, sorts: readonly Sort[], errors: Record<string, FieldError>): Sort {
  const text = textOf(value);
  if ((sorts as readonly string[]).includes(text)) return text as Sort;
  if (text) errors.sort = { key: 'reports:filters.sortInvalid' };
  return sorts[0]!;
}

export type BalanceReportFilter = ReportCustomerFilter & ReportPeriod & { preset: ReportPeriodPreset | null; sort: BalanceReportSort };

/** The arrears and payments report's filter. */
export function balanceReportFilterFrom(query: Record<string, unknown>, today: string): Parsed<BalanceReportFilter, 'period' | 'from' | 'to' | 'customer' | 'caretaker' | 'overdue' | 'sort'> {
  const period = reportPeriodFrom(query, today);
  const errors = { ...period.errors };
  const customers = customerFilterFrom(query, errors);
  const sort = sortFrom(query.sort, balanceReportSorts, errors);
  const parameters = { ...period.parameters, ...customers.parameters, ...(sort !== balanceReportSorts[0] ? { sort } : {}) };
  return { filter: { ...period.filter, ...customers.filter, sort }, values: { ...period.values, ...customers.values, sort }, errors, parameters };
}

export type AgingReportFilter = ReportCustomerFilter & { day: string; sort: AgingReportSort };

/** The aging's filter: the day (today unless typed), customers, sort. */
export function agingReportFilterFrom(query: Record<string, unknown>, today: string): Parsed<AgingReportFilter, 'day' | 'customer' | 'caretaker' | 'overdue' | 'sort'> {
  const errors: Record<string, FieldError> = {};
  const typedDay = textOf(query.day);
  let day = today;
  if (typedDay && isCalendarDate(typedDay)) day = typedDay;
  else if (typedDay) errors.day = { key: 'reports:filters.dateInvalid' };
  const customers = customerFilterFrom(query, errors);
  const sort = sortFrom(query.sort, agingReportSorts, errors);
  const parameters = { ...(day !== today ? { day } : {}), ...customers.parameters, ...(sort !== agingReportSorts[0] ? { sort } : {}) };
  return { filter: { day, ...customers.filter, sort }, values: { day: typedDay || today, ...customers.values, sort }, errors, parameters };
}
