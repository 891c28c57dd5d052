import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { actionsInAuditLog, listAuditEntries } from '../../models/audit-entries.js';
import { resolveAuditFilter } from '../../models/audit-filters.js';
import { actionChoices, presentAuditEntry, subjectTypeChoices } from '../../presenters/audit-entries.js';
import { auditFilterFrom } from '../../validators/audit-filter.js';

const perPage = 50;

/** GET /:tenant/admin/audit-log: the tenant's audit log, newest first, filtered and paged (superadmins, D3). */
export async function index(req: Request, res: Response): Promise<void> {
  const { filter, values, errors } = auditFilterFrom(req.query as Record<string, unknown>);
  const page = pageFrom(req.query.page, perPage);
  const scope = scopeOf(req);
  const resolved = await resolveAuditFilter(scope, filter, req.tenant!.timeZone);
  const [{ entries, total }, actions] = await Promise.all([listAuditEntries(scope, resolved, page), actionsInAuditLog(scope)]);
  // The address keeps what was typed, so paging and the export see the same filter as the page.
  const query = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
  renderPage(res, 'superadmin/audit-entries/index', {
    title: res.locals.t('admin:auditLog.title'),
    entries: entries.map((entry) => presentAuditEntry(entry, res.locals.textOf)),
    values,
    errors,
    query,
    isFiltered: Object.keys(filter).length > 0,
    choices: { action: actionChoices(actions), subjectType: subjectTypeChoices() },
    pagination: paginate(page, total),
  });
}
