import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { previewPurge } from '../../models/purge.js';
import { listPurgeRequests, purgePeopleNames, purgeTargetLabels } from '../../models/purge-request.js';
import { purgeCountRows, purgeKindText, purgeStatus, purgeTargetPage, purgeTargetText } from '../../presenters/purges.js';

const perPage = 50;

/**
 * GET /:tenant/admin/purge-requests: the tenant's purge requests (D2), those waiting first (admins
 * and superadmins: an admin may approve one, so the waiting ones must be found).
 */
export async function index(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const page = pageFrom(req.query.page, perPage);
  const { requests, total } = await listPurgeRequests(scope, page);
  const [labels, names] = await Promise.all([purgeTargetLabels(scope, requests), purgePeopleNames(scope, requests)]);
  renderPage(res, 'admin/purge-requests/index', {
    title: res.locals.t('purge:index.title'),
    requests: requests.map((request) => ({
      ...request,
      kindText: purgeKindText(request.kind),
      targetText: purgeTargetText(request, labels),
      status: purgeStatus(request.status),
      requestedByName: request.requestedBy === null ? null : names.get(request.requestedBy) ?? null,
    })),
    pagination: paginate(page, total),
  });
}

/**
 * GET /:tenant/admin/purge-requests/:purgeRequestId: one request: what it removes (counted again
 * now while it waits, as recorded once run), who asked and decided, and the approval for anyone but
 * its author, the cancellation for superadmins.
 */
export async function show(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const request = loaded(req, 'purgeRequest');
  const [labels, names] = await Promise.all([purgeTargetLabels(scope, [request]), purgePeopleNames(scope, [request])]);
  const isWaiting = request.status === 'requested';
  const counts = isWaiting && labels.has(`${request.kind}:${request.targetId}`) ? (await previewPurge(scope, { kind: request.kind, id: request.targetId })).counts : request.counts;
  const user = req.currentUser!;
  const nameOf = (id: number | null) => (id === null ? null : names.get(id) ?? `#${id}`);
  renderPage(res, 'admin/purge-requests/show', {
    title: res.locals.t('purge:show.title', { id: request.id }),
    request,
    kindText: purgeKindText(request.kind),
    targetText: purgeTargetText(request, labels),
    targetPath: labels.has(`${request.kind}:${request.targetId}`) ? req.pathTo(purgeTargetPage(request).route, purgeTargetPage(request).parameters) : null,
    status: purgeStatus(request.status),
    counts: purgeCountRows(counts),
    people: { requestedBy: nameOf(request.requestedBy), approvedBy: nameOf(request.approvedBy), finishedBy: nameOf(request.finishedBy) },
    mayApprove: isWaiting && request.requestedBy !== user.id,
    isOwnRequest: isWaiting && request.requestedBy === user.id,
    mayCancel: isWaiting && user.role === 'superadmin',
  });
}
