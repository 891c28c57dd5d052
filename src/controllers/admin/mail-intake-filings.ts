import type { Request, Response } from 'express';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { conflictFrom } from '../../lib/errors.js';
import { fileStoresFor } from '../../lib/storage/index.js';
import { fileUnmatchedMail } from '../../models/ticket-mail-intake.js';
import { filingCustomerOf } from '../../presenters/mail-intake.js';
import { renderMailIntakeList } from './_mail-intake-page.js';

/**
 * POST /:tenant/admin/mail-intake/:intakeId/filing: files a message from an unknown sender as a
 * ticket of the customer the admin chose (T9), on its behalf. Without a customer, the list is shown again with its message (422);
 * a message handled meanwhile (sent twice, another admin) is not filed again.
 */
export async function create(req: Request, res: Response): Promise<void> {
  const intakeId = loaded(req, 'mailIntake').id;
  const chosen = await filingCustomerOf(req);
  if ('problem' in chosen) return renderMailIntakeList(req, res, 422, { intakeId, ...chosen.problem });
  let ticketId: number | undefined;
  const filing = fileUnmatchedMail(scopeOf(req), intakeId, chosen.customerId, { stores: fileStoresFor(req.deps.config), i18n: req.deps.i18n, links: linksOf(req) }).then((id) => (ticketId = id));
  const conflict = await conflictFrom(filing);
  if (conflict) {
    setFlash(req, 'error', conflict.messageKey ?? 'mailIntake:errors.handled');
    return res.redirect(303, req.pathTo('admin.mailIntake.index'));
  }
  setFlash(req, 'success', 'mailIntake:filed');
  res.redirect(303, req.pathTo('staff.tickets.show', { ticketId: ticketId! }));
}
