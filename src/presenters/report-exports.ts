import type { Request, Response } from 'express';
import { csvLine, csvStart } from '../lib/csv.js';
import { attachmentDisposition } from '../lib/file-names.js';
import { writeInTurn } from '../lib/streaming.js';
import { createPdf, heading, labelledLines, pdfBytes, table, type PdfRow } from '../lib/pdf.js';
import { scopeOf, tenantOf } from '../middleware/context.js';
import { presentationFor } from './presentation.js';
import { csvValueOf, headersOf, shownValue, type ReportColumn, type ReportWriter } from './report-tables.js';

/**
 * The staff's money reports as files (M5, M9): a CSV streamed batch by batch, and a PDF of the same
 * table with the provider, the period and the totals. Shared by the staff panel's report
 * controllers (and any later audience's).
 */
export function reportWriterOf(req: Request, res: Response): ReportWriter {
  const presentation = presentationFor(res.locals.t, req.locale, tenantOf(req).timeZone);
  return { textOf: presentation.textOf, formatDate: presentation.formatDate, locale: req.locale };
}

/**
 * Sends a report as CSV, as the audit log's export does: a UTF-8 byte order mark, CRLF lines, `;`
 * in Polish files (Excel's list separator there) and `,` in English ones, one line per row, written
 * as each batch arrives; a batch waits while the client has not taken the last one (backpressure),
 * and reading stops when the client goes away.
 */
export async function sendReportCsv<Row>(req: Request, res: Response, file: { name: string; columns: ReadonlyArray<ReportColumn<Row>>; batches: AsyncIterable<Row[]> }): Promise<void> {
  const writer = reportWriterOf(req, res);
  const separator = req.locale === 'pl' ? ';' : ',';
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', attachmentDisposition(`${file.name}.csv`));
  res.write(csvStart + csvLine(headersOf(file.columns, writer), separator));
  for await (const batch of file.batches) {
    const lines = batch.map((row) => csvLine(file.columns.map((column) => csvValueOf(column.value(row), writer)), separator)).join('');
    if (!(await writeInTurn(res, lines))) return;
  }
  res.end();
}

/** At most so many rows go into a PDF: a printout of more is no use, and the CSV has them all. */
export const pdfRowLimit = 2000;

export type ReportPdf<Row> = {
  name: string;
  title: string;
  /** Lines under the title: the provider, the period or day, the filter. */
  lines: ReadonlyArray<readonly [string, string | null]>;
  columns: ReadonlyArray<ReportColumn<Row>>;
  batches: AsyncIterable<Row[]>;
  /** The totals row's cells (the first is its label), or none. */
  totals?: string[];
  /** Said above the table when there are no rows. */
  emptyText: string;
  /** Said under the table when rows were left out (pdfRowLimit), with their number. */
  truncatedText(shown: number): string;
};

/** Sends a report as a PDF across an A4 page, Polish letters embedded (lib/pdf.ts). */
export async function sendReportPdf<Row>(req: Request, res: Response, report: ReportPdf<Row>): Promise<void> {
  const writer = reportWriterOf(req, res);
  const presentation = presentationFor(res.locals.t, req.locale, tenantOf(req).timeZone);
  const rows: PdfRow[] = [];
  let isTruncated = false;
  for await (const batch of report.batches) {
    for (const row of batch) {
      if (rows.length >= pdfRowLimit) isTruncated = true;
      else rows.push({ cells: report.columns.map((column) => shownValue(column.value(row), writer)) });
    }
    if (isTruncated) break;
  }
  const now = scopeOf(req).now();
  const document = createPdf({ title: report.title, language: req.locale, createdAt: now, author: tenantOf(req).name, isLandscape: true });
  heading(document, report.title, 16);
  labelledLines(document, report.lines);
  document.moveDown(0.6);
  if (rows.length === 0) document.fontSize(10).text(report.emptyText).moveDown(0.6);
  else {
    const columns = report.columns.map((column) => ({ header: writer.textOf({ key: column.header }), share: column.share, align: column.isAmount ? ('right' as const) : ('left' as const) }));
    table(document, columns, [...rows, ...(report.totals ? [{ cells: report.totals, isBold: true }] : [])]);
  }
  if (isTruncated) document.fontSize(9).text(report.truncatedText(rows.length)).moveDown(0.6);
  document.moveDown(1).fontSize(8).fillColor('#555555').text(presentation.textOf({ key: 'reports:generated', values: { when: presentation.formatDateTime(now) } }));
  res.type('application/pdf').setHeader('Content-Disposition', attachmentDisposition(`${report.name}.pdf`));
  res.send(await pdfBytes(document));
}
