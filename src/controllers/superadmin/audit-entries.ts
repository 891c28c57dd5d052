import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { listAuditEntries } from '../../models/audit-entries.js';

const perPage = 50;

/** GET /:tenant/admin/audit-log: the tenant's audit log, newest first (superadmins, D3). */
export async function index(req: Request, res: Response): Promise<void> {
  const page = pageFrom(req.query.page, perPage);
  const { entries, total } = await listAuditEntries(scopeOf(req), page);
  renderPage(res, 'superadmin/audit-entries/index', {
    title: res.locals.t('admin:auditLog.title'),
    entries,
    pagination: paginate(page, total),
  });
}
