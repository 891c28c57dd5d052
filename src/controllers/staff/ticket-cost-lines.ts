import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { conflictFrom, NotFoundError } from '../../lib/errors.js';
import { findScopeTenant } from '../../models/tenant.js';
import { addCostLine, removeCostLine, updateCostLine } from '../../models/ticket-cost-lines.js';
import type { Ticket } from '../../models/ticket.js';
import { costLineFields, costLineForm, costLineMergedFields, costLineRemovalForm } from '../../validators/cost-line.js';
import { decodeBase, mergeEdit } from '../../validators/edit-merge.js';
import { costLineFormValues } from '../../presenters/pricing.js';
import { formValues, parseForm } from '../../validators/form.js';
import { renderCostLineForm } from './_cost-line-page.js';
import { renderStaffTicket } from './_ticket-page.js';

/** The cost line the route loaded, which must be one of the loaded ticket's (any other id is 404). */
function lineOf(req: Request, ticket: Ticket) {
  const line = loaded(req, 'costLine');
  if (line.ticketId !== ticket.id) throw new NotFoundError(`cost line ${line.id} of ticket ${ticket.id}`);
  return line;
}

async function currencyOf(req: Request): Promise<string> {
  return (await findScopeTenant(scopeOf(req))).currency;
}

const backToTicket = (req: Request, res: Response, ticket: Ticket, flash: string) => {
  setFlash(req, 'success', flash);
  res.redirect(303, req.pathTo('staff.tickets.show', { ticketId: ticket.id }));
};

/** GET /:tenant/staff/tickets/:ticketId/cost-lines/new: the form for a line on a page of its own. */
async function newCostLine(req: Request, res: Response): Promise<void> {
  await renderCostLineForm(req, res, loaded(req, 'ticket'), undefined, { status: 200 });
}
export { newCostLine as new };

/** POST /:tenant/staff/tickets/:ticketId/cost-lines: adds a line (T10); sent twice, adds one. */
export async function create(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const form = parseForm(costLineForm(await currencyOf(req)), req.body);
  if (!form.ok) return renderCostLineForm(req, res, ticket, undefined, { status: 422, values: formValues(req.body, costLineFields), errors: form.errors });
  const conflict = await conflictFrom(addCostLine(scopeOf(req), ticket.id, form.data));
  if (conflict) return renderStaffTicket(req, res, ticket, 409, { notice: conflict.messageKey });
  backToTicket(req, res, ticket, 'pricing:added');
}

/** GET /:tenant/staff/tickets/:ticketId/cost-lines/:costLineId/edit */
export async function edit(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  await renderCostLineForm(req, res, ticket, lineOf(req, ticket), { status: 200 });
}

/**
 * POST /:tenant/staff/tickets/:ticketId/cost-lines/:costLineId: saves a line at the version its form
 * showed; changed by someone since, the page (409) shows the stored line, and its form holds the stored
 * line with this user's own changes, a field both changed with this user's value and named above it.
 */
export async function update(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const line = lineOf(req, ticket);
  const values = formValues(req.body, costLineFields);
  const form = parseForm(costLineForm(await currencyOf(req)), req.body);
  if (!form.ok) return renderCostLineForm(req, res, ticket, line, { status: 422, values, errors: form.errors });
  const saving = updateCostLine(scopeOf(req), ticket.id, line.id, { ...form.data, version: form.data.version ?? 0 });
  const conflict = await conflictFrom(saving);
  if (conflict) return renderStaffTicket(req, res, ticket, 409, { notice: conflict.messageKey });
  const result = await saving;
  if (result.outcome === 'changed') {
    // The form starts from the stored line with only this user's own changes (issue 14): saved as it stands, it keeps both people's work.
    const currency = await currencyOf(req);
    const stored = costLineFormValues(result.stored, currency, req.locale);
    const mine = costLineFormValues({ ...result.stored, ...form.data, version: result.stored.version }, currency, req.locale);
    const merge = mergeEdit(costLineMergedFields, decodeBase((req.body as Record<string, unknown> | undefined)?.base, costLineMergedFields), mine, stored);
    return renderCostLineForm(req, res, ticket, result.stored, { status: 409, values: { ...merge.values, version: stored.version!, base: stored.base! }, notice: 'pricing:errors.changedMeanwhile', stored: result.stored, clashes: merge.clashes });
  }
  backToTicket(req, res, ticket, 'pricing:saved');
}

/** POST /:tenant/staff/tickets/:ticketId/cost-lines/:costLineId/removal: removes a line at the version the page showed. */
export async function destroy(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const line = lineOf(req, ticket);
  const form = parseForm(costLineRemovalForm, req.body);
  const conflict = await conflictFrom(removeCostLine(scopeOf(req), ticket.id, line.id, form.ok ? form.data.version : 0));
  if (conflict) return renderStaffTicket(req, res, ticket, 409, { notice: conflict.messageKey });
  backToTicket(req, res, ticket, 'pricing:removed');
}
