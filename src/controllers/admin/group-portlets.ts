import type { Request, Response } from 'express';
import { renderPage } from '../../lib/render.js';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { configureGroupPortlets, findGroupPortlets } from '../../models/portlet-configuration.js';
import { isReportId, portletDefinition, portletIds, reportColumns, reportSorts, type PortletChoice } from '../../models/portlet-registry.js';
import { periodKinds } from '../../models/report-period.js';
import type { FieldError } from '../../validators/form.js';
import { formValues } from '../../validators/form.js';
import { groupPortletFields, parseGroupPortlets } from '../../validators/group-portlets.js';

/** The form's values of a list of portlets: the shown ones at their places, the others after them, unticked. */
function valuesOf(portlets: PortletChoice[], mode: 'inherit' | 'own'): Record<string, string> {
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

async function renderForm(req: Request, res: Response, status: number, submitted?: { values: Record<string, string>; errors: Record<string, FieldError> }): Promise<void> {
  const group = loaded(req, 'group');
  const portlets = await findGroupPortlets(scopeOf(req), group.id);
  const values = submitted?.values ?? valuesOf(portlets.own ?? portlets.inherited, portlets.own ? 'own' : 'inherit');
  // The rows in the order of their places as typed, so a refused form comes back as it was sent.
  const rows = [...portletIds]
    .sort((a, b) => Number(values[`position_${a}`] || 99) - Number(values[`position_${b}`] || 99))
    .map((id) => ({ id, label: portletDefinition(id).label, isConfigurable: portletDefinition(id).isConfigurable, report: isReportId(id) ? { columns: reportColumns[id], sorts: reportSorts[id] } : null }));
  renderPage(res, 'admin/group-portlets/edit', {
    title: res.locals.t('portlets:group.title', { name: group.name }),
    group,
    rows,
    inherited: portlets.inherited.map((choice) => portletDefinition(choice.id).label),
    inheritsFrom: portlets.inheritsFrom,
    count: portletIds.length,
    periodKinds,
    values,
    errors: submitted?.errors ?? {},
  }, status);
}

/** GET /:tenant/admin/groups/:groupId/portlets: which portlets the group's members see on their start page, in which order, set up how (P1, P2). */
export async function edit(req: Request, res: Response): Promise<void> {
  await renderForm(req, res, 200);
}

/** POST /:tenant/admin/groups/:groupId/portlets: saves the group's portlets, or lets it inherit again; bad places or limits are 422 with the form as sent. */
export async function update(req: Request, res: Response): Promise<void> {
  const group = loaded(req, 'group');
  const values = formValues(req.body, groupPortletFields);
  const form = parseGroupPortlets(req.body);
  if (!form.ok) return renderForm(req, res, 422, { values, errors: form.errors });
  await configureGroupPortlets(scopeOf(req), group.id, form.data);
  setFlash(req, 'success', 'portlets:group.saved');
  res.redirect(303, req.pathTo('admin.groupPortlets.edit', { groupId: group.id }));
}
