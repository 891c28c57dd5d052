import type { Request, Response } from 'express';
import { ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { calendarDateIn } from '../../lib/time.js';
import { currentUserOf, scopeOf, tenantOf } from '../../middleware/context.js';
import { readClientReport, type ReportRow } from '../../models/client-reports.js';
import { portletsInForce } from '../../models/portlet-configuration.js';
import { portletDefinition, reportColumns, type ReportId } from '../../models/portlet-registry.js';
import { periodRange, type ReportPeriod } from '../../models/report-period.js';
import { clientReportColumns, periodName, periodText, reportRoutes, rowTexts } from '../../presenters/client-reports.js';
import { reportWriterOf, sendReportCsv as sendReportFileCsv, sendReportPdf as sendReportFilePdf } from '../../presenters/report-exports.js';

/** Rows of a report's page. */
const perPage = 25;

/** A report as the client's group has it (P2): its settings and the period's days. */
export type ReportInForce = { id: ReportId; label: string; period: ReportPeriod; range: { from: string; to: string }; columns: string[]; sort: string; limit: number };

/**
 * The report the route names, as the client's group has it. A report the group does not have is
 * refused (P3: 403 on its page, CSV and PDF, not only hidden), before anything of it is read.
 */
async function reportInForce(req: Request, id: ReportId): Promise<ReportInForce> {
  const user = currentUserOf(req);
  if (!user.customerId) throw new NotFoundError('this client account has no customer');
  const choice = (await portletsInForce(scopeOf(req), { customerId: user.customerId, groupId: user.groupId })).find((each) => each.id === id);
  if (!choice) throw new ForbiddenError(`the group does not have the report ${id}`, { messageKey: 'portlets:report.notYours' });
  const settings = choice.settings as { period: ReportPeriod; columns: string[]; sort: string; limit: number };
  const today = calendarDateIn(scopeOf(req).now(), tenantOf(req).timeZone);
  // The columns in the report's own order, whatever order the settings list them in.
  const columns = (reportColumns[id] as readonly string[]).filter((column) => settings.columns.includes(column));
  return { id, label: portletDefinition(id).label, period: settings.period, range: periodRange(settings.period, today), columns, sort: settings.sort, limit: settings.limit };
}

/**
 * A report of the client's company with its group's settings (P2, P4): the period, the columns, the
 * order, every row a page at a time, and its CSV and PDF. A report the group does not have is 403 (P3).
 */
export async function renderReport(req: Request, res: Response, id: ReportId): Promise<void> {
  const report = await reportInForce(req, id);
  const writer = reportWriterOf(req, res);
  const columns = clientReportColumns(report.id, report.columns, tenantOf(req).timeZone);
  const page = pageFrom(req.query.page, perPage);
  const { rows, total } = await readClientReport(scopeOf(req), report.id, currentUserOf(req).customerId!, { range: report.range, sort: report.sort, page });
  renderPage(res, 'portal/reports/show', {
    title: res.locals.t(report.label),
    report: { id: report.id, label: report.label, periodName: periodName(report.period, writer), periodText: periodText(report.range, writer), routes: reportRoutes(report.id) },
    columns: columns.map((column) => ({ label: column.header, isMoney: column.isAmount })),
    rows: rowTexts(rows, columns, writer),
    pagination: paginate(page, total),
  });
}

/** Rows read at a time: the CSV of a long period is written as it is read, in bounded memory. */
const batchSize = 500;

/** Every row of the report's period, a batch at a time, for its CSV and PDF. */
async function* reportBatches(req: Request, report: ReportInForce): AsyncGenerator<ReportRow[]> {
  for (let offset = 0; ; offset += batchSize) {
    const { rows } = await readClientReport(scopeOf(req), report.id, currentUserOf(req).customerId!, { range: report.range, sort: report.sort, page: { page: offset / batchSize + 1, perPage: batchSize, offset } });
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
  }
}

const fileNameOf = (res: Response, report: ReportInForce) => `${res.locals.t(`portlets:fileNames.${report.id}`)}-${report.range.from}-${report.range.to}`;

/** The whole report of the period as CSV (P4), written as the staff's reports are (report-exports.ts). */
export async function sendReportCsv(req: Request, res: Response, id: ReportId): Promise<void> {
  const report = await reportInForce(req, id);
  await sendReportFileCsv(req, res, { name: fileNameOf(res, report), columns: clientReportColumns(report.id, report.columns, tenantOf(req).timeZone), batches: reportBatches(req, report) });
}

/** The report of the period as a printable PDF (P4), written as the staff's reports are (report-exports.ts). */
export async function sendReportPdf(req: Request, res: Response, id: ReportId): Promise<void> {
  const report = await reportInForce(req, id);
  const writer = reportWriterOf(req, res);
  const { t } = res.locals;
  await sendReportFilePdf(req, res, {
    name: fileNameOf(res, report),
    title: String(t(report.label)),
    lines: [
      [String(t('portlets:report.provider')), tenantOf(req).name],
      [String(t('portlets:report.period')), periodText(report.range, writer)],
    ],
    columns: clientReportColumns(report.id, report.columns, tenantOf(req).timeZone),
    batches: reportBatches(req, report),
    emptyText: String(t('portlets:report.empty')),
    truncatedText: (shown) => String(t('portlets:report.truncated', { shown })),
  });
}
