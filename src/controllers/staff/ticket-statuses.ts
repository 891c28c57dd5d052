import type { Request, Response } from 'express';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { conflictFrom } from '../../lib/errors.js';
import { findTicket } from '../../models/ticket.js';
import { changeTicketStatus } from '../../models/ticket-workflow.js';
import { parseForm } from '../../validators/form.js';
import { ticketStatusForm } from '../../validators/ticket.js';
import { renderStaffTicket } from './_ticket-page.js';

/**
 * POST /:tenant/staff/tickets/:ticketId/status: moves the task by the status table (T3). A move the
 * table forbids, or a ticket someone changed meanwhile, is answered on the task page as it is now (409).
 */
export async function update(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const form = parseForm(ticketStatusForm, req.body);
  if (!form.ok) return renderStaffTicket(req, res, ticket, 422, { form: 'status', errors: form.errors });
  const conflict = await conflictFrom(changeTicketStatus(scopeOf(req), ticket.id, { to: form.data.status, version: form.data.version, mover: 'staff' }, { links: linksOf(req) }));
  if (conflict) return renderStaffTicket(req, res, await findTicket(scopeOf(req), ticket.id), 409, { notice: conflict.messageKey });
  setFlash(req, 'success', 'tickets:status.changed');
  res.redirect(303, req.pathTo('staff.tickets.show', { ticketId: ticket.id }));
}
