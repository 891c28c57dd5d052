import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { listDocuments } from '../../models/document.js';
import { can } from '../../policies/customer.js';
import { presentDocuments } from '../../presenters/documents.js';

const perPage = 25;

/** GET /:tenant/staff/customers/:customerId/documents: the Documents tab of a customer record (T6). */
export async function index(req: Request, res: Response): Promise<void> {
  const customer = loaded(req, 'customer');
  const scope = scopeOf(req);
  const page = pageFrom(req.query.page, perPage);
  const { documents, total } = await listDocuments(scope, customer.id, page);
  renderPage(res, 'staff/customer-documents/index', {
    title: res.locals.t('documents:staff.title', { customer: customer.name }),
    customer,
    activeTab: 'documents',
    canManageAccounts: can(scope.actor, 'manageAccounts', customer),
    documents: presentDocuments(documents, req.locale),
    pagination: paginate(page, total),
  });
}
