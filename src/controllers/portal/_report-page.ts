import type { Request, Response } from 'express';
import { csvLine, csvNumber, csvStart, type CsvValue } from '../../lib/csv.js';
import { ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { attachmentDisposition } from '../../lib/file-names.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { createPdf, heading, labelledLines, pdfBytes, table } from '../../lib/pdf.js';
import { renderPage } from '../../lib/render.js';
import { calendarDateIn } from '../../lib/time.js';
import { currentUserOf, scopeOf, tenantOf } from '../../middleware/context.js';
import { readClientReport, type ReportRow } from '../../models/client-reports.js';
import { portletsInForce } from '../../models/portlet-configuration.js';
import { portletDefinition, reportColumns, type ReportId } from '../../models/portlet-registry.js';
import { periodRange, type ReportPeriod } from '../../models/report-period.js';
import { csvCellValue, isMoneyColumn, periodName, periodText, type ReportReader, reportRoutes, rowTexts } from '../../presenters/client-reports.js';

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

/** The reader of a report: the request's words and language, the tenant's time zone. */
function readerOf(req: Request, res: Response): ReportReader {
  return { t: res.locals.t, locale: req.locale, timeZone: tenantOf(req).timeZone };
}


/**
 * A report of the client's company with its group's settings (P2, P4): the period, the columns, the
 * order, every row a page at a time, and its CSV and PDF. A report the group does not have is 403 (P3).
 */
export async function renderReport(req: Request, res: Response, id: ReportId): Promise<void> {
  const report = await reportInForce(req, id);
  const reader = readerOf(req, res);
  const page = pageFrom(req.query.page, perPage);
  const { rows, total } = await readClientReport(scopeOf(req), report.id, currentUserOf(req).customerId!, { range: report.range, sort: report.sort, page });
  renderPage(res, 'portal/reports/show', {
    title: res.locals.t(report.label),
    report: { id: report.id, label: report.label, periodName: periodName(report.period, res.locals.t), periodText: periodText(report.range, reader), routes: reportRoutes(report.id) },
    columns: report.columns.map((column) => ({ label: `portlets:columns.${report.id}.${column}`, isMoney: isMoneyColumn(report.id, column) })),
    rows: rows.map((row) => rowTexts(row, report.columns, reader)),
    pagination: paginate(page, total),
  });
}

/** Rows read at a time: the CSV of a long period is written as it is read, in bounded memory. */
const batchSize = 500;

/**
 * The whole report of the period as CSV (P4), with the columns of the group's settings, written as
 * it is read (bounded memory). Polish readers get semicolons and decimal commas, as their
 * spreadsheets expect; cells that a spreadsheet would run as a formula are written as text.
 */
export async function sendReportCsv(req: Request, res: Response, id: ReportId): Promise<void> {
  const report = await reportInForce(req, id);
  const reader = readerOf(req, res);
  const isPolish = reader.locale === 'pl';
  const separator = isPolish ? ';' : ',';
  // An amount is a number cell in the reader's notation (a negative balance must stay a number, never
  // formula-escaped text); everything else is text, escaped where a spreadsheet would run it.
  const cell = (value: string, isMoney: boolean): CsvValue => (isMoney && value !== '' ? csvNumber(isPolish ? value.replace('.', ',') : value) : value);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', attachmentDisposition(`${res.locals.t(`portlets:fileNames.${report.id}`)}-${report.range.from}-${report.range.to}.csv`));
  res.write(csvStart + csvLine(report.columns.map((column) => String(res.locals.t(`portlets:columns.${report.id}.${column}`))), separator));
  for (let offset = 0; ; offset += batchSize) {
    const { rows } = await readClientReport(scopeOf(req), report.id, currentUserOf(req).customerId!, { range: report.range, sort: report.sort, page: { page: offset / batchSize + 1, perPage: batchSize, offset } });
    res.write(rows.map((row) => csvLine(report.columns.map((column) => cell(csvCellValue(row.cells[column]!, reader), isMoneyColumn(id, column))), separator)).join(''));
    if (rows.length < batchSize) break;
  }
  res.end();
}

/** The most rows a PDF holds; a longer period is for the CSV, and the PDF says so. */
const pdfRowLimit = 2000;

/** The report of the period as a printable PDF (P4), Polish letters included. */
export async function sendReportPdf(req: Request, res: Response, id: ReportId): Promise<void> {
  const report = await reportInForce(req, id);
  const reader = readerOf(req, res);
  const { t } = res.locals;
  const { rows, total } = await readClientReport(scopeOf(req), report.id, currentUserOf(req).customerId!, { range: report.range, sort: report.sort, page: { page: 1, perPage: pdfRowLimit, offset: 0 } });
  const title = String(t(report.label));
  const document = createPdf({ title, language: reader.locale, createdAt: scopeOf(req).now(), author: tenantOf(req).name });
  heading(document, title, 16);
  labelledLines(document, [
    [String(t('portlets:report.provider')), tenantOf(req).name],
    [String(t('portlets:report.period')), periodText(report.range, reader)],
    [String(t('portlets:report.rows')), String(total)],
  ]);
  const share = 1 / report.columns.length;
  table(
    document,
    report.columns.map((column) => ({ header: String(t(`portlets:columns.${report.id}.${column}`)), share, align: isMoneyColumn(report.id, column) ? 'right' : 'left' })),
    rows.length > 0 ? rows.map((row: ReportRow) => ({ cells: rowTexts(row, report.columns, reader) })) : [{ cells: [String(t('portlets:report.empty')), ...report.columns.slice(1).map(() => '')] }],
  );
  if (total > rows.length) document.text(String(t('portlets:report.truncated', { shown: rows.length, count: total })));
  res.type('application/pdf').setHeader('Content-Disposition', attachmentDisposition(`${t(`portlets:fileNames.${report.id}`)}-${report.range.from}-${report.range.to}.pdf`));
  res.send(await pdfBytes(document));
}
