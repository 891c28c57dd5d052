import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { ConflictError, ValidationError } from '../../lib/errors.js';
import { renderPage } from '../../lib/render.js';
import { previewPurge, purgeConfirmationOf, requestPurge, type PurgeTarget } from '../../models/purge.js';
import { settingsInForce } from '../../models/settings.js';
import { purgeCountRows, purgeKindText, purgeTargetPage } from '../../presenters/purges.js';
import { parseForm, type FieldError } from '../../validators/form.js';
import { purgeRequestForm } from '../../validators/purge.js';

/** Where each kind's confirmation is posted, and with which parameter. */
const createRoutes = {
  customer: { route: 'superadmin.customerPurgeRequests.create', parameter: 'customerId' },
  ticket: { route: 'superadmin.ticketPurgeRequests.create', parameter: 'ticketId' },
  ledger_entry: { route: 'superadmin.ledgerEntryPurgeRequests.create', parameter: 'entryId' },
} as const;

type FormState = { typed?: string; errors?: Record<string, FieldError>; notice?: string };

/**
 * The purge's preview and confirmation (D2), for each kind of target: what goes, table by table with
 * counts, whether a second person must approve, the text to type, and for a customer the export to
 * download first. A target that may not be purged (an active customer, an open ticket, a pending
 * entry) shows why and no form.
 */
export async function renderPurgeForm(req: Request, res: Response, target: PurgeTarget, status: number, state: FormState = {}): Promise<void> {
  const scope = scopeOf(req);
  const { confirmation, refusal } = await purgeConfirmationOf(scope, target);
  const preview = await previewPurge(scope, target);
  const requiresApproval = (await settingsInForce(scope))['purge.requires_approval'].value === 'on';
  const create = createRoutes[target.kind];
  const page = purgeTargetPage({ kind: target.kind, targetId: target.id });
  renderPage(
    res,
    'superadmin/purge-requests/new',
    {
      title: res.locals.t('purge:new.title'),
      kindText: purgeKindText(target.kind),
      confirmation,
      refusal,
      notice: state.notice,
      counts: purgeCountRows(preview.counts),
      files: preview.files,
      requiresApproval,
      formAction: req.pathTo(create.route, { [create.parameter]: target.id }),
      backPath: req.pathTo(page.route, page.parameters),
      exportPath: target.kind === 'customer' ? req.pathTo('superadmin.customerDataExports.show', { customerId: target.id }) : null,
      typed: state.typed ?? '',
      errors: state.errors ?? {},
    },
    status,
  );
}

/**
 * The confirmation: the typed name or number must match (trimmed), else 422 with what was typed and
 * nothing written; a target that may not be purged is 409 with the page as it is now. Then the
 * request's page: waiting for approval, or run.
 */
export async function createPurgeRequest(req: Request, res: Response, target: PurgeTarget): Promise<void> {
  const typed = typeof req.body?.confirmation === 'string' ? req.body.confirmation : '';
  const form = parseForm(purgeRequestForm, req.body);
  if (!form.ok) return renderPurgeForm(req, res, target, 422, { typed, errors: form.errors });
  let result: { id: number; isRun: boolean };
  try {
    result = await requestPurge(scopeOf(req), target, form.data.confirmation);
  } catch (error) {
    if (error instanceof ValidationError) return renderPurgeForm(req, res, target, 422, { typed, errors: { confirmation: { key: error.fieldErrors.confirmation ?? 'purge:errors.confirmationMismatch' } } });
    if (error instanceof ConflictError) return renderPurgeForm(req, res, target, 409, { typed, notice: error.messageKey });
    throw error;
  }
  setFlash(req, 'success', result.isRun ? 'purge:flash.run' : 'purge:flash.requested');
  res.redirect(303, req.pathTo('admin.purgeRequests.show', { purgeRequestId: result.id }));
}
