import type { Request, Response } from 'express';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { actingUserId } from '../../db/scope.js';
import { ConflictError, ValidationError } from '../../lib/errors.js';
import { findTicket } from '../../models/ticket.js';
import { assignTicket } from '../../models/ticket-workflow.js';
import { message } from '../../presenters/presentation.js';
import { fieldErrorsOf, formValues, parseForm } from '../../validators/form.js';
import { ticketAssignmentForm } from '../../validators/ticket.js';
import { renderStaffTicket } from './_ticket-page.js';

/**
 * POST /:tenant/staff/tickets/:ticketId/assignment: an admin assigns or reassigns the task, saying why
 * (T2). When someone else assigned or took it since the page was opened, the page comes back (409)
 * saying who has it now, with this admin's choice and reason still in the form.
 */
export async function create(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const values = formValues(req.body, ['assigneeId', 'note']);
  const form = parseForm(ticketAssignmentForm, req.body);
  if (!form.ok) return renderStaffTicket(req, res, ticket, 422, { form: 'assignment', values, errors: form.errors });
  const { assigneeId, note, baseAssigneeId } = form.data;
  const failure = await assignTicket(scopeOf(req), ticket.id, { assigneeId, note, base: baseAssigneeId }, { links: linksOf(req) }).then(
    () => undefined,
    (error: unknown) => (error instanceof ValidationError || error instanceof ConflictError ? error : Promise.reject(error)),
  );
  if (failure instanceof ValidationError) return renderStaffTicket(req, res, ticket, 422, { form: 'assignment', values, errors: fieldErrorsOf(failure) });
  if (failure) {
    const current = await findTicket(scopeOf(req), ticket.id);
    const isMine = current.assigneeId !== null && current.assigneeId === actingUserId(scopeOf(req).actor);
    const notice = isMine ? message('tickets:errors.assignedToYouMeanwhile') : current.assigneeName ? message('tickets:errors.assignedMeanwhile', { name: current.assigneeName }) : message('tickets:errors.unassignedMeanwhile');
    return renderStaffTicket(req, res, current, 409, { form: 'assignment', values, notice });
  }
  setFlash(req, 'success', 'tickets:assignment.done');
  res.redirect(303, req.pathTo('staff.tickets.show', { ticketId: ticket.id }));
}
