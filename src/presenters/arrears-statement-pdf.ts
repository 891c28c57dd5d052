import { formatBankAccount } from '../lib/bank-account.js';
import { formatMoney } from '../lib/money.js';
import { formatTaxId } from '../lib/nip.js';
import { createPdf, heading, labelledLines, pdfBytes, table } from '../lib/pdf.js';
import type { PaymentDocumentData } from '../models/payment-documents.js';
import type { ReportReader } from './service-report-pdf.js';

/**
 * The arrears statement of a customer as a PDF in the reader's language (M4): the provider (its
 * legal name, address, tax id and the account the customer pays into), the customer, the day it is made on, and each overdue invoice with what is left to pay and the days
 * it is overdue, with the total overdue and the balance.
 */
export async function arrearsStatementPdf({ recipient, customer, dues }: PaymentDocumentData, today: string, reader: ReportReader): Promise<Buffer> {
  const { textOf, formatDate } = reader.presentation;
  const title = textOf({ key: 'paymentDocuments:statement.title' });
  const document = createPdf({ title, language: reader.locale, createdAt: reader.now, author: recipient.name });
  heading(document, title, 16);
  const money = (minor: bigint) => formatMoney(minor, dues.balance.currency, reader.locale);
  labelledLines(document, [
    [textOf({ key: 'paymentDocuments:statement.provider' }), [recipient.name, recipient.address].filter(Boolean).join(', ')],
    [textOf({ key: 'paymentDocuments:statement.taxId' }), recipient.taxId && formatTaxId(recipient.taxId, recipient.taxCountry)],
    [textOf({ key: recipient.isVirtualAccount ? 'paymentDocuments:statement.virtualAccount' : 'paymentDocuments:statement.account' }), recipient.bankAccount && formatBankAccount(recipient.bankAccount)],
    [textOf({ key: 'paymentDocuments:statement.customer' }), [customer.name, customer.street, [customer.postalCode, customer.city].filter(Boolean).join(' ')].filter(Boolean).join(', ')],
    [textOf({ key: 'paymentDocuments:statement.asOf' }), formatDate(today)],
  ]);
  document.moveDown(0.6);
  const overdue = dues.open.filter((invoice) => invoice.daysOverdue > 0);
  if (overdue.length === 0) document.fontSize(10).text(textOf({ key: 'paymentDocuments:statement.none' })).moveDown(0.6);
  else {
    const right = 'right' as const;
    table(
      document,
      [
        { header: textOf({ key: 'paymentDocuments:statement.number' }), share: 0.26 },
        { header: textOf({ key: 'paymentDocuments:statement.issueDate' }), share: 0.16 },
        { header: textOf({ key: 'paymentDocuments:statement.dueDate' }), share: 0.16 },
        { header: textOf({ key: 'paymentDocuments:statement.outstanding' }), share: 0.24, align: right },
        { header: textOf({ key: 'paymentDocuments:statement.daysOverdue' }), share: 0.18, align: right },
      ],
      [
        ...overdue.map((invoice) => ({ cells: [invoice.documentNumber ?? '—', formatDate(invoice.issueDate), formatDate(invoice.dueDate), money(invoice.outstanding.minor), String(invoice.daysOverdue)] })),
        { cells: [textOf({ key: 'paymentDocuments:statement.totalOverdue' }), '', '', money(dues.overdueTotal.minor), ''], isBold: true },
      ],
    );
  }
  labelledLines(document, [
    [textOf({ key: 'paymentDocuments:statement.totalDue' }), money(dues.dueTotal.minor)],
    [textOf({ key: 'paymentDocuments:statement.balance' }), money(dues.balance.minor)],
  ]);
  document.moveDown(1).fontSize(8).fillColor('#555555').text(textOf({ key: 'paymentDocuments:generated', values: { when: reader.presentation.formatDateTime(reader.now) } }));
  return pdfBytes(document);
}
