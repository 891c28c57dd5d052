import type { Request, Response } from 'express';
import { loaded } from '../../middleware/loaders.js';
import { createPurgeRequest, renderPurgeForm } from './_purge-request-page.js';

/** GET /:tenant/admin/purge-requests/entries/:entryId/new: what purging a decided ledger entry removes (its corrections, allocations), and the confirmation (D2). */
async function newPurgeRequest(req: Request, res: Response): Promise<void> {
  await renderPurgeForm(req, res, { kind: 'ledger_entry', id: loaded(req, 'ledgerEntry').id }, 200);
}
export { newPurgeRequest as new };

/** POST /:tenant/admin/purge-requests/entries/:entryId: confirmed by the entry's document number (or id) typed out. */
export async function create(req: Request, res: Response): Promise<void> {
  await createPurgeRequest(req, res, { kind: 'ledger_entry', id: loaded(req, 'ledgerEntry').id });
}
