import type { Request, Response } from 'express';
import { loaded } from '../../middleware/loaders.js';
import { sendKeptMessage } from '../../presenters/mail-intake.js';

/** GET /:tenant/staff/queue/mail/:intakeId/message: an e-mail from an unknown sender as it came (T9), as a download. */
export function show(req: Request, res: Response): Promise<void> {
  return sendKeptMessage(req, res, loaded(req, 'mailIntake'));
}
