import type { Request, Response } from 'express';
import { loaded } from '../../middleware/loaders.js';
import { customerReportBatches, customerReportSummary } from '../../models/customer-report.js';
import { recordReportExport } from '../../models/receivables.js';
import { sendReportCsv } from '../../presenters/report-exports.js';
import { customerReportColumns } from '../../presenters/report-tables.js';
import { reportPeriodFrom } from '../../validators/report-filter.js';
import { reportContextOf } from './_report-page.js';

/** GET /:tenant/staff/customers/:customerId/report.csv: the customer's entries of the period with the running balance (M5), in batches. */
export async function index(req: Request, res: Response): Promise<void> {
  const context = reportContextOf(req);
  const customer = loaded(req, 'customer');
  const { filter } = reportPeriodFrom(req.query as Record<string, unknown>, context.today);
  const summary = await customerReportSummary(context.scope, customer.id, filter);
  await recordReportExport(context.scope, { report: 'customer', format: 'csv', customerId: customer.id, from: filter.from, to: filter.to });
  const name = `${res.locals.t('reports:customer.fileName')}-${customer.id}-${filter.from}-${filter.to}`;
  await sendReportCsv(req, res, { name, columns: customerReportColumns, batches: customerReportBatches(context.scope, customer.id, filter, summary.opening) });
}
