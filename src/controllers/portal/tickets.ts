import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { attachmentsOf } from '../../middleware/attachments.js';
import { currentUserOf, linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { refusalFrom } from '../../lib/errors.js';
import { pageFrom } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import type { Scope } from '../../db/scope.js';
import { fileTicket, findTicket } from '../../models/ticket.js';
import { attachToTicket } from '../../models/ticket-attachment.js';
import { listClientTickets } from '../../models/ticket-list.js';
import { assigneeText, ticketStatusBadge } from '../../presenters/tickets.js';
import { fieldErrorsOf, formValues, parseForm } from '../../validators/form.js';
import { clientTicketListQuery, ticketCreateFields, ticketCreateForm } from '../../validators/ticket.js';
import { renderClientTicket, renderTicketForm, tenantNowOf } from './_ticket-page.js';

const perPage = 20;

/** GET /:tenant/portal/tickets: the client's tickets, newest change first (T4, A12), searched by their words (T5). */
export async function index(req: Request, res: Response): Promise<void> {
  const { q } = clientTicketListQuery.parse(req.query);
  const { rows, pagination } = await listClientTickets(scopeOf(req), pageFrom(req.query.page, perPage), q);
  const shown = rows.map((row) => ({ ...row, statusBadge: ticketStatusBadge(row.status), handledBy: assigneeText(row.assigneeName, row.status) }));
  renderPage(res, 'portal/tickets/index', { title: res.locals.t('tickets:list.title'), rows: shown, pagination, q });
}

/** GET /:tenant/portal/tickets/:ticketId: one ticket of the client's (another's is 404, like a missing one). */
export async function show(req: Request, res: Response): Promise<void> {
  await renderClientTicket(req, res, loaded(req, 'ticket'));
}

/** GET /:tenant/portal/tickets/new: the form, with a fresh submission key (a double click files one ticket). */
async function newTicket(req: Request, res: Response): Promise<void> {
  await renderTicketForm(req, res, 200, { submissionKey: randomUUID() });
}
export { newTicket as new };

/** POST /:tenant/portal/tickets: files the ticket for the client's own company (T1) with its files (T6) and routes it (T2). */
export async function create(req: Request, res: Response): Promise<void> {
  const values = formValues(req.body, ticketCreateFields);
  const form = parseForm(ticketCreateForm(tenantNowOf(req)), req.body);
  const { attachments, refusal: filesRefusal, wereSent } = attachmentsOf(req);
  const errors = { ...(form.ok ? {} : form.errors), ...(filesRefusal ? { files: filesRefusal } : {}) };
  if (!form.ok || filesRefusal) return renderTicketForm(req, res, 422, values, errors, wereSent);
  const customerId = currentUserOf(req).customerId ?? 0;
  const afterFiling = (trx: Scope, ticketId: number) => attachToTicket(trx, ticketId, attachments);
  const filing = fileTicket(scopeOf(req), { ...form.data, customerId, source: 'portal', submissionKey: form.data.submissionKey ?? null }, { afterFiling, links: linksOf(req) });
  const refusal = await refusalFrom(filing);
  if (refusal) return renderTicketForm(req, res, 422, values, fieldErrorsOf(refusal), wereSent);
  const ticket = await findTicket(scopeOf(req), await filing);
  setFlash(req, 'success', ticket.status === 'awaiting_approval' ? 'tickets:approval.filedAwaiting' : 'tickets:new.filed');
  res.redirect(303, req.pathTo('portal.tickets.show', { ticketId: ticket.id }));
}
