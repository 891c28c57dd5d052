import type { Request, Response } from 'express';
import { attachmentsOf } from '../../middleware/attachments.js';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { replyAsClient } from '../../models/ticket-workflow.js';
import { formValues, parseForm } from '../../validators/form.js';
import { ticketReplyForm } from '../../validators/ticket.js';
import { renderClientTicket } from './_ticket-page.js';

/**
 * POST /:tenant/portal/tickets/:ticketId/replies: the client's reply (T3) with its files (T6). A
 * reply to a finished ticket files a new one linked to it, and the client is taken there.
 */
export async function create(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const form = parseForm(ticketReplyForm, req.body);
  const { attachments, refusal, wereSent } = attachmentsOf(req);
  const errors = { ...(form.ok ? {} : form.errors), ...(refusal ? { files: refusal } : {}) };
  if (!form.ok || refusal) return renderClientTicket(req, res, ticket, 422, { values: formValues(req.body, ['body', 'submissionKey']), errors, wereFilesDropped: wereSent });
  const outcome = await replyAsClient(scopeOf(req), ticket.id, form.data.body, { submissionKey: form.data.submissionKey ?? null, attachments, links: linksOf(req) });
  setFlash(req, 'success', outcome.isNewTicket ? 'tickets:reply.newTicket' : 'tickets:reply.sent');
  res.redirect(303, req.pathTo('portal.tickets.show', { ticketId: outcome.ticketId }));
}
