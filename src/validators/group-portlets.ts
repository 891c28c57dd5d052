import { portletDefinition, portletIds, type PortletChoice, type PortletId } from '../models/portlet-registry.js';
import type { FieldError, FormResult } from './form.js';

/**
 * views/admin/group-portlets/edit.ejs: whether the group has portlets of its own (`mode`: inherit or
 * own) and, for each portlet of the registry, `shown_<id>` (a checkbox), `position_<id>` (its place,
 * 1 to the number of portlets) and, for a configurable one, its settings (`limit_<id>`: rows, 1–20).
 * The places of the shown portlets must differ; the hidden ones' values are not checked.
 */
export const groupPortletFields = ['mode', ...portletIds.flatMap((id) => [`shown_${id}`, `position_${id}`, `limit_${id}`])];

export function parseGroupPortlets(body: unknown): FormResult<PortletChoice[] | null> {
  const source = (body ?? {}) as Record<string, unknown>;
  const text = (name: string) => (typeof source[name] === 'string' ? String(source[name]).trim() : '');
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
    const settings: Record<string, unknown> = definition.isConfigurable ? { limit: /^\d{1,3}$/.test(text(`limit_${id}`)) ? Number(text(`limit_${id}`)) : text(`limit_${id}`) } : {};
    const parsed = definition.settings.safeParse(settings);
    if (!parsed.success) errors[`limit_${id}`] = { key: 'portlets:errors.limit' };
    else chosen.push({ id, position, settings: parsed.data });
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, data: chosen.sort((a, b) => a.position - b.position).map(({ id, settings }) => ({ id, settings })) };
}
