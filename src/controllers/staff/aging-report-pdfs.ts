import type { Request, Response } from 'express';
import { agingBuckets } from '../../lib/aging.js';
import { tenantOf } from '../../middleware/context.js';
import { agingReportBatches, agingReportTotals } from '../../models/aging-report.js';
import { recordReportExport } from '../../models/receivables.js';
import { reportWriterOf, sendReportPdf } from '../../presenters/report-exports.js';
import { agingReportColumns, shownValue } from '../../presenters/report-tables.js';
import { agingReportFilterFrom } from '../../validators/report-filter.js';
import { caretakerChoicesOf, customerFilterParts, reportContextOf } from './_report-page.js';

/** GET /:tenant/staff/reports/aging.pdf: the aging of the page's filter as a PDF (M9), with the provider, the day and the totals per bucket. */
export async function index(req: Request, res: Response): Promise<void> {
  const context = reportContextOf(req);
  const { filter } = agingReportFilterFrom(req.query as Record<string, unknown>, context.today);
  const [totals, caretakers] = await Promise.all([agingReportTotals(context.scope, filter), caretakerChoicesOf(context)]);
  await recordReportExport(context.scope, { report: 'aging', format: 'pdf', day: filter.day });
  const writer = reportWriterOf(req, res);
  const t = res.locals.t;
  await sendReportPdf(req, res, {
    name: `${t('reports:aging.fileName')}-${filter.day}`,
    title: t('reports:aging.heading'),
    lines: [
      [t('reports:pdf.provider'), tenantOf(req).name],
      [t('reports:pdf.day'), writer.formatDate(filter.day)],
      [t('reports:pdf.filter'), customerFilterParts(filter, caretakers).map((part) => writer.textOf(part)).join('; ') || null],
      [t('reports:pdf.customers'), String(totals.customers)],
    ],
    columns: agingReportColumns,
    batches: agingReportBatches(context.scope, filter),
    totals: [t('reports:totals', { count: totals.customers }), '', '', ...agingBuckets.map((bucket) => shownValue({ amount: totals.buckets[bucket] }, writer)), shownValue({ amount: totals.total }, writer)],
    emptyText: t('reports:aging.empty'),
    truncatedText: (shown) => t('reports:pdf.truncated', { shown, total: totals.customers }),
  });
}
