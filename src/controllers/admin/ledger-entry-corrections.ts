import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { ValidationError } from '../../lib/errors.js';
import { renderPage } from '../../lib/render.js';
import { calendarDateIn } from '../../lib/time.js';
import { scopeOf, setFlash, tenantOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { findCustomer } from '../../models/customer.js';
import { enterLedgerEntry, type LedgerEntry } from '../../models/ledger.js';
import { findScopeTenant } from '../../models/tenant.js';
import { fieldErrorsOf, formValues, parseForm, type FieldError } from '../../validators/form.js';
import { correctionDirections, correctionFields, correctionForm } from '../../validators/ledger-entry.js';
import { renderLedgerEntry } from './_ledger-entry-page.js';

/** Only an approved invoice or payment is corrected; anything else is shown as it is, with why (409). */
const isCorrectable = (entry: LedgerEntry) => entry.status === 'approved' && entry.kind !== 'correction';

async function renderCorrectionForm(req: Request, res: Response, original: LedgerEntry, status: number, values: Record<string, string>, errors: Record<string, FieldError> = {}): Promise<void> {
  const customer = await findCustomer(scopeOf(req), original.customerId);
  renderPage(
    res,
    'admin/ledger-entry-corrections/new',
    {
      title: res.locals.t('payments:correction.title'),
      original,
      customer,
      values: { ...values, submissionKey: values.submissionKey || randomUUID() },
      errors,
      directionOptions: correctionDirections.map((direction) => ({ value: direction, label: `payments:correction.direction.${direction}` })),
    },
    status,
  );
}

/** GET /:tenant/admin/ledger-entries/:entryId/corrections/new: the correction form of an approved entry. */
async function newCorrection(req: Request, res: Response): Promise<void> {
  const original = loaded(req, 'ledgerEntry');
  if (!isCorrectable(original)) return renderLedgerEntry(req, res, original, 409, { notice: 'payments:correction.notCorrectable' });
  const today = calendarDateIn(scopeOf(req).now(), tenantOf(req).timeZone);
  await renderCorrectionForm(req, res, original, 200, { direction: 'lower', amount: '', date: today, description: '', submissionKey: randomUUID() });
}
export { newCorrection as new };

/**
 * POST /:tenant/admin/ledger-entries/:entryId/corrections: a pending correction pointing at the
 * entry (M1), once per submission key; it counts once approved like any entry. The original is
 * never changed. Bad input is 422; an original that cannot be corrected is 409.
 */
export async function create(req: Request, res: Response): Promise<void> {
  const original = loaded(req, 'ledgerEntry');
  if (!isCorrectable(original)) return renderLedgerEntry(req, res, original, 409, { notice: 'payments:correction.notCorrectable' });
  const values = formValues(req.body, correctionFields);
  const scope = scopeOf(req);
  const form = parseForm(correctionForm((await findScopeTenant(scope)).currency), req.body);
  if (!form.ok) return renderCorrectionForm(req, res, original, 422, values, form.errors);
  const { amount, date, description, submissionKey } = form.data;
  const outcome = await enterLedgerEntry(scope, { kind: 'correction', correctsEntryId: original.id, amount, date, description }, { idempotencyKey: submissionKey ?? null }).catch((error: unknown) => {
    if (error instanceof ValidationError) return error;
    throw error;
  });
  if (outcome instanceof ValidationError) return renderCorrectionForm(req, res, original, 422, values, fieldErrorsOf(outcome));
  setFlash(req, 'success', 'payments:correction.entered');
  res.redirect(303, req.pathTo('admin.ledgerEntries.show', { entryId: outcome.id }));
}
