import type { Request, Response } from 'express';
import { attachmentsOf } from '../../middleware/attachments.js';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { addStaffMessage } from '../../models/ticket-workflow.js';
import { formValues, parseForm } from '../../validators/form.js';
import { staffMessageForm } from '../../validators/ticket.js';
import { renderStaffTicket } from './_ticket-page.js';

/** POST /:tenant/staff/tickets/:ticketId/messages: a reply to the client, or an internal note no client sees (T4), with its files (T6). */
export async function create(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const form = parseForm(staffMessageForm, req.body);
  const { attachments, refusal, wereSent } = attachmentsOf(req);
  const errors = { ...(form.ok ? {} : form.errors), ...(refusal ? { files: refusal } : {}) };
  if (!form.ok || refusal) return renderStaffTicket(req, res, ticket, 422, { form: 'message', values: formValues(req.body, ['body', 'isInternal', 'submissionKey']), errors, wereFilesDropped: wereSent });
  await addStaffMessage(scopeOf(req), ticket.id, { body: form.data.body, isInternal: form.data.isInternal }, { submissionKey: form.data.submissionKey ?? null, attachments, links: linksOf(req) });
  setFlash(req, 'success', form.data.isInternal ? 'tickets:message.noted' : 'tickets:message.sent');
  res.redirect(303, req.pathTo('staff.tickets.show', { ticketId: ticket.id }));
}
