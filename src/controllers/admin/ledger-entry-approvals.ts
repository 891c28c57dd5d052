import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { approveLedgerEntry } from '../../models/ledger.js';
import { parseForm } from '../../validators/form.js';
import { decisionForm } from '../../validators/ledger-entry.js';
import { decideEntry } from './_ledger-entry-decision.js';
import { renderLedgerEntry } from './_ledger-entry-page.js';

/** POST /:tenant/admin/ledger-entries/:entryId/approval: the entry counts from now on (and payments are allocated again). */
export async function create(req: Request, res: Response): Promise<void> {
  const entry = loaded(req, 'ledgerEntry');
  const form = parseForm(decisionForm, req.body);
  // Without the version the page was opened with, nothing is known about what was approved: shown again as it is.
  if (!form.ok) return renderLedgerEntry(req, res, entry, 409, { notice: 'money:conflict.decided' });
  await decideEntry(req, res, approveLedgerEntry(scopeOf(req), entry.id, form.data.version), 'payments:approved');
}
