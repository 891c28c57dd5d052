import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { listFailedJobs } from '../../models/job.js';
import { jobKindLabel } from '../../presenters/jobs.js';

const perPage = 50;

/** GET /:tenant/admin/jobs: the tenant's failed background jobs with their last error, latest first (superadmins). */
export async function index(req: Request, res: Response): Promise<void> {
  const page = pageFrom(req.query.page, perPage);
  const { jobs, total } = await listFailedJobs(scopeOf(req), page);
  renderPage(res, 'superadmin/failed-jobs/index', {
    title: res.locals.t('jobs:title'),
    jobs: jobs.map((job) => ({ ...job, kindLabel: jobKindLabel(job.kind) })),
    pagination: paginate(page, total),
  });
}
