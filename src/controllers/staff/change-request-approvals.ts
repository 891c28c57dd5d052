import type { Request, Response } from 'express';
import { decide } from './_change-request-decision.js';

/** POST /:tenant/staff/change-requests/:requestId/approval: the asked-for values replace the record's. */
export async function create(req: Request, res: Response): Promise<void> {
  await decide(req, res, { approve: true });
}
