import type { Request, Response } from 'express';
import { isAdministrator, isStaff } from '../db/scope.js';
import type { Layout, PrepareLayout } from '../lib/render.js';
import { countPendingChangeRequests } from '../models/change-request.js';
import { countPendingLedgerEntries } from '../models/ledger-list.js';
import { countTicketsAwaitingApproval } from '../models/ticket-approval.js';
import { countMyTasks } from '../models/ticket-list.js';
import { scopeOf } from './context.js';

/**
 * How many things wait behind a menu entry, by the entry's route name (the staff menu shows them);
 * `<route name>:overdue` is how many of them are late, shown apart as a warning.
 */
export type MenuCounts = Record<string, number>;

/**
 * What the layout's menu counts: for staff the change requests waiting for a decision, of the
 * customers the user sees, and the user's open tasks with how many are overdue (T5); for a client
 * who approves tickets, those awaiting approval (T7). One query each, and only when a page of that
 * layout is drawn: redirects, error pages and other clients' pages never pay for it.
 */
export function menuCountsPreparer(req: Request, res: Response): PrepareLayout | undefined {
  const user = req.currentUser;
  if (!user) return undefined;
  if (user.role === 'client') return user.isApprover ? approverCounts(req, res) : undefined;
  if (!isStaff(user.role)) return undefined;
  return async (layout: Layout) => {
    if (layout !== 'staff' || res.locals.menuCounts) return;
    const scope = scopeOf(req);
    // Admins also see the ledger entries that wait for a decision (M1), behind "Payments".
    const [pendingRequests, myTasks, pendingEntries] = await Promise.all([countPendingChangeRequests(scope), countMyTasks(scope), isAdministrator(scope.actor) ? countPendingLedgerEntries(scope) : 0]);
    const counts: MenuCounts = { 'staff.changeRequests.index': pendingRequests, 'staff.tasks.index': myTasks.open, 'staff.tasks.index:overdue': myTasks.overdue, 'admin.payments.index': pendingEntries };
    res.locals.menuCounts = counts;
  };
}

/** An approver's menu shows "To approve" with what waits for them. */
function approverCounts(req: Request, res: Response): PrepareLayout {
  return async (layout: Layout) => {
    if (layout !== 'portal' || res.locals.menuCounts) return;
    const counts: MenuCounts = { 'portal.ticketApprovals.index': await countTicketsAwaitingApproval(scopeOf(req)) };
    res.locals.menuCounts = counts;
  };
}
