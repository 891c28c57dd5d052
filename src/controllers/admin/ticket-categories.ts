import type { Request, Response } from 'express';
import { refusalFrom, refusalOf, ValidationError } from '../../lib/errors.js';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { createTicketCategory, updateTicketCategory } from '../../models/ticket-category-editing.js';
import { conflictCategoryPage, openedCategoryPage, refusedCategoryPage } from '../../presenters/ticket-categories.js';
import { fieldErrorsOf, formValues, parseForm } from '../../validators/form.js';
import { ticketCategoryCreateForm, ticketCategoryEditForm } from '../../validators/ticket-category.js';
import { renderCategoryEdit, renderCategoryList } from './_ticket-category-page.js';

/** GET /:tenant/admin/ticket-categories: the categories clients file tickets under (T1), in their order, and the new-category form. */
export async function index(req: Request, res: Response): Promise<void> {
  await renderCategoryList(req, res, 200);
}

/** POST /:tenant/admin/ticket-categories: a new category at the end of the list; an empty or taken name is 422. */
export async function create(req: Request, res: Response): Promise<void> {
  const values = formValues(req.body, ['namePl', 'nameEn']);
  const form = parseForm(ticketCategoryCreateForm, req.body);
  if (!form.ok) return renderCategoryList(req, res, 422, values, form.errors);
  const refusal = await refusalFrom(createTicketCategory(scopeOf(req), form.data));
  if (refusal) return renderCategoryList(req, res, 422, values, fieldErrorsOf(refusal));
  setFlash(req, 'success', 'ticketCategories:created');
  res.redirect(303, req.pathTo('admin.ticketCategories.index'));
}

/** GET /:tenant/admin/ticket-categories/:categoryId/edit */
export async function edit(req: Request, res: Response): Promise<void> {
  renderCategoryEdit(req, res, openedCategoryPage(loaded(req, 'ticketCategory')), 200);
}

/** POST /:tenant/admin/ticket-categories/:categoryId: names and offer under the version check; a conflict merges (409). */
export async function update(req: Request, res: Response): Promise<void> {
  const category = loaded(req, 'ticketCategory');
  const form = parseForm(ticketCategoryEditForm, req.body);
  if (!form.ok) return renderCategoryEdit(req, res, refusedCategoryPage(category, req.body), 422, form.errors);
  const outcome = await updateTicketCategory(scopeOf(req), category.id, form.data).catch(refusalOf);
  if (outcome instanceof ValidationError) return renderCategoryEdit(req, res, refusedCategoryPage(category, req.body), 422, fieldErrorsOf(outcome));
  if (outcome.status === 'conflict') return renderCategoryEdit(req, res, conflictCategoryPage(outcome.current, req.body), 409);
  setFlash(req, 'success', outcome.changedFields.length > 0 ? 'ticketCategories:saved' : 'ticketCategories:unchanged');
  res.redirect(303, req.pathTo('admin.ticketCategories.index'));
}
