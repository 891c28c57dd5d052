import type { Request, Response } from 'express';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { isTicketPriority } from '../../models/ticket-status.js';
import { planTicket } from '../../models/ticket-workflow.js';
import { formValues, parseForm } from '../../validators/form.js';
import { ticketPlanForm } from '../../validators/ticket.js';
import { renderStaffTicket } from './_ticket-page.js';

const planFields = ['dueDate', 'priority', 'version', 'baseDueDate', 'basePriority'];

/**
 * POST /:tenant/staff/tickets/:ticketId/plan: the due date and priority (T3). When both people changed
 * the same field the page says so (409), keeps this user's values in the form and shows the stored ones.
 */
export async function update(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const values = formValues(req.body, planFields);
  const form = parseForm(ticketPlanForm, req.body);
  if (!form.ok) return renderStaffTicket(req, res, ticket, 422, { form: 'plan', values, errors: form.errors });
  const { baseDueDate, basePriority } = form.data;
  const base = baseDueDate !== undefined && isTicketPriority(basePriority) ? { dueDate: baseDueDate || null, priority: basePriority } : null;
  const result = await planTicket(scopeOf(req), ticket.id, { dueDate: form.data.dueDate, priority: form.data.priority, version: form.data.version, base }, { links: linksOf(req) });
  if (result.outcome === 'clash') {
    // The form now starts from the stored version, with this user's values kept for the fields both changed.
    const stored = { baseDueDate: result.stored.dueDate ?? '', basePriority: result.stored.priority };
    return renderStaffTicket(req, res, result.stored, 409, { form: 'plan', values: { ...values, ...stored }, notice: 'tickets:errors.planClash', clash: result.fields });
  }
  setFlash(req, 'success', 'tickets:plan.saved');
  res.redirect(303, req.pathTo('staff.tickets.show', { ticketId: ticket.id }));
}
