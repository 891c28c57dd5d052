import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { ConflictError } from '../../lib/errors.js';
import { cancelPurge } from '../../models/purge.js';
import { parseForm } from '../../validators/form.js';
import { purgeDecisionForm } from '../../validators/purge.js';

/** POST /:tenant/admin/purge-requests/:purgeRequestId/cancellation: a waiting request is withdrawn (superadmins); nothing is removed. */
export async function create(req: Request, res: Response): Promise<void> {
  const request = loaded(req, 'purgeRequest');
  const form = parseForm(purgeDecisionForm, req.body);
  if (!form.ok) throw new ConflictError('a cancellation without the version it was given for', { messageKey: 'purge:refused.notWaiting' });
  await cancelPurge(scopeOf(req), request.id, form.data.version);
  setFlash(req, 'success', 'purge:flash.cancelled');
  res.redirect(303, req.pathTo('admin.purgeRequests.show', { purgeRequestId: request.id }));
}
