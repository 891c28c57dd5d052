import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { ConflictError } from '../../lib/errors.js';
import { approvePurge } from '../../models/purge.js';
import { parseForm } from '../../validators/form.js';
import { purgeDecisionForm } from '../../validators/purge.js';

/**
 * POST /:tenant/admin/purge-requests/:purgeRequestId/approval: a second person (another superadmin
 * or an admin) approves, and the purge runs at once (D2). Its author: 403. Decided meanwhile (or a
 * form without its version): 409 with the request's page as it is now, via the flash.
 */
export async function create(req: Request, res: Response): Promise<void> {
  const request = loaded(req, 'purgeRequest');
  const form = parseForm(purgeDecisionForm, req.body);
  if (!form.ok) throw new ConflictError('an approval without the version it was given for', { messageKey: 'purge:refused.notWaiting' });
  await approvePurge(scopeOf(req), request.id, form.data.version);
  setFlash(req, 'success', 'purge:flash.run');
  res.redirect(303, req.pathTo('admin.purgeRequests.show', { purgeRequestId: request.id }));
}
