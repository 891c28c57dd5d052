import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { conflictFrom } from '../../lib/errors.js';
import { findTicket } from '../../models/ticket.js';
import { takeTicket } from '../../models/ticket-workflow.js';
import { renderStaffTicket } from './_ticket-page.js';

/** POST /:tenant/staff/tickets/:ticketId/takeover: a caretaker takes a ticket from the queue (T2); one someone already handles is answered on its page with 409. */
export async function create(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const conflict = await conflictFrom(takeTicket(scopeOf(req), ticket.id));
  if (conflict) return renderStaffTicket(req, res, await findTicket(scopeOf(req), ticket.id), 409, { notice: conflict.messageKey });
  setFlash(req, 'success', 'tickets:take.done');
  res.redirect(303, req.pathTo('staff.tickets.show', { ticketId: ticket.id }));
}
