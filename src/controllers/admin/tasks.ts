import type { Request, Response } from 'express';
import { renderTaskList } from '../../presenters/task-list-page.js';

/**
 * GET /:tenant/admin/tasks: every task of the tenant (T5), filtered by caretaker among the rest;
 * "overdue" makes it the admins' list of overdue tasks across caretakers.
 */
export async function index(req: Request, res: Response): Promise<void> {
  await renderTaskList(req, res, { list: 'all', route: 'admin.tasks.index', heading: 'tickets:tasks.all', emptyKey: 'tickets:tasks.emptyAll', hasCaretakerFilter: true });
}
