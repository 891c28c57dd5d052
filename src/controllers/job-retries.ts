import type { Request, Response } from 'express';
import { idParameter, scopeOf, setFlash, tenantPath } from '../middleware/context.js';
import { retryFailedJob } from '../models/job.js';

/**
 * POST /:tenant/admin/jobs/:jobId/retry: puts a failed job back to run now (superadmins). Sent
 * twice, the second finds it queued already and says so; another tenant's job is not found.
 */
export async function create(req: Request, res: Response): Promise<void> {
  const isQueued = await retryFailedJob(scopeOf(req), idParameter(req, 'jobId'), req.deps.clock());
  setFlash(req, isQueued ? 'success' : 'info', isQueued ? 'jobs:retried' : 'jobs:alreadyQueued');
  res.redirect(303, tenantPath(req, 'admin/jobs'));
}
