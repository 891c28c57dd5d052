import type { Request, Response } from 'express';
import { renderMailIntakeList } from './_mail-intake-page.js';

/**
 * GET /:tenant/admin/mail-intake: the e-mail messages that wait for an admin (T9), latest first:
 * from unknown senders (to file for a customer) and those that could not be filed (with the error).
 */
export async function index(req: Request, res: Response): Promise<void> {
  await renderMailIntakeList(req, res);
}
