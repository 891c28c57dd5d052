import type { Request, Response } from 'express';
import { balanceReportBatches } from '../../models/balance-report.js';
import { recordReportExport } from '../../models/receivables.js';
import { sendReportCsv } from '../../presenters/report-exports.js';
import { balanceReportColumns } from '../../presenters/report-tables.js';
import { balanceReportFilterFrom } from '../../validators/report-filter.js';
import { reportContextOf } from './_report-page.js';

/**
 * GET /:tenant/staff/reports/balances.csv: every row the page's filter keeps (M5), streamed in
 * batches by customer name; the export is put on record before the first line.
 */
export async function index(req: Request, res: Response): Promise<void> {
  const context = reportContextOf(req);
  const { filter } = balanceReportFilterFrom(req.query as Record<string, unknown>, context.today);
  await recordReportExport(context.scope, { report: 'balances', format: 'csv', from: filter.from, to: filter.to });
  const name = `${res.locals.t('reports:balances.fileName')}-${filter.from}-${filter.to}`;
  await sendReportCsv(req, res, { name, columns: balanceReportColumns, batches: balanceReportBatches(context.scope, { ...filter, today: context.today }) });
}
