import type { Request, Response } from 'express';
import { currentUserOf, linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { conflictFrom } from '../../lib/errors.js';
import { pageFrom } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { decideTicketApproval, listTicketsAwaitingApproval } from '../../models/ticket-approval.js';
import { findTicket } from '../../models/ticket.js';
import { categoryText } from '../../presenters/tickets.js';
import { renderClientTicket } from './_ticket-page.js';

const perPage = 20;

/**
 * GET /:tenant/portal/approvals: what waits for the approver's decision (T7), longest waiting first.
 * Anyone else at the company (no menu entry leads them here) sees their tickets still waiting for one.
 */
export async function index(req: Request, res: Response): Promise<void> {
  const isApprover = currentUserOf(req).isApprover;
  const { rows, pagination } = await listTicketsAwaitingApproval(scopeOf(req), pageFrom(req.query.page, perPage));
  const shown = rows.map((row) => ({ ...row, categoryName: categoryText(row.category, req.locale) }));
  renderPage(res, 'portal/ticket-approvals/index', { title: res.locals.t('tickets:approval.list.title'), rows: shown, pagination, isApprover });
}

/** POST /:tenant/portal/tickets/:ticketId/approval: an approver approves the ticket, which then goes to staff. */
export async function create(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const conflict = await conflictFrom(decideTicketApproval(scopeOf(req), ticket.id, { outcome: 'approved' }, { links: linksOf(req) }));
  if (conflict) return renderClientTicket(req, res, await findTicket(scopeOf(req), ticket.id), 409, { values: {}, errors: {}, notice: conflict.messageKey });
  setFlash(req, 'success', 'tickets:approval.approved');
  res.redirect(303, req.pathTo('portal.ticketApprovals.index'));
}
