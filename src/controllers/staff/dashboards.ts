import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { findStaffStartPage } from '../../models/staff-start-page.js';
import { changeFieldLabels } from '../../presenters/change-requests.js';
import { taskRow } from '../../presenters/task-list.js';

/** Rows each section shows; the rest is one link away. */
const rowsPerSection = 8;
/** Tasks each section of tasks shows; the rest is on the task lists. */
const tasksPerSection = 5;

/** GET /:tenant/staff: what waits for this member of staff (issue 14), through what they see. */
export async function show(req: Request, res: Response): Promise<void> {
  const page = await findStaffStartPage(scopeOf(req), rowsPerSection, tasksPerSection);
  const pendingRequests = {
    total: page.pendingRequests.total,
    rows: page.pendingRequests.rows.map((request) => ({ ...request, fields: Object.keys(request.changes).map((field) => changeFieldLabels[field as keyof typeof changeFieldLabels]) })),
  };
  const tasks = (excerpt: typeof page.myTasks) => ({ total: excerpt.total, rows: excerpt.rows.map((row) => taskRow(row, req.locale)) });
  // What a superadmin runs on the server when the nightly verification found the audit chain broken (cli/audit.ts).
  const auditVerifyCommand = `npm run cli -- audit:verify --tenant ${req.tenant!.slug}`;
  renderPage(res, 'staff/dashboards/show', { title: res.locals.t('dashboard:staff.title'), ...page, auditVerifyCommand, pendingRequests, myTasks: tasks(page.myTasks), overdueTasks: tasks(page.overdueTasks), queue: tasks(page.queue) });
}
