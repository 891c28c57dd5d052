import type { Request, Response } from 'express';
import { loaded } from '../../middleware/loaders.js';
import { sendArrearsStatement } from '../../presenters/payment-documents.js';

/** GET /:tenant/staff/customers/:customerId/arrears-statement: the customer's arrears statement PDF (M4), for its caretaker and admins. */
export async function show(req: Request, res: Response): Promise<void> {
  await sendArrearsStatement(req, res, loaded(req, 'customer').id);
}
