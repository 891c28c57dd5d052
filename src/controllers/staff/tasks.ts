import type { Request, Response } from 'express';
import { renderTaskList } from '../../presenters/task-list-page.js';

/** GET /:tenant/staff/tasks: "My tasks", the tickets assigned to the signed-in member of staff (T5). */
export function index(req: Request, res: Response): Promise<void> {
  return renderTaskList(req, res, { list: 'mine', route: 'staff.tasks.index', heading: 'tickets:tasks.mine', emptyKey: 'tickets:tasks.emptyMine', hasCaretakerFilter: false });
}
