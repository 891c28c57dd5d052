import type { Request, Response } from 'express';
import { approvalForm } from '../../validators/change-request.js';
import { parseForm } from '../../validators/form.js';
import { decide } from './_change-request-decision.js';

/** POST /:tenant/staff/change-requests/:requestId/approval: the asked-for values replace the record's (a shared tax id confirmed). */
export async function create(req: Request, res: Response): Promise<void> {
  const form = parseForm(approvalForm, req.body);
  await decide(req, res, { approve: true, isSharedTaxIdConfirmed: form.ok && form.data.sharedTaxIdConfirmed });
}
