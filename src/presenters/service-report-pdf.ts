import { formatMoney } from '../lib/money.js';
import { createPdf, heading, labelledLines, pdfBytes, table, type Pdf } from '../lib/pdf.js';
import type { ServiceReport } from '../models/service-report.js';
import { presentPricing } from './pricing.js';
import type { Presentation } from './presentation.js';
import { taxIdText } from './customers.js';
import { assigneeText, categoryText, statusLabels } from './tickets.js';

/** The reader's words and formats: their `t` through the presentation, their language, and the moment the report is made. */
export type ReportReader = { presentation: Presentation; locale: string; now: Date };

/**
 * The service report of a ticket as a PDF in the reader's language (T10, seed 001): the provider and
 * its contact details, the customer, the ticket and its dates, who handled it, the description and
 * the replies (never an internal note: the report has none), then the priced lines and the totals.
 */
export async function serviceReportPdf(report: ServiceReport, reader: ReportReader): Promise<Buffer> {
  const { textOf } = reader.presentation;
  const title = textOf({ key: 'pricing:report.title', values: { number: report.ticket.number } });
  const document = createPdf({ title, language: reader.locale, createdAt: reader.now, author: report.provider.name });
  heading(document, title, 16);
  parties(document, report, reader);
  ticketDetails(document, report, reader);
  conversation(document, report, reader);
  pricingTables(document, report, reader);
  document.moveDown(1).fontSize(8).fillColor('#555555').text(textOf({ key: 'pricing:report.generated', values: { when: reader.presentation.formatDateTime(reader.now) } }));
  return pdfBytes(document);
}

function parties(document: Pdf, { provider, customer }: ServiceReport, { presentation: { textOf } }: ReportReader): void {
  heading(document, textOf({ key: 'pricing:report.provider' }), 12);
  labelledLines(document, [
    [textOf({ key: 'pricing:report.name' }), provider.name],
    [textOf({ key: 'pricing:report.address' }), provider.office.address],
    [textOf({ key: 'pricing:report.phone' }), provider.office.phone],
    [textOf({ key: 'pricing:report.email' }), provider.office.email],
  ]);
  document.moveDown(0.6);
  heading(document, textOf({ key: 'pricing:report.customer' }), 12);
  const address = [customer.street, [customer.postalCode, customer.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  labelledLines(document, [
    [textOf({ key: 'pricing:report.name' }), customer.name],
    [textOf({ key: 'pricing:report.address' }), address],
    [textOf({ key: 'pricing:report.taxId' }), taxIdText(customer.taxCountry, customer.taxId)],
  ]);
  document.moveDown(0.6);
}

function ticketDetails(document: Pdf, { ticket, closedAt }: ServiceReport, { presentation, locale }: ReportReader): void {
  const { textOf, formatDate, formatDateTime } = presentation;
  heading(document, textOf({ key: 'pricing:report.ticket' }), 12);
  labelledLines(document, [
    [textOf({ key: 'pricing:report.number' }), ticket.number],
    [textOf({ key: 'pricing:report.ticketTitle' }), ticket.title],
    [textOf({ key: 'pricing:report.category' }), categoryText(ticket.category, locale)],
    [textOf({ key: 'pricing:report.status' }), textOf({ key: statusLabels[ticket.status] })],
    [textOf({ key: 'pricing:report.filed' }), formatDateTime(ticket.createdAt)],
    [textOf({ key: 'pricing:report.resolved' }), ticket.resolvedAt ? formatDate(ticket.resolvedAt) : null],
    [textOf({ key: 'pricing:report.closed' }), closedAt ? formatDate(closedAt) : null],
    [textOf({ key: 'pricing:report.handledBy' }), textOf(assigneeText(ticket.assigneeName, ticket.status))],
  ]);
  document.moveDown(0.6);
}

function conversation(document: Pdf, { ticket, replies }: ServiceReport, { presentation: { textOf, formatDateTime } }: ReportReader): void {
  heading(document, textOf({ key: 'pricing:report.description' }), 12);
  document.fontSize(10).text(ticket.description);
  document.moveDown(0.6);
  if (replies.length === 0) return;
  heading(document, textOf({ key: 'pricing:report.replies' }), 12);
  for (const reply of replies) {
    document.font('bold').fontSize(9).text(`${reply.authorName ?? textOf({ key: 'tickets:conversation.unknownAuthor' })}, ${formatDateTime(reply.createdAt)}`);
    document.font('regular').fontSize(10).text(reply.body);
    document.moveDown(0.4);
  }
  document.moveDown(0.4);
}

function pricingTables(document: Pdf, { pricing }: ServiceReport, { presentation: { textOf }, locale }: ReportReader): void {
  const shown = presentPricing(pricing, locale);
  const money = (amount: number) => formatMoney(amount, shown.currency, locale);
  heading(document, textOf({ key: 'pricing:heading' }), 12);
  if (shown.lines.length === 0) {
    document.fontSize(10).text(textOf({ key: 'pricing:empty' }));
    return;
  }
  const right = 'right' as const;
  table(
    document,
    [
      { header: textOf({ key: 'pricing:columns.description' }), share: 0.28 },
      { header: textOf({ key: 'pricing:columns.kind' }), share: 0.13 },
      { header: textOf({ key: 'pricing:columns.quantity' }), share: 0.12, align: right },
      { header: textOf({ key: 'pricing:columns.unitPrice' }), share: 0.17, align: right },
      { header: textOf({ key: 'pricing:columns.vatRate' }), share: 0.09, align: right },
      { header: textOf({ key: 'pricing:columns.net' }), share: 0.21, align: right },
    ],
    shown.lines.map((line) => ({ cells: [line.description, textOf(line.kind), textOf(line.quantity), money(line.unitPrice), textOf(line.vatRate), money(line.net)] })),
  );
  table(
    document,
    [
      { header: textOf({ key: 'pricing:columns.rate' }), share: 0.34 },
      { header: textOf({ key: 'pricing:columns.net' }), share: 0.22, align: right },
      { header: textOf({ key: 'pricing:columns.vat' }), share: 0.22, align: right },
      { header: textOf({ key: 'pricing:columns.gross' }), share: 0.22, align: right },
    ],
    [
      ...shown.totals.map((total) => ({ cells: [textOf(total.label), money(total.net), money(total.vat), money(total.gross)] })),
      { cells: [textOf({ key: 'pricing:totals.all' }), money(shown.net), money(shown.vat), money(shown.gross)], isBold: true },
    ],
  );
}
