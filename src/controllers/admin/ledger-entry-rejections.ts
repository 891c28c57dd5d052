import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { rejectLedgerEntry } from '../../models/ledger.js';
import { formValues, parseForm } from '../../validators/form.js';
import { rejectionForm } from '../../validators/ledger-entry.js';
import { decideEntry } from './_ledger-entry-decision.js';
import { renderLedgerEntry } from './_ledger-entry-page.js';

/** POST /:tenant/admin/ledger-entries/:entryId/rejection: a reason is required; the entry stays in the history and never counts. */
export async function create(req: Request, res: Response): Promise<void> {
  const entry = loaded(req, 'ledgerEntry');
  const form = parseForm(rejectionForm, req.body);
  if (!form.ok) return renderLedgerEntry(req, res, entry, 422, { errors: form.errors, values: formValues(req.body, ['reason']) });
  await decideEntry(req, res, rejectLedgerEntry(scopeOf(req), entry.id, form.data.version, form.data.reason), 'payments:rejected');
}
