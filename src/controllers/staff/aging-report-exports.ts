import type { Request, Response } from 'express';
import { agingReportBatches } from '../../models/aging-report.js';
import { recordReportExport } from '../../models/receivables.js';
import { sendReportCsv } from '../../presenters/report-exports.js';
import { agingReportColumns } from '../../presenters/report-tables.js';
import { agingReportFilterFrom } from '../../validators/report-filter.js';
import { reportContextOf } from './_report-page.js';

/** GET /:tenant/staff/reports/aging.csv: every customer the page's filter keeps, with its buckets (M9), streamed in batches by name. */
export async function index(req: Request, res: Response): Promise<void> {
  const context = reportContextOf(req);
  const { filter } = agingReportFilterFrom(req.query as Record<string, unknown>, context.today);
  await recordReportExport(context.scope, { report: 'aging', format: 'csv', day: filter.day });
  await sendReportCsv(req, res, { name: `${res.locals.t('reports:aging.fileName')}-${filter.day}`, columns: agingReportColumns, batches: agingReportBatches(context.scope, filter) });
}
