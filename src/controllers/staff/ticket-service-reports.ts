import type { Request, Response } from 'express';
import { loaded } from '../../middleware/loaders.js';
import { sendServiceReport } from '../../presenters/payment-documents.js';

/** GET /:tenant/staff/tickets/:ticketId/service-report: the ticket's service report PDF (T10), as its client gets it. */
export async function show(req: Request, res: Response): Promise<void> {
  await sendServiceReport(req, res, loaded(req, 'ticket'));
}
