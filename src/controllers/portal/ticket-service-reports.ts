import type { Request, Response } from 'express';
import { loaded } from '../../middleware/loaders.js';
import { sendServiceReport } from '../../presenters/payment-documents.js';

/** GET /:tenant/portal/tickets/:ticketId/service-report: the service report PDF of a resolved or closed ticket (T10); before that the route refuses (403). */
export async function show(req: Request, res: Response): Promise<void> {
  await sendServiceReport(req, res, loaded(req, 'ticket'));
}
