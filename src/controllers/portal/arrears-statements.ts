import type { Request, Response } from 'express';
import { currentUserOf } from '../../middleware/context.js';
import { NotFoundError } from '../../lib/errors.js';
import { sendArrearsStatement } from '../../presenters/payment-documents.js';

/** GET /:tenant/portal/arrears-statement: the arrears statement PDF of the client's own customer (M4). */
export async function show(req: Request, res: Response): Promise<void> {
  const customerId = currentUserOf(req).customerId;
  if (!customerId) throw new NotFoundError('this client account has no customer');
  await sendArrearsStatement(req, res, customerId);
}
