import type { Request, Response } from 'express';
import { pageFrom } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { listBalanceReport } from '../../models/balance-report.js';
import { choicesOf } from '../../presenters/presentation.js';
import { balanceReportColumns, reportChoiceLabels } from '../../presenters/report-tables.js';
import { balanceReportFilterFrom } from '../../validators/report-filter.js';
import { caretakerChoicesOf, reportContextOf } from './_report-page.js';

const perPage = 50;

/**
 * GET /:tenant/staff/reports/balances: arrears and payments per customer over a period (M5), with
 * the totals of every customer the filter keeps; admins see all customers, a caretaker their own.
 * A filter value that cannot be used answers 422 with the form as typed; the rest applies.
 */
export async function index(req: Request, res: Response): Promise<void> {
  const context = reportContextOf(req);
  const { filter, values, errors, parameters } = balanceReportFilterFrom(req.query as Record<string, unknown>, context.today);
  const [report, caretakers] = await Promise.all([listBalanceReport(context.scope, { ...filter, today: context.today }, pageFrom(req.query.page, perPage)), caretakerChoicesOf(context)]);
  renderPage(
    res,
    'staff/balance-reports/index',
    {
      title: res.locals.t('reports:balances.title'),
      ...report,
      columns: balanceReportColumns,
      filter,
      values,
      errors,
      parameters,
      today: context.today,
      choices: {
        period: choicesOf(reportChoiceLabels.period),
        caretaker: caretakers,
        sort: choicesOf(reportChoiceLabels.balanceSort),
      },
    },
    Object.keys(errors).length > 0 ? 422 : 200,
  );
}
