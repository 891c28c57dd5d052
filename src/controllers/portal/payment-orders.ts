import type { Request, Response } from 'express';
import { currentUserOf } from '../../middleware/context.js';
import { NotFoundError } from '../../lib/errors.js';
import { renderPaymentOrderForm, sendPaymentOrder, type PaymentDocumentTarget } from '../../presenters/payment-documents.js';

function targetOf(req: Request): PaymentDocumentTarget {
  const customerId = currentUserOf(req).customerId;
  if (!customerId) throw new NotFoundError('this client account has no customer');
  return { customerId, view: 'portal/payment-orders/new', formRoute: 'portal.paymentOrders.show', routeParameters: {}, statementRoute: 'portal.arrearsStatements.show' };
}

/** GET /:tenant/portal/payment-order/new: the payment order form (M3): the whole balance due or a typed amount. */
async function newPaymentOrder(req: Request, res: Response): Promise<void> {
  await renderPaymentOrderForm(req, res, targetOf(req));
}
export { newPaymentOrder as new };

/** GET /:tenant/portal/payment-order?choice=…&amount=…: the payment order PDF of the client's customer (M3, M8), or the form with its messages (422). */
export async function show(req: Request, res: Response): Promise<void> {
  await sendPaymentOrder(req, res, targetOf(req));
}
