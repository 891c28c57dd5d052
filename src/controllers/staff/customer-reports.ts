import type { Request, Response } from 'express';
import { pageFrom } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { loaded } from '../../middleware/loaders.js';
import { customerReportPage } from '../../models/customer-report.js';
import { can } from '../../policies/customer.js';
import { choicesOf } from '../../presenters/presentation.js';
import { customerReportColumns, reportChoiceLabels } from '../../presenters/report-tables.js';
import { reportPeriodFrom } from '../../validators/report-filter.js';
import { reportContextOf } from './_report-page.js';

const perPage = 100;

/**
 * GET /:tenant/staff/customers/:customerId/report: one customer's entries over a period with the
 * running balance (M5), for admins and its caretaker; a tab of the settlements links here.
 */
export async function index(req: Request, res: Response): Promise<void> {
  const context = reportContextOf(req);
  const customer = loaded(req, 'customer');
  const { filter, values, errors, parameters } = reportPeriodFrom(req.query as Record<string, unknown>, context.today);
  const report = await customerReportPage(context.scope, customer.id, filter, pageFrom(req.query.page, perPage));
  renderPage(
    res,
    'staff/customer-reports/index',
    {
      title: res.locals.t('reports:customer.title', { name: customer.name }),
      customer,
      ...report,
      columns: customerReportColumns,
      filter,
      values,
      errors,
      parameters,
      choices: { period: choicesOf(reportChoiceLabels.period) },
      activeTab: 'ledger',
      canManageAccounts: can(context.scope.actor, 'manageAccounts', customer),
    },
    Object.keys(errors).length > 0 ? 422 : 200,
  );
}
