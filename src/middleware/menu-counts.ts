import type { Request, Response } from 'express';
import { isStaff } from '../db/scope.js';
import type { Layout, PrepareLayout } from '../lib/render.js';
import { countPendingChangeRequests } from '../models/change-request.js';
import { countMyTasks } from '../models/ticket-list.js';
import { scopeOf } from './context.js';

/**
 * How many things wait behind a menu entry, by the entry's route name (the staff menu shows them);
 * `<route name>:overdue` is how many of them are late, shown apart as a warning.
 */
export type MenuCounts = Record<string, number>;

/**
 * What the staff layout's menu counts: the change requests waiting for a decision, of the
 * customers the user sees, and the user's open tasks with how many are overdue (T5). One query
 * each, and only when a staff page is drawn: redirects, clients'
 * pages and error pages never pay for it.
 */
export function menuCountsPreparer(req: Request, res: Response): PrepareLayout | undefined {
  const role = req.currentUser?.role;
  if (!role || !isStaff(role)) return undefined;
  return async (layout: Layout) => {
    if (layout !== 'staff' || res.locals.menuCounts) return;
    const scope = scopeOf(req);
    const [pendingRequests, myTasks] = await Promise.all([countPendingChangeRequests(scope), countMyTasks(scope)]);
    const counts: MenuCounts = { 'staff.changeRequests.index': pendingRequests, 'staff.tasks.index': myTasks.open, 'staff.tasks.index:overdue': myTasks.overdue };
    res.locals.menuCounts = counts;
  };
}
