import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { moveTicketCategory } from '../../models/ticket-category-editing.js';
import { parseForm } from '../../validators/form.js';
import { ticketCategoryMoveForm } from '../../validators/ticket-category.js';
import { renderCategoryList } from './_ticket-category-page.js';

/** POST /:tenant/admin/ticket-categories/:categoryId/position: one place up or down the clients' list (no script needed). */
export async function update(req: Request, res: Response): Promise<void> {
  const form = parseForm(ticketCategoryMoveForm, req.body);
  if (!form.ok) return renderCategoryList(req, res, 422, undefined, form.errors);
  const hasMoved = await moveTicketCategory(scopeOf(req), loaded(req, 'ticketCategory').id, form.data.direction);
  setFlash(req, 'success', hasMoved ? 'ticketCategories:moved' : 'ticketCategories:notMoved');
  res.redirect(303, req.pathTo('admin.ticketCategories.index'));
}
