import type { Request, Response } from 'express';
import { loaded } from '../../middleware/loaders.js';
import { createPurgeRequest, renderPurgeForm } from './_purge-request-page.js';

/** GET /:tenant/admin/purge-requests/tickets/:ticketId/new: what purging a closed ticket removes (its messages, history, files), and the confirmation (D2). */
async function newPurgeRequest(req: Request, res: Response): Promise<void> {
  await renderPurgeForm(req, res, { kind: 'ticket', id: loaded(req, 'ticket').id }, 200);
}
export { newPurgeRequest as new };

/** POST /:tenant/admin/purge-requests/tickets/:ticketId: confirmed by the ticket's number typed out. */
export async function create(req: Request, res: Response): Promise<void> {
  await createPurgeRequest(req, res, { kind: 'ticket', id: loaded(req, 'ticket').id });
}
