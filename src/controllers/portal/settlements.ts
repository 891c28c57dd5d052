import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { formatBankAccount } from '../../lib/bank-account.js';
import { duesOf } from '../../models/customer-balance.js';
import { findCustomer } from '../../models/customer.js';
import { findPaymentRecipient } from '../../models/payment-documents.js';
import { balanceInWords, openInvoiceStatus } from '../../presenters/settlements.js';
import { clientMoneyContext } from './_money-page.js';

/**
 * GET /:tenant/portal/settlements: where the client's company stands (M2): the balance in words, the
 * open invoices with what is left of each, when it is due and how long overdue, the totals, the
 * next due date, and where to pay (the customer's own virtual account where the tenant has them).
 */
export async function index(req: Request, res: Response): Promise<void> {
  const { customerId, today } = clientMoneyContext(req);
  const scope = scopeOf(req);
  const [dues, customer] = await Promise.all([duesOf(scope, customerId, today), findCustomer(scope, customerId)]);
  const recipient = await findPaymentRecipient(scope, customer);
  renderPage(res, 'portal/settlements/index', {
    title: res.locals.t('settlements:page.title'),
    dues,
    balance: balanceInWords(dues.balance),
    invoices: dues.open.map((invoice) => ({ ...invoice, status: openInvoiceStatus(invoice) })),
    overdueCount: dues.open.filter((invoice) => invoice.daysOverdue > 0).length,
    recipient: { ...recipient, shownAccount: recipient.bankAccount && formatBankAccount(recipient.bankAccount) },
  });
}
