import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { retryFailedJob } from '../../models/job.js';

/**
 * POST /:tenant/admin/jobs/:jobId/retry: puts a failed job back to run now (superadmins). Sent
 * twice, the second finds it queued already and says so; another tenant's job is not found.
 */
export async function create(req: Request, res: Response): Promise<void> {
  const isQueued = await retryFailedJob(scopeOf(req), loaded(req, 'job').id);
  setFlash(req, isQueued ? 'success' : 'info', isQueued ? 'jobs:retried' : 'jobs:alreadyQueued');
  res.redirect(303, req.pathTo('superadmin.failedJobs.index'));
}
