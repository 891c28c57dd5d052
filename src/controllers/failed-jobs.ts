import type { Request, Response } from 'express';
import { scopeOf } from '../middleware/context.js';
import { pageFrom, paginate } from '../lib/pagination.js';
import { renderPage } from '../lib/render.js';
import { fromDatabaseTime } from '../lib/time.js';
import { listFailedJobs } from '../models/job.js';

const perPage = 50;

/** What each kind of job is called on the page; a kind not listed is shown by its name. */
const kindLabels: Record<string, string> = {
  'mail.send': 'jobs:kinds.mailSend',
  housekeeping: 'jobs:kinds.housekeeping',
};

/** GET /:tenant/admin/jobs: the tenant's failed background jobs with their last error, latest first (superadmins). */
export async function index(req: Request, res: Response): Promise<void> {
  const page = pageFrom(req.query.page, perPage);
  const { jobs, total } = await listFailedJobs(scopeOf(req), page);
  renderPage(res, 'admin/jobs', {
    title: res.locals.t('jobs:title'),
    jobs: jobs.map((job) => ({ ...job, kindLabel: kindLabels[job.kind] ? res.locals.t(kindLabels[job.kind]) : job.kind, finishedAt: fromDatabaseTime(job.finishedAt) })),
    pagination: paginate(page, total),
  });
}
