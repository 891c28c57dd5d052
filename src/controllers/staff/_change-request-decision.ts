import type { Request, Response } from 'express';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { decideChangeRequest, findChangeRequest, type Decision } from '../../models/change-request.js';
import { renderChangeRequest } from './_change-request-page.js';
import { refusalOf, ValidationError } from '../../lib/errors.js';

/** Approves or rejects the route's request once; a request decided in between is shown again with 409, an unconfirmed shared tax id with 422. */
export async function decide(req: Request, res: Response, decision: Decision): Promise<void> {
  const request = loaded(req, 'changeRequest');
  const outcome = await decideChangeRequest(scopeOf(req), request.id, decision, { links: linksOf(req) }).catch(refusalOf);
  // The one refusal of a decision: a tax id another customer has, approved without the confirmation.
  if (outcome instanceof ValidationError) return renderChangeRequest(req, res, request, 422, { approvalError: { key: 'changes:staff.sharedTaxIdRequired' } });
  if (outcome === 'already-decided') {
    return renderChangeRequest(req, res, await findChangeRequest(scopeOf(req), request.id), 409, { notice: 'changes:staff.alreadyDecided' });
  }
  setFlash(req, 'success', decision.approve ? 'changes:staff.approved' : 'changes:staff.rejected');
  res.redirect(303, req.pathTo('staff.changeRequests.show', { requestId: request.id }));
}
