import type { Request, Response } from 'express';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { conflictFrom } from '../../lib/errors.js';
import { decideTicketApproval } from '../../models/ticket-approval.js';
import { findTicket } from '../../models/ticket.js';
import { formValues, parseForm } from '../../validators/form.js';
import { ticketRejectionForm } from '../../validators/ticket.js';
import { renderStaffTicket } from './_ticket-page.js';

/** POST /:tenant/staff/tickets/:ticketId/rejection: an admin rejects on the customer's behalf (T7), with the reason its filer reads. */
export async function create(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const values = formValues(req.body, ['reason']);
  const form = parseForm(ticketRejectionForm, req.body);
  if (!form.ok) return renderStaffTicket(req, res, ticket, 422, { form: 'rejection', values, errors: form.errors });
  const conflict = await conflictFrom(decideTicketApproval(scopeOf(req), ticket.id, { outcome: 'rejected', reason: form.data.reason }, { links: linksOf(req) }));
  if (conflict) return renderStaffTicket(req, res, await findTicket(scopeOf(req), ticket.id), 409, { notice: conflict.messageKey });
  setFlash(req, 'success', 'tickets:approval.rejected');
  res.redirect(303, req.pathTo('staff.tickets.show', { ticketId: ticket.id }));
}
