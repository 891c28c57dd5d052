import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { refusalFrom } from '../../lib/errors.js';
import { assignTicket } from '../../models/ticket-workflow.js';
import { fieldErrorsOf, formValues, parseForm } from '../../validators/form.js';
import { ticketAssignmentForm } from '../../validators/ticket.js';
import { renderStaffTicket } from './_ticket-page.js';

/** POST /:tenant/staff/tickets/:ticketId/assignment: an admin assigns or reassigns the task, saying why (T2). */
export async function create(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const values = formValues(req.body, ['assigneeId', 'note']);
  const form = parseForm(ticketAssignmentForm, req.body);
  if (!form.ok) return renderStaffTicket(req, res, ticket, 422, { form: 'assignment', values, errors: form.errors });
  const refusal = await refusalFrom(assignTicket(scopeOf(req), ticket.id, form.data));
  if (refusal) return renderStaffTicket(req, res, ticket, 422, { form: 'assignment', values, errors: fieldErrorsOf(refusal) });
  setFlash(req, 'success', 'tickets:assignment.done');
  res.redirect(303, req.pathTo('staff.tickets.show', { ticketId: ticket.id }));
}
