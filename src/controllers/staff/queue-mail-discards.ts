import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { conflictFrom } from '../../lib/errors.js';
import { discardMail } from '../../models/ticket-mail-intake.js';

/** POST /:tenant/staff/queue/mail/:intakeId/discard: puts an e-mail from an unknown sender aside (spam); it stays kept (T9). */
export async function create(req: Request, res: Response): Promise<void> {
  const conflict = await conflictFrom(discardMail(scopeOf(req), loaded(req, 'mailIntake').id));
  setFlash(req, conflict ? 'error' : 'success', conflict ? (conflict.messageKey ?? 'mailIntake:errors.handled') : 'mailIntake:discarded');
  res.redirect(303, req.pathTo('staff.queue.index'));
}
