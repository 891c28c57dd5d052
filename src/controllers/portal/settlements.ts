import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { duesOf } from '../../models/customer-balance.js';
import { balanceInWords, openInvoiceStatus } from '../../presenters/settlements.js';
import { clientMoneyContext } from './_money-page.js';

/**
 * GET /:tenant/portal/settlements: where the client's company stands (M2): the balance in words, the
 * open invoices with what is left of each, when it is due and how long overdue, the totals and the
 * next due date.
 */
export async function index(req: Request, res: Response): Promise<void> {
  const { customerId, today } = clientMoneyContext(req);
  const dues = await duesOf(scopeOf(req), customerId, today);
  renderPage(res, 'portal/settlements/index', {
    title: res.locals.t('settlements:page.title'),
    dues,
    balance: balanceInWords(dues.balance),
    invoices: dues.open.map((invoice) => ({ ...invoice, status: openInvoiceStatus(invoice) })),
    overdueCount: dues.open.filter((invoice) => invoice.daysOverdue > 0).length,
  });
}
