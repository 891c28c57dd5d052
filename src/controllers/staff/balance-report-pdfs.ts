import type { Request, Response } from 'express';
import { tenantOf } from '../../middleware/context.js';
import { balanceReportBatches, balanceReportTotals } from '../../models/balance-report.js';
import { recordReportExport } from '../../models/receivables.js';
import { reportWriterOf, sendReportPdf } from '../../presenters/report-exports.js';
import { balanceReportColumns, shownValue } from '../../presenters/report-tables.js';
import { balanceReportFilterFrom } from '../../validators/report-filter.js';
import { caretakerChoicesOf, customerFilterParts, reportContextOf } from './_report-page.js';

/** GET /:tenant/staff/reports/balances.pdf: the report of the page's filter as a PDF (M5), with the provider, the period and the totals. */
export async function index(req: Request, res: Response): Promise<void> {
  const context = reportContextOf(req);
  const { filter } = balanceReportFilterFrom(req.query as Record<string, unknown>, context.today);
  const query = { ...filter, today: context.today };
  const [totals, caretakers] = await Promise.all([balanceReportTotals(context.scope, query), caretakerChoicesOf(context)]);
  await recordReportExport(context.scope, { report: 'balances', format: 'pdf', from: filter.from, to: filter.to });
  const writer = reportWriterOf(req, res);
  const t = res.locals.t;
  const amounts = [totals.opening, totals.charges, totals.payments, totals.credits, totals.closing, totals.overdue].map((amount) => shownValue({ amount }, writer));
  await sendReportPdf(req, res, {
    name: `${t('reports:balances.fileName')}-${filter.from}-${filter.to}`,
    title: t('reports:balances.heading'),
    lines: [
      [t('reports:pdf.provider'), tenantOf(req).name],
      [t('reports:pdf.period'), t('reports:periodText', { from: writer.formatDate(filter.from), to: writer.formatDate(filter.to) })],
      [t('reports:pdf.overdueOn'), writer.formatDate(context.today)],
      [t('reports:pdf.filter'), customerFilterParts(filter, caretakers).map((part) => writer.textOf(part)).join('; ') || null],
      [t('reports:pdf.customers'), String(totals.customers)],
    ],
    columns: balanceReportColumns,
    batches: balanceReportBatches(context.scope, query),
    totals: [t('reports:totals', { count: totals.customers }), '', '', ...amounts],
    emptyText: t('reports:balances.empty'),
    truncatedText: (shown) => t('reports:pdf.truncated', { shown, total: totals.customers }),
  });
}
