import { isCalendarDate } from '../lib/time.js';
import { isReportId, portletDefinition, portletIds, reportColumns, reportSorts, type PortletChoice, type PortletId } from '../models/portlet-registry.js';
import { periodKinds } from '../models/report-period.js';
import type { FieldError, FormResult } from './form.js';

/**
 * views/admin/group-portlets/edit.ejs: whether the group has portlets of its own (`mode`: inherit or
 * own) and, for each portlet of the registry, `shown_<id>` (a checkbox), `position_<id>` (its place,
 * 1 to the number of portlets) and its settings: `limit_<id>` (rows, 1–20) for a list; for a report
 * also `period_<id>` (thisMonth, lastMonths with `months_<id>`, thisYear, range with `from_<id>` and
 * `to_<id>`), `column_<id>_<column>` (checkboxes, at least one) and `sort_<id>`. The places of the
 * shown portlets must differ; the hidden ones' values are not checked.
 */
export const groupPortletFields = [
  'mode',
  ...portletIds.flatMap((id) => [`shown_${id}`, `position_${id}`, `limit_${id}`]),
  ...(Object.keys(reportColumns) as Array<keyof typeof reportColumns>).flatMap((id) => [`period_${id}`, `months_${id}`, `from_${id}`, `to_${id}`, `sort_${id}`, ...reportColumns[id].map((column) => `column_${id}_${column}`)]),
];

type Text = (name: string) => string;
const wholeNumber = (value: string): number | string => (/^-?\d{1,4}$/.test(value) ? Number(value) : value);

/** A report's settings as typed, with the message of each field that is wrong. */
function reportSettingsOf(id: keyof typeof reportColumns, text: Text, errors: Record<string, FieldError>): Record<string, unknown> {
  const kind = text(`period_${id}`);
  let period: Record<string, unknown> = { kind };
  if (!(periodKinds as readonly string[]).includes(kind)) errors[`period_${id}`] = { key: 'portlets:errors.period' };
  if (kind === 'lastMonths') {
    const months = wholeNumber(text(`months_${id}`));
    if (typeof months !== 'number' || months < 1 || months > 36) errors[`months_${id}`] = { key: 'portlets:errors.months' };
    period = { kind, months };
  }
  if (kind === 'range') {
    const [from, to] = [text(`from_${id}`), text(`to_${id}`)];
    if (!isCalendarDate(from)) errors[`from_${id}`] = { key: 'portlets:errors.date' };
    if (!isCalendarDate(to)) errors[`to_${id}`] = { key: 'portlets:errors.date' };
    else if (isCalendarDate(from) && to < from) errors[`to_${id}`] = { key: 'portlets:errors.rangeBackwards' };
    period = { kind, from, to };
  }
  const columns = reportColumns[id].filter((column) => text(`column_${id}_${column}`) === 'on');
  if (columns.length === 0) errors[`columns_${id}`] = { key: 'portlets:errors.columns' };
  const sort = text(`sort_${id}`);
  if (!(reportSorts[id] as readonly string[]).includes(sort)) errors[`sort_${id}`] = { key: 'portlets:errors.sort' };
  return { period, columns, limit: wholeNumber(text(`limit_${id}`)), sort };
}

export function parseGroupPortlets(body: unknown): FormResult<PortletChoice[] | null> {
  const source = (body ?? {}) as Record<string, unknown>;
  const text: Text = (name) => (typeof source[name] === 'string' ? String(source[name]).trim() : '');
  if (text('mode') !== 'own') return text('mode') === 'inherit' ? { ok: true, data: null } : { ok: false, errors: { mode: { key: 'validation:required' } } };
  const errors: Record<string, FieldError> = {};
  const chosen: Array<{ id: PortletId; position: number; settings: Record<string, unknown> }> = [];
  const places = new Map<number, PortletId>();
  for (const id of portletIds) {
    if (text(`shown_${id}`) !== 'on') continue;
    const position = /^\d{1,3}$/.test(text(`position_${id}`)) ? Number(text(`position_${id}`)) : NaN;
    if (!(position >= 1 && position <= portletIds.length)) errors[`position_${id}`] = { key: 'portlets:errors.position', values: { count: portletIds.length } };
    else if (places.has(position)) errors[`position_${id}`] = { key: 'portlets:errors.positionTaken' };
    else places.set(position, id);
    const definition = portletDefinition(id);
    const settings: Record<string, unknown> = isReportId(id) ? reportSettingsOf(id, text, errors) : definition.isConfigurable ? { limit: wholeNumber(text(`limit_${id}`)) } : {};
    const parsed = definition.settings.safeParse(settings);
    if (!parsed.success) {
      // The schema is the last word; a field the checks above let through is named by the schema's path.
      if (parsed.error.issues.some((issue) => issue.path[0] === 'limit')) errors[`limit_${id}`] = { key: 'portlets:errors.limit' };
      if (!Object.keys(errors).some((field) => field.endsWith(`_${id}`) || field.includes(`_${id}_`))) errors[`position_${id}`] ??= { key: 'portlets:errors.settings' };
    } else chosen.push({ id, position, settings: parsed.data });
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, data: chosen.sort((a, b) => a.position - b.position).map(({ id, settings }) => ({ id, settings })) };
}
