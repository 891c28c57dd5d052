import type { Request, Response } from 'express';
import { loaded } from '../../middleware/loaders.js';
import { rejectionForm } from '../../validators/change-request.js';
import { formValues, parseForm } from '../../validators/form.js';
import { decide } from './_change-request-decision.js';
import { renderChangeRequest } from './_change-request-page.js';

/** POST /:tenant/staff/change-requests/:requestId/rejection: a reason is required, the client reads it. */
export async function create(req: Request, res: Response): Promise<void> {
  const form = parseForm(rejectionForm, req.body);
  if (!form.ok) return renderChangeRequest(req, res, loaded(req, 'changeRequest'), 422, { errors: form.errors, values: formValues(req.body, ['reason']) });
  await decide(req, res, { approve: false, reason: form.data.reason });
}
