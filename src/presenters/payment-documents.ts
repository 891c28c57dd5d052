import type { Request, Response } from 'express';
import { scopeOf, tenantOf } from '../middleware/context.js';
import { attachmentDisposition } from '../lib/file-names.js';
import { formatMoney, parseAmount } from '../lib/money.js';
import { renderPage } from '../lib/render.js';
import { calendarDateIn } from '../lib/time.js';
import { findPaymentDocumentData, type PaymentDocumentData } from '../models/payment-documents.js';
import { paymentOrderForm, paymentOrderLimit } from '../validators/payment-order.js';
import type { FieldError } from '../validators/form.js';
import { arrearsStatementPdf } from './arrears-statement-pdf.js';
import { paymentOrderOf, paymentOrderPdf } from './payment-order-pdf.js';
import { presentationFor } from './presentation.js';
import { serviceReportPdf, type ReportReader } from './service-report-pdf.js';
import { findServiceReport } from '../models/service-report.js';
import type { Ticket } from '../models/ticket.js';

/**
 * The payment order and the arrears statement (M3, M4) as the portal (a client's own customer) and
 * the staff panel (a customer's record) both serve them: the form, its refusal (422) and the PDFs.
 * `formRoute` is the route the form is sent to, with its parameters.
 */
export type PaymentDocumentTarget = { customerId: number; view: string; formRoute: string; routeParameters: Record<string, string | number>; statementRoute: string };

const readerOf = (req: Request, res: Response): ReportReader => ({ presentation: presentationFor(res.locals.t, req.locale, tenantOf(req).timeZone), locale: req.locale, now: scopeOf(req).now() });
const todayOf = (req: Request) => calendarDateIn(scopeOf(req).now(), tenantOf(req).timeZone);

async function dataOf(req: Request, customerId: number): Promise<PaymentDocumentData> {
  return findPaymentDocumentData(scopeOf(req), customerId, todayOf(req));
}

/** The payment order form: what is due now, the whole balance chosen unless the payer typed an amount. */
export async function renderPaymentOrderForm(req: Request, res: Response, target: PaymentDocumentTarget, status = 200, values: Record<string, string> = { choice: 'balance', amount: '' }, errors: Record<string, FieldError> = {}): Promise<void> {
  const { customer, dues, recipient } = await dataOf(req, target.customerId);
  const presentation = presentationFor(res.locals.t, req.locale, tenantOf(req).timeZone);
  renderPage(
    res,
    target.view,
    {
      title: res.locals.t('paymentDocuments:form.title'),
      customer,
      balance: presentation.moneyOf(dues.balance.minor, dues.balance.currency),
      overdue: presentation.moneyOf(dues.overdueTotal.minor, dues.balance.currency),
      isBalanceDue: dues.balance.minor > 0n,
      hasAccount: recipient.bankAccount !== null,
      limitText: formatMoney(parseAmount(String(paymentOrderLimit), dues.balance.currency)!, dues.balance.currency, req.locale),
      target,
      values: { choice: values.choice === 'other' ? 'other' : 'balance', amount: values.amount ?? '' },
      errors,
    },
    status,
  );
}

/** GET of the filled form: the payment order PDF, or the form again with its messages (422). Printing changes nothing. */
export async function sendPaymentOrder(req: Request, res: Response, target: PaymentDocumentTarget): Promise<void> {
  const query = req.query as Record<string, unknown>;
  // The address without the form's fields (a bookmark, a link) is the form itself, not a refusal.
  if (query.choice === undefined && query.amount === undefined) return renderPaymentOrderForm(req, res, target);
  const values = { choice: typeof query.choice === 'string' ? query.choice : 'balance', amount: typeof query.amount === 'string' ? query.amount : '' };
  const data = await dataOf(req, target.customerId);
  const parsed = paymentOrderForm(query, data.dues.balance.currency, req.locale);
  if (!parsed.ok) return renderPaymentOrderForm(req, res, target, 422, values, parsed.errors);
  if (parsed.data.choice === 'balance' && data.dues.balance.minor <= 0n) return renderPaymentOrderForm(req, res, target, 422, values, { choice: { key: 'paymentDocuments:errors.nothingDue' } });
  const amountMinor = parsed.data.choice === 'balance' ? Number(data.dues.balance.minor) : parsed.data.amountMinor;
  const order = paymentOrderOf(data, amountMinor, res.locals.t('paymentDocuments:order.fallbackTitle', { customer: data.customer.customerNumber ?? data.customer.name }));
  const pdf = await paymentOrderPdf(order, readerOf(req, res));
  res.type('application/pdf').setHeader('Content-Disposition', attachmentDisposition(`${res.locals.t('paymentDocuments:order.fileName')}.pdf`));
  res.send(pdf);
}

/** The arrears statement PDF of the customer, as of the tenant's today. */
export async function sendArrearsStatement(req: Request, res: Response, customerId: number): Promise<void> {
  const pdf = await arrearsStatementPdf(await dataOf(req, customerId), todayOf(req), readerOf(req, res));
  res.type('application/pdf').setHeader('Content-Disposition', attachmentDisposition(`${res.locals.t('paymentDocuments:statement.fileName')}-${todayOf(req)}.pdf`));
  res.send(pdf);
}

/** A ticket's service report (T10) as the portal and the staff panel both send it: the PDF, as an attachment named by the ticket's number. */
export async function sendServiceReport(req: Request, res: Response, ticket: Ticket): Promise<void> {
  const pdf = await serviceReportPdf(await findServiceReport(scopeOf(req), ticket), readerOf(req, res));
  res.type('application/pdf').setHeader('Content-Disposition', attachmentDisposition(`${res.locals.t('pricing:report.fileName')}-${ticket.number.replace('/', '-')}.pdf`));
  res.send(pdf);
}
