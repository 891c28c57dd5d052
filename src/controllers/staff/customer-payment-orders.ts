import type { Request, Response } from 'express';
import { loaded } from '../../middleware/loaders.js';
import { renderPaymentOrderForm, sendPaymentOrder, type PaymentDocumentTarget } from '../../presenters/payment-documents.js';

function targetOf(req: Request): PaymentDocumentTarget {
  const customer = loaded(req, 'customer');
  return { customerId: customer.id, view: 'staff/customer-payment-orders/new', formRoute: 'staff.customerPaymentOrders.show', routeParameters: { customerId: customer.id }, statementRoute: 'staff.customerArrearsStatements.show' };
}

/** GET /:tenant/staff/customers/:customerId/payment-order/new: a payment order for the customer, printed by its caretaker or an admin (M3). */
async function newPaymentOrder(req: Request, res: Response): Promise<void> {
  await renderPaymentOrderForm(req, res, targetOf(req));
}
export { newPaymentOrder as new };

/** GET /:tenant/staff/customers/:customerId/payment-order?choice=…&amount=…: the customer's payment order PDF, or the form with its messages (422). */
export async function show(req: Request, res: Response): Promise<void> {
  await sendPaymentOrder(req, res, targetOf(req));
}
