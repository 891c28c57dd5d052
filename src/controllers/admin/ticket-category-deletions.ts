import type { Request, Response } from 'express';
import { conflictFrom } from '../../lib/errors.js';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { deleteTicketCategory, findEditableTicketCategory } from '../../models/ticket-category-editing.js';
import { openedCategoryPage } from '../../presenters/ticket-categories.js';
import { renderCategoryEdit } from './_ticket-category-page.js';

/**
 * POST /:tenant/admin/ticket-categories/:categoryId/deletion: deletes a category no ticket has; one
 * that tickets use (or the last offered one) is answered on its edit page with 409, which says to
 * take it out of the offer instead.
 */
export async function create(req: Request, res: Response): Promise<void> {
  const category = loaded(req, 'ticketCategory');
  const conflict = await conflictFrom(deleteTicketCategory(scopeOf(req), category.id));
  if (conflict) return renderCategoryEdit(req, res, openedCategoryPage(await findEditableTicketCategory(scopeOf(req), category.id)), 409, {}, conflict.messageKey);
  setFlash(req, 'success', 'ticketCategories:deleted');
  res.redirect(303, req.pathTo('admin.ticketCategories.index'));
}
