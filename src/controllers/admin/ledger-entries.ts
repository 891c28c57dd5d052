import type { Request, Response } from 'express';
import { loaded } from '../../middleware/loaders.js';
import { renderLedgerEntry } from './_ledger-entry-page.js';

/** GET /:tenant/admin/ledger-entries/:entryId: an entry, who entered and decided it, and the decision forms while it is pending. */
export async function show(req: Request, res: Response): Promise<void> {
  await renderLedgerEntry(req, res, loaded(req, 'ledgerEntry'), 200);
}
