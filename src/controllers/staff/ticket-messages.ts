import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { addStaffMessage } from '../../models/ticket-workflow.js';
import { formValues, parseForm } from '../../validators/form.js';
import { staffMessageForm } from '../../validators/ticket.js';
import { renderStaffTicket } from './_ticket-page.js';

/** POST /:tenant/staff/tickets/:ticketId/messages: a reply to the client, or an internal note no client sees (T4). */
export async function create(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const form = parseForm(staffMessageForm, req.body);
  if (!form.ok) return renderStaffTicket(req, res, ticket, 422, { form: 'message', values: formValues(req.body, ['body', 'isInternal']), errors: form.errors });
  await addStaffMessage(scopeOf(req), ticket.id, form.data);
  setFlash(req, 'success', form.data.isInternal ? 'tickets:message.noted' : 'tickets:message.sent');
  res.redirect(303, req.pathTo('staff.tickets.show', { ticketId: ticket.id }));
}
