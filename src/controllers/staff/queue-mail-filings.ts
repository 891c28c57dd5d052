import type { Request, Response } from 'express';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { conflictFrom, NotFoundError } from '../../lib/errors.js';
import { fileStoresFor } from '../../lib/storage/index.js';
import { fileUnmatchedMail } from '../../models/ticket-mail-intake.js';
import { filingCustomerOf } from '../../presenters/mail-intake.js';
import { renderQueue } from './_queue-page.js';

/**
 * POST /:tenant/staff/queue/mail/:intakeId/filing: files an e-mail from an unknown sender as a ticket
 * of the customer chosen (T9): one of the caretaker's customers, any for an admin. The ticket is
 * routed as any other (to the customer's caretaker, or it stays in the queue). Without a customer,
 * or with one out of reach, the queue is shown again with its message (422); a message handled
 * meanwhile (sent twice, a colleague) is not filed again.
 */
export async function create(req: Request, res: Response): Promise<void> {
  const intakeId = loaded(req, 'mailIntake').id;
  const chosen = await filingCustomerOf(req);
  if ('problem' in chosen) return renderQueue(req, res, 422, { intakeId, ...chosen.problem });
  let ticketId: number | undefined;
  const filing = fileUnmatchedMail(scopeOf(req), intakeId, chosen.customerId, { stores: fileStoresFor(req.deps.config), i18n: req.deps.i18n, links: linksOf(req) }).then((id) => (ticketId = id));
  // A customer out of the caretaker's reach is not theirs to choose: the same answer as no choice.
  const conflict = await conflictFrom(filing).catch((error: unknown) => {
    if (error instanceof NotFoundError) return 'out of reach' as const;
    throw error;
  });
  if (conflict === 'out of reach') return renderQueue(req, res, 422, { intakeId, messageKey: 'mailIntake:errors.customer' });
  if (conflict) {
    setFlash(req, 'error', conflict.messageKey ?? 'mailIntake:errors.handled');
    return res.redirect(303, req.pathTo('staff.queue.index'));
  }
  setFlash(req, 'success', 'mailIntake:filed');
  res.redirect(303, req.pathTo('staff.tickets.show', { ticketId: ticketId! }));
}
