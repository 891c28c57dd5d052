import type { Request, Response } from 'express';
import { renderTaskList } from '../../presenters/task-list-page.js';

/** GET /:tenant/staff/queue: the unassigned queue, where caretakers take tickets and admins assign them (T2, T5). */
export function index(req: Request, res: Response): Promise<void> {
  return renderTaskList(req, res, { list: 'queue', route: 'staff.queue.index', heading: 'tickets:tasks.queue', emptyKey: 'tickets:tasks.emptyQueue', hasCaretakerFilter: false });
}
