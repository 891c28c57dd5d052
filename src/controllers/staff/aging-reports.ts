import type { Request, Response } from 'express';
import { pageFrom } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { tenantOf } from '../../middleware/context.js';
import { listAgingReport } from '../../models/aging-report.js';
import { agingChartOf } from '../../presenters/aging-chart.js';
import { choicesOf } from '../../presenters/presentation.js';
import { agingReportColumns, reportChoiceLabels } from '../../presenters/report-tables.js';
import { agingReportFilterFrom } from '../../validators/report-filter.js';
import { caretakerChoicesOf, reportContextOf } from './_report-page.js';

const perPage = 50;

/**
 * GET /:tenant/staff/reports/aging: what each customer still has to pay on a day (today unless
 * chosen), by how long it is overdue (M9), the totals per bucket of every customer the filter keeps
 * and their chart (SVG, no script).
 */
export async function index(req: Request, res: Response): Promise<void> {
  const context = reportContextOf(req);
  const { filter, values, errors, parameters } = agingReportFilterFrom(req.query as Record<string, unknown>, context.today);
  const [report, caretakers] = await Promise.all([listAgingReport(context.scope, filter, pageFrom(req.query.page, perPage)), caretakerChoicesOf(context)]);
  renderPage(
    res,
    'staff/aging-reports/index',
    {
      title: res.locals.t('reports:aging.title'),
      ...report,
      columns: agingReportColumns,
      chart: agingChartOf(report.totals.buckets, tenantOf(req).currency, req.locale),
      filter,
      values,
      errors,
      parameters,
      choices: { caretaker: caretakers, sort: choicesOf(reportChoiceLabels.agingSort) },
    },
    Object.keys(errors).length > 0 ? 422 : 200,
  );
}
