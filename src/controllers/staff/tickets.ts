import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Scope } from '../../db/scope.js';
import { attachmentLimits, attachmentsOf } from '../../middleware/attachments.js';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { refusalFrom } from '../../lib/errors.js';
import { renderPage } from '../../lib/render.js';
import type { Customer } from '../../models/customer.js';
import { listTicketCategories } from '../../models/ticket-category.js';
import { fileTicket } from '../../models/ticket.js';
import { attachToTicket } from '../../models/ticket-attachment.js';
import { categoryChoices } from '../../presenters/tickets.js';
import { fieldErrorsOf, formValues, parseForm, type FieldError } from '../../validators/form.js';
import { ticketCreateFields, ticketCreateForm } from '../../validators/ticket.js';
import { renderStaffTicket, tenantNowOf } from './_ticket-page.js';

/** GET /:tenant/staff/tickets/:ticketId: a ticket as staff work it. */
export async function show(req: Request, res: Response): Promise<void> {
  await renderStaffTicket(req, res, loaded(req, 'ticket'));
}

async function renderForm(req: Request, res: Response, customer: Customer, status: number, values: Record<string, string>, errors: Record<string, FieldError> = {}, wereFilesDropped = false): Promise<void> {
  const categories = await listTicketCategories(scopeOf(req));
  renderPage(res, 'staff/tickets/new', { title: res.locals.t('tickets:staffNew.title', { customer: customer.name }), customer, values, errors, categories: categoryChoices(categories, req.locale), today: tenantNowOf(req).today, attachmentLimits, wereFilesDropped }, status);
}

/** GET /:tenant/staff/customers/:customerId/tickets/new: filing a ticket on the customer's behalf (a phone call). */
async function newTicket(req: Request, res: Response): Promise<void> {
  await renderForm(req, res, loaded(req, 'customer'), 200, { submissionKey: randomUUID() });
}
export { newTicket as new };

/** POST /:tenant/staff/customers/:customerId/tickets: files it as staff (source "staff") with its files (T6), routed like any other (T2). */
export async function create(req: Request, res: Response): Promise<void> {
  const customer = loaded(req, 'customer');
  const values = formValues(req.body, ticketCreateFields);
  const form = parseForm(ticketCreateForm(tenantNowOf(req)), req.body);
  const { attachments, refusal: filesRefusal, wereSent } = attachmentsOf(req);
  const errors = { ...(form.ok ? {} : form.errors), ...(filesRefusal ? { files: filesRefusal } : {}) };
  if (!form.ok || filesRefusal) return renderForm(req, res, customer, 422, values, errors, wereSent);
  const afterFiling = (trx: Scope, ticketId: number) => attachToTicket(trx, ticketId, attachments);
  const filing = fileTicket(scopeOf(req), { ...form.data, customerId: customer.id, source: 'staff', submissionKey: form.data.submissionKey ?? null }, { afterFiling, links: linksOf(req) });
  const refusal = await refusalFrom(filing);
  if (refusal) return renderForm(req, res, customer, 422, values, fieldErrorsOf(refusal), wereSent);
  setFlash(req, 'success', 'tickets:new.filed');
  res.redirect(303, req.pathTo('staff.tickets.show', { ticketId: await filing }));
}
