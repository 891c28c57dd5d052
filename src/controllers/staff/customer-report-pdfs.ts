import type { Request, Response } from 'express';
import { loaded } from '../../middleware/loaders.js';
import { tenantOf } from '../../middleware/context.js';
import { customerReportBatches, customerReportSummary } from '../../models/customer-report.js';
import { recordReportExport } from '../../models/receivables.js';
import { reportWriterOf, sendReportPdf } from '../../presenters/report-exports.js';
import { customerReportColumns, shownValue } from '../../presenters/report-tables.js';
import { reportPeriodFrom } from '../../validators/report-filter.js';
import { reportContextOf } from './_report-page.js';

/** GET /:tenant/staff/customers/:customerId/report.pdf: the customer's report as a PDF (M5): the provider, the customer, the period, the entries and the balances. */
export async function index(req: Request, res: Response): Promise<void> {
  const context = reportContextOf(req);
  const customer = loaded(req, 'customer');
  const { filter } = reportPeriodFrom(req.query as Record<string, unknown>, context.today);
  const summary = await customerReportSummary(context.scope, customer.id, filter);
  await recordReportExport(context.scope, { report: 'customer', format: 'pdf', customerId: customer.id, from: filter.from, to: filter.to });
  const writer = reportWriterOf(req, res);
  const t = res.locals.t;
  const money = (amount: typeof summary.opening) => shownValue({ amount }, writer);
  await sendReportPdf(req, res, {
    name: `${t('reports:customer.fileName')}-${customer.id}-${filter.from}-${filter.to}`,
    title: t('reports:customer.heading', { name: customer.name }),
    lines: [
      [t('reports:pdf.provider'), tenantOf(req).name],
      [t('reports:pdf.customer'), customer.name],
      [t('reports:pdf.period'), t('reports:periodText', { from: writer.formatDate(filter.from), to: writer.formatDate(filter.to) })],
      [t('reports:column.opening'), money(summary.opening)],
    ],
    columns: customerReportColumns,
    batches: customerReportBatches(context.scope, customer.id, filter, summary.opening),
    totals: [t('reports:customer.closingRow'), '', '', '', money({ ...summary.charges }), money({ minor: summary.payments.minor + summary.credits.minor, currency: summary.payments.currency }), money(summary.closing)],
    emptyText: t('reports:customer.empty'),
    truncatedText: (shown) => t('reports:pdf.truncatedEntries', { shown }),
  });
}
