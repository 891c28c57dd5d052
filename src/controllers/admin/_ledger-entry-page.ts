import { isPurgeableEntryStatus } from '../../models/purge.js';
import type { Request, Response } from 'express';
import { renderPage } from '../../lib/render.js';
import { currentUserOf, scopeOf } from '../../middleware/context.js';
import { findCustomer } from '../../models/customer.js';
import type { LedgerEntry } from '../../models/ledger.js';
import type { FieldError } from '../../validators/form.js';

export type LedgerEntryPageState = { errors?: Record<string, FieldError>; values?: Record<string, string>; notice?: string };

/** An entry with its decision forms while pending; also the answer to a refused rejection (422) or a decision made meanwhile (409). */
export async function renderLedgerEntry(req: Request, res: Response, entry: LedgerEntry, status: number, state: LedgerEntryPageState = {}): Promise<void> {
  const customer = await findCustomer(scopeOf(req), entry.customerId);
  renderPage(
    res,
    'admin/ledger-entries/show',
    { title: res.locals.t(`payments:entry.title.${entry.kind}`), entry, customer, canPurge: currentUserOf(req).role === 'superadmin' && isPurgeableEntryStatus(entry.status), errors: state.errors ?? {}, values: state.values ?? { reason: '' }, notice: state.notice },
    status,
  );
}
