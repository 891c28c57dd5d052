import type { Request, Response } from 'express';
import { renderPage } from '../../lib/render.js';
import { scopeOf } from '../../middleware/context.js';
import { listEditableTicketCategories } from '../../models/ticket-category-editing.js';
import { isOfficeMessageCategory } from '../../models/ticket-category.js';
import { ticketCategoryLabels, type TicketCategoryPage } from '../../presenters/ticket-categories.js';
import type { FieldError } from '../../validators/form.js';

/** The list of the tenant's ticket categories with the new-category form; also the answer to a refused form there. */
export async function renderCategoryList(req: Request, res: Response, status: number, values: Record<string, string> = { namePl: '', nameEn: '' }, errors: Record<string, FieldError> = {}): Promise<void> {
  renderPage(res, 'admin/ticket-categories/index', { title: res.locals.t('ticketCategories:list.title'), categories: await listEditableTicketCategories(scopeOf(req)), values, errors }, status);
}

/** A category's edit page (names, offered or not, deletion of an unused one); also the answer to a refused or conflicting form. */
export function renderCategoryEdit(req: Request, res: Response, page: TicketCategoryPage, status: number, errors: Record<string, FieldError> = {}, notice?: string): void {
  const name = req.locale === 'pl' ? page.category.namePl : page.category.nameEn;
  renderPage(res, 'admin/ticket-categories/edit', { title: res.locals.t('ticketCategories:edit.title', { name }), name, ...page, isOfficeMessage: isOfficeMessageCategory(page.category), labels: ticketCategoryLabels, errors, notice }, status);
}
