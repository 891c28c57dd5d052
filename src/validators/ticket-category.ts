import { z } from 'zod';
import { checkbox } from './fields.js';
import { requiredText } from './form.js';

/** The longest name the ticket_categories table holds. */
export const maximumCategoryNameLength = 100;

/** The fields of the edit form that its version check merges (validators/edit-merge.ts). */
export const ticketCategoryFields = ['namePl', 'nameEn', 'isActive'] as const;

const names = { namePl: requiredText(maximumCategoryNameLength), nameEn: requiredText(maximumCategoryNameLength) };

/** views/admin/ticket-categories/index.ejs: a new category, named in Polish and English. */
export const ticketCategoryCreateForm = z.object(names);

/** views/admin/ticket-categories/edit.ejs: the names and whether clients are offered it, at a version. */
export const ticketCategoryEditForm = z.object({ ...names, isActive: checkbox, version: z.coerce.number().int().positive() });

/** The up and down buttons of views/admin/ticket-categories/index.ejs. */
export const ticketCategoryMoveForm = z.object({ direction: z.enum(['up', 'down'], { error: 'ticketCategories:errors.direction' }) });
