import type { Request, Response } from 'express';
import { renderQueue } from './_queue-page.js';

/** GET /:tenant/staff/queue: the unassigned queue, where caretakers take tickets and admins assign them (T2, T5), with the e-mail from unknown senders (T9). */
export function index(req: Request, res: Response): Promise<void> {
  return renderQueue(req, res);
}
