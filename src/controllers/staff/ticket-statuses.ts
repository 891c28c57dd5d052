import type { Request, Response } from 'express';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { conflictFrom } from '../../lib/errors.js';
import { findTicket } from '../../models/ticket.js';
import { movesFrom } from '../../models/ticket-status.js';
import { changeTicketStatus } from '../../models/ticket-workflow.js';
import { message } from '../../presenters/presentation.js';
import { statusLabels } from '../../presenters/tickets.js';
import { formValues, parseForm } from '../../validators/form.js';
import { ticketStatusForm } from '../../validators/ticket.js';
import { renderStaffTicket } from './_ticket-page.js';

/**
 * POST /:tenant/staff/tickets/:ticketId/status: moves the task by the status table (T3). A move the
 * table forbids is answered on the task page as it is now (409). When someone else moved the status
 * since the page was opened, the page (409) names the status it has now and keeps this person's
 * choice in the form when the table still allows it, so one click sends it again; nothing is lost.
 */
export async function update(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const form = parseForm(ticketStatusForm, req.body);
  if (!form.ok) return renderStaffTicket(req, res, ticket, 422, { form: 'status', errors: form.errors });
  const { status, version, baseStatus } = form.data;
  const conflict = await conflictFrom(changeTicketStatus(scopeOf(req), ticket.id, { to: status, version, base: baseStatus ?? null, mover: 'staff' }, { links: linksOf(req) }));
  if (conflict) {
    const current = await findTicket(scopeOf(req), ticket.id);
    if (conflict.messageKey !== 'tickets:errors.statusClash') return renderStaffTicket(req, res, current, 409, { notice: conflict.messageKey });
    const isStillPossible = movesFrom('staff', current.status).includes(status);
    const notice = message(isStillPossible ? 'tickets:errors.statusClash' : 'tickets:errors.statusClashMoveGone', { status: message(statusLabels[current.status]), mine: message(statusLabels[status]) });
    return renderStaffTicket(req, res, current, 409, { form: 'status', values: isStillPossible ? formValues(req.body, ['status']) : {}, notice });
  }
  setFlash(req, 'success', 'tickets:status.changed');
  res.redirect(303, req.pathTo('staff.tickets.show', { ticketId: ticket.id }));
}
