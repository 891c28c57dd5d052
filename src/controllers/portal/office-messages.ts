import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { attachmentLimits, attachmentsOf } from '../../middleware/attachments.js';
import { currentUserOf, linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { refusalFrom } from '../../lib/errors.js';
import { renderPage } from '../../lib/render.js';
import type { Scope } from '../../db/scope.js';
import { fileOfficeMessage } from '../../models/ticket.js';
import { attachToTicket } from '../../models/ticket-attachment.js';
import { fieldErrorsOf, formValues, parseForm, type FieldError } from '../../validators/form.js';
import { officeMessageFields, officeMessageForm } from '../../validators/office-message.js';

function renderForm(res: Response, status: number, values: Record<string, string>, errors: Record<string, FieldError> = {}, wereFilesDropped = false): void {
  renderPage(res, 'portal/office-messages/new', { title: res.locals.t('officeMessages:new.title'), values, errors, attachmentLimits, wereFilesDropped }, status);
}

/** GET /:tenant/portal/messages/new: the form to write to the office (C1), with a fresh submission key (a double click sends one). */
async function newMessage(_req: Request, res: Response): Promise<void> {
  renderForm(res, 200, { submissionKey: randomUUID() });
}
export { newMessage as new };

/** POST /:tenant/portal/messages: filed as a ticket of the office message category into the unassigned queue; the client follows it as any ticket. */
export async function create(req: Request, res: Response): Promise<void> {
  const values = formValues(req.body, officeMessageFields);
  const form = parseForm(officeMessageForm, req.body);
  const { attachments, refusal: filesRefusal, wereSent } = attachmentsOf(req);
  const errors = { ...(form.ok ? {} : form.errors), ...(filesRefusal ? { files: filesRefusal } : {}) };
  if (!form.ok || filesRefusal) return renderForm(res, 422, values, errors, wereSent);
  const afterFiling = (trx: Scope, ticketId: number) => attachToTicket(trx, ticketId, attachments);
  const message = { ...form.data, customerId: currentUserOf(req).customerId ?? 0, submissionKey: form.data.submissionKey ?? null };
  const filing = fileOfficeMessage(scopeOf(req), message, { afterFiling, links: linksOf(req) });
  const refusal = await refusalFrom(filing);
  if (refusal) return renderForm(res, 422, values, fieldErrorsOf(refusal), wereSent);
  setFlash(req, 'success', 'officeMessages:new.sent');
  res.redirect(303, req.pathTo('portal.tickets.show', { ticketId: await filing }));
}
