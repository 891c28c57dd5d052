import type { Request, Response } from 'express';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { conflictFrom } from '../../lib/errors.js';
import { decideTicketApproval } from '../../models/ticket-approval.js';
import { findTicket } from '../../models/ticket.js';
import { renderStaffTicket } from './_ticket-page.js';

/** POST /:tenant/staff/tickets/:ticketId/approval: an admin approves on the customer's behalf (T7), as the history records. */
export async function create(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const conflict = await conflictFrom(decideTicketApproval(scopeOf(req), ticket.id, { outcome: 'approved' }, { links: linksOf(req) }));
  if (conflict) return renderStaffTicket(req, res, await findTicket(scopeOf(req), ticket.id), 409, { notice: conflict.messageKey });
  setFlash(req, 'success', 'tickets:approval.approvedOnBehalf');
  res.redirect(303, req.pathTo('staff.tickets.show', { ticketId: ticket.id }));
}
