import type { Request, Response } from 'express';
import { renderPage } from '../../lib/render.js';
import type { Group } from '../../models/group.js';
import type { PortletSet } from '../../models/portlet-configuration.js';
import { isReportId, portletDefinition, portletIds, reportColumns, reportSorts, type PortletChoice } from '../../models/portlet-registry.js';
import { periodKinds } from '../../models/report-period.js';
import type { FieldError } from '../../validators/form.js';

/** Whose portlets the form sets: a group's (P1), or the tenant's default for groups without their own. */
export type PortletTarget = { kind: 'group'; group: Group } | { kind: 'tenant' };

/** The form's values of a list of portlets: the shown ones at their places, the others after them, unticked. */
export function valuesOf(portlets: PortletChoice[], mode: 'inherit' | 'own'): Record<string, string> {
  const values: Record<string, string> = { mode };
  const order = [...portlets.map((choice) => choice.id), ...portletIds.filter((id) => !portlets.some((choice) => choice.id === id))];
  order.forEach((id, index) => {
    const choice = portlets.find((each) => each.id === id);
    values[`shown_${id}`] = choice ? 'on' : '';
    values[`position_${id}`] = String(index + 1);
    const settings = (choice?.settings ?? portletDefinition(id).defaults) as { limit?: number; period?: Record<string, unknown>; columns?: string[]; sort?: string };
    values[`limit_${id}`] = settings.limit === undefined ? '' : String(settings.limit);
    if (isReportId(id)) {
      const period = settings.period ?? {};
      values[`period_${id}`] = String(period.kind ?? '');
      values[`months_${id}`] = period.months === undefined ? '' : String(period.months);
      values[`from_${id}`] = String(period.from ?? '');
      values[`to_${id}`] = String(period.to ?? '');
      values[`sort_${id}`] = settings.sort ?? '';
      for (const column of reportColumns[id]) values[`column_${id}_${column}`] = settings.columns?.includes(column) ? 'on' : '';
    }
  });
  return values;
}

/**
 * The form of a set of portlets: whether the target has its own set and, for each portlet, whether it
 * is shown, its place and its settings; with `submitted`, a refused form as it was sent (422).
 */
export function renderPortletForm(req: Request, res: Response, target: PortletTarget, portlets: PortletSet, status: number, submitted?: { values: Record<string, string>; errors: Record<string, FieldError> }): void {
  const values = submitted?.values ?? valuesOf(portlets.own ?? portlets.inherited, portlets.own ? 'own' : 'inherit');
  // The rows in the order of their places as typed, so a refused form comes back as it was sent.
  const rows = [...portletIds]
    .sort((a, b) => Number(values[`position_${a}`] || 99) - Number(values[`position_${b}`] || 99))
    .map((id) => ({ id, label: portletDefinition(id).label, isConfigurable: portletDefinition(id).isConfigurable, report: isReportId(id) ? { columns: reportColumns[id], sorts: reportSorts[id] } : null }));
  const isGroup = target.kind === 'group';
  renderPage(res, 'admin/group-portlets/edit', {
    title: isGroup ? res.locals.t('portlets:group.title', { name: target.group.name }) : res.locals.t('portlets:defaults.title'),
    heading: isGroup ? res.locals.t('portlets:group.heading', { name: target.group.name }) : res.locals.t('portlets:defaults.heading'),
    lead: isGroup ? res.locals.t('portlets:group.lead') : res.locals.t('portlets:defaults.lead'),
    back: isGroup ? { href: req.pathTo('admin.groups.edit', { groupId: target.group.id }), text: res.locals.t('portlets:group.cancel') } : { href: req.pathTo('admin.dashboards.show'), text: res.locals.t('portlets:defaults.back') },
    action: isGroup ? req.pathTo('admin.groupPortlets.update', { groupId: target.group.id }) : req.pathTo('admin.portletDefaults.update'),
    ownLabel: isGroup ? res.locals.t('portlets:group.own') : res.locals.t('portlets:defaults.own'),
    rows,
    inherited: portlets.inherited.map((choice) => portletDefinition(choice.id).label),
    inheritKey: !isGroup ? 'portlets:defaults.inherit' : portlets.inheritsFrom === 'tenant' ? 'portlets:group.inheritTenant' : 'portlets:group.inheritDefault',
    count: portletIds.length,
    periodKinds,
    values,
    errors: submitted?.errors ?? {},
  }, status);
}
