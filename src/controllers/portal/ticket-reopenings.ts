import type { Request, Response } from 'express';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { conflictFrom } from '../../lib/errors.js';
import { reopenTicket } from '../../models/ticket-workflow.js';
import { renderClientTicket } from './_ticket-page.js';

/**
 * POST /:tenant/portal/tickets/:ticketId/reopening: the client reopens a resolved ticket within the
 * tenant's days (T3); after them the page says so (409) and points to a reply, which files a new one.
 */
export async function create(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const conflict = await conflictFrom(reopenTicket(scopeOf(req), ticket.id, { links: linksOf(req) }));
  if (conflict) return renderClientTicket(req, res, ticket, 409, { values: {}, errors: {}, notice: conflict.messageKey });
  setFlash(req, 'success', 'tickets:reopen.done');
  res.redirect(303, req.pathTo('portal.tickets.show', { ticketId: ticket.id }));
}
