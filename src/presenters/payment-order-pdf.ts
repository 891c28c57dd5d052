import { amountInWords } from '../lib/amount-in-words.js';
import { formatBankAccount, normalizeBankAccount } from '../lib/bank-account.js';
import { formatMoney } from '../lib/money.js';
import { polishPaymentCodeText } from '../lib/payment-codes.js';
import { payBySquareLimits, payBySquareText } from '../lib/pay-by-square.js';
import { contentWidth, createPdf, heading, pdfBytes, type Pdf } from '../lib/pdf.js';
import { qrMatrixOf, type QrMatrix } from '../lib/qr.js';
import type { OpenInvoice } from '../models/customer-balance.js';
import type { PaymentDocumentData } from '../models/payment-documents.js';
import type { ReportReader } from './service-report-pdf.js';

/**
 * A payment order as printed: who pays whom, how much, for what; the text of its 2D code: the ZBP
 * one for złoty to a Polish account, PAY by square for euro (M8), none without an account.
 */
export type PaymentOrder = {
  recipientName: string;
  recipientAddress: string | null;
  account: string | null;
  payerName: string;
  payerAddress: string;
  amountMinor: number;
  currency: string;
  title: string;
  codeKind: 'zbp' | 'payBySquare' | null;
  codeText: string | null;
};

/** How long the printed title may be: the four lines of 27 characters of a Polish bank's transfer form. */
const printedTitleLength = 108;
const codeTitleLength = 32;

/** The invoices an amount pays, the one due first first, up to the amount (the last one perhaps in part). */
export function invoicesPaidBy(open: readonly OpenInvoice[], amountMinor: number): OpenInvoice[] {
  const paid: OpenInvoice[] = [];
  let left = BigInt(amountMinor);
  for (const invoice of open) {
    if (left <= 0n) break;
    paid.push(invoice);
    left -= invoice.outstanding.minor;
  }
  return paid;
}

/** The invoice numbers, whole, as many as fit in `limit` characters; the fallback when there is none. */
export function titleOf(numbers: readonly string[], limit: number, fallback: string): string {
  let title = '';
  for (const number of numbers) {
    const next = title === '' ? number : `${title}, ${number}`;
    if (next.length > limit) break;
    title = next;
  }
  return title === '' ? Array.from(numbers[0] ?? fallback).slice(0, limit).join('') : title;
}

/** The payment order of a customer for an amount (M3): the title names the invoices it pays. */
export function paymentOrderOf({ recipient, customer, dues }: PaymentDocumentData, amountMinor: number, fallbackTitle: string): PaymentOrder {
  const paid = invoicesPaidBy(dues.open, amountMinor);
  const numbers = paid.map((invoice) => invoice.documentNumber ?? '').filter(Boolean);
  const currency = dues.balance.currency;
  const account = recipient.bankAccount ? normalizeBankAccount(recipient.bankAccount) : null;
  // The ZBP code's NIP field is a Polish NIP only.
  const taxId = recipient.taxCountry === 'PL' ? (recipient.taxId ?? '').replace(/\D/g, '') : '';
  const isPolishAccount = account !== null && /^\d{26}$/.test(account) && currency === 'PLN';
  const code = isPolishAccount
    ? { codeKind: 'zbp' as const, codeText: polishPaymentCodeText({ recipientTaxId: taxId.length === 10 ? taxId : null, account, amountMinorUnits: amountMinor, recipientName: recipient.name, title: titleOf(numbers, codeTitleLength, fallbackTitle) }) }
    : account !== null && currency === 'EUR' && amountMinor > 0
      ? { codeKind: 'payBySquare' as const, codeText: payBySquareText({ iban: account, amountMinorUnits: amountMinor, currency, beneficiaryName: recipient.name, note: titleOf(numbers, payBySquareLimits.note, fallbackTitle), variableSymbol: variableSymbolOf(paid, customer.customerNumber) }) }
      : { codeKind: null, codeText: null };
  return {
    recipientName: recipient.name,
    recipientAddress: recipient.address,
    account,
    payerName: customer.name,
    payerAddress: [customer.street, [customer.postalCode, customer.city].filter(Boolean).join(' ')].filter(Boolean).join(', '),
    amountMinor,
    currency,
    title: titleOf(numbers, printedTitleLength, fallbackTitle),
    ...code,
  };
}

/**
 * The variable symbol of a PAY by square payment (digits only, up to 10): the number of the one
 * invoice it pays when that is such a number, else the customer's number when it is; else none,
 * and the note carries the title.
 */
export function variableSymbolOf(paid: readonly OpenInvoice[], customerNumber: string | null): string | null {
  const isSymbol = (text: string | null | undefined): text is string => typeof text === 'string' && /^\d{1,10}$/.test(text);
  if (paid.length === 1 && isSymbol(paid[0]!.documentNumber)) return paid[0]!.documentNumber;
  return isSymbol(customerNumber) ? customerNumber : null;
}

/**
 * The payment order as a PDF in the reader's language (M3, M8): the fields of a Polish transfer
 * form in boxes, the amount in figures and in words, and the ZBP 2D code that banking apps scan.
 * An EUR tenant's order carries the PAY by square code instead, with a note on paying by SEPA
 * transfer; without a bank account of the provider the order says so and has no code.
 */
export async function paymentOrderPdf(order: PaymentOrder, reader: ReportReader): Promise<Buffer> {
  const { textOf } = reader.presentation;
  const title = textOf({ key: 'paymentDocuments:order.title' });
  const document = createPdf({ title, language: reader.locale, createdAt: reader.now, author: order.recipientName });
  heading(document, title, 16);
  const amount = formatMoney(order.amountMinor, order.currency, reader.locale);
  const account = order.account ? formatBankAccount(order.account) : textOf({ key: 'paymentDocuments:order.noAccount' });
  const boxes: Array<[string, string]> = [
    [textOf({ key: 'paymentDocuments:order.recipientName' }), order.recipientName],
    [textOf({ key: 'paymentDocuments:order.recipientAddress' }), order.recipientAddress ?? '—'],
    [textOf({ key: order.currency === 'PLN' ? 'paymentDocuments:order.accountNrb' : 'paymentDocuments:order.accountIban' }), account],
    [textOf({ key: 'paymentDocuments:order.amount' }), amount],
    [textOf({ key: 'paymentDocuments:order.amountInWords' }), amountInWords(order.amountMinor, order.currency, reader.locale)],
    [textOf({ key: 'paymentDocuments:order.payerName' }), order.payerName],
    [textOf({ key: 'paymentDocuments:order.payerAddress' }), order.payerAddress || '—'],
    [textOf({ key: 'paymentDocuments:order.paymentTitle' }), order.title],
  ];
  const codeSize = 130;
  const boxWidth = contentWidth(document) - (order.codeText ? codeSize + 20 : 0);
  const top = document.y;
  for (const [label, value] of boxes) box(document, label, value, boxWidth);
  const boxesBottom = document.y;
  if (order.codeText) {
    const left = document.page.margins.left + boxWidth + 20;
    drawQr(document, qrMatrixOf(order.codeText), left, top, codeSize);
    const caption = order.codeKind === 'payBySquare' ? 'paymentDocuments:order.payBySquareCaption' : 'paymentDocuments:order.codeCaption';
    document.fontSize(8).fillColor('#333333').text(textOf({ key: caption }), left, top + codeSize + 6, { width: codeSize, align: 'center' });
    document.fillColor('black').x = document.page.margins.left;
    document.y = Math.max(boxesBottom, document.y);
  }
  if (order.currency !== 'PLN' && order.account) {
    document.moveDown(0.6).fontSize(9).text(textOf({ key: 'paymentDocuments:order.ibanNote' }), document.page.margins.left, document.y, { width: contentWidth(document) });
  }
  document.moveDown(1).fontSize(8).fillColor('#555555').text(textOf({ key: 'paymentDocuments:generated', values: { when: reader.presentation.formatDateTime(reader.now) } }), document.page.margins.left, document.y);
  return pdfBytes(document);
}

/** One field of the form: a small label over a framed value. */
function box(document: Pdf, label: string, value: string, width: number): void {
  const left = document.page.margins.left;
  document.font('regular').fontSize(7).fillColor('#555555').text(label, left, document.y, { width });
  const top = document.y + 1;
  document.font('bold').fontSize(11).fillColor('black');
  const height = document.heightOfString(value, { width: width - 8 }) + 8;
  document.rect(left, top, width, height).lineWidth(0.7).strokeColor('#c00000').stroke();
  document.text(value, left + 4, top + 4, { width: width - 8 });
  document.font('regular').y = top + height + 5;
}

/** The QR code's dark modules as filled squares, with the quiet zone of four modules the standard asks for inside `size`. */
function drawQr(document: Pdf, matrix: QrMatrix, left: number, top: number, size: number): void {
  const module = size / (matrix.size + 8);
  for (let row = 0; row < matrix.size; row++) {
    for (let column = 0; column < matrix.size; column++) {
      if (matrix.isDark(row, column)) document.rect(left + (column + 4) * module, top + (row + 4) * module, module, module);
    }
  }
  document.fillColor('black').fill();
}
