import type { Request, Response } from 'express';
import { conflictFrom } from '../../lib/errors.js';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { findLedgerEntry } from '../../models/ledger.js';
import { renderLedgerEntry } from './_ledger-entry-page.js';

/**
 * Runs a decision on the route's entry; one decided (or changed) meanwhile is shown as it is now
 * with 409. One's own entry where the tenant forbids it is the model's 403.
 */
export async function decideEntry(req: Request, res: Response, decision: Promise<void>, flash: string): Promise<void> {
  const entry = loaded(req, 'ledgerEntry');
  const conflict = await conflictFrom(decision);
  if (conflict) return renderLedgerEntry(req, res, await findLedgerEntry(scopeOf(req), entry.id), 409, { notice: 'money:conflict.decided' });
  setFlash(req, 'success', flash);
  res.redirect(303, req.pathTo('admin.ledgerEntries.show', { entryId: entry.id }));
}
