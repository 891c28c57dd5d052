import type { EditableTicketCategory, TicketCategoryField } from '../models/ticket-category-editing.js';
import { decodeBase, encodeBase, mergeEdit } from '../validators/edit-merge.js';
import { formValues } from '../validators/form.js';
import { ticketCategoryFields } from '../validators/ticket-category.js';

/** The label of each field of the edit form (also the rows of its conflict table). */
export const ticketCategoryLabels: Record<TicketCategoryField, string> = {
  namePl: 'ticketCategories:fields.namePl',
  nameEn: 'ticketCategories:fields.nameEn',
  isActive: 'ticketCategories:fields.isActive',
};

/** What the edit page shows: the category, the form's values (with version and base), and after a conflict what was merged. */
export type TicketCategoryPage = {
  category: EditableTicketCategory;
  values: Record<string, string>;
  clashes: Array<{ field: TicketCategoryField; mine: string; stored: string }>;
  kept: TicketCategoryField[];
};

/** The stored category as the form sends it back (a ticked checkbox is 'on'). */
function valuesOf(category: EditableTicketCategory): Record<string, string> {
  return { namePl: category.namePl, nameEn: category.nameEn, isActive: category.isActive ? 'on' : '' };
}

function pageOf(category: EditableTicketCategory, values: Record<string, string>, opened: Record<string, string>): TicketCategoryPage {
  return { category, values: { ...values, version: String(category.version), base: encodeBase(opened, ticketCategoryFields) }, clashes: [], kept: [] };
}

/** The form as opened: the stored category. */
export function openedCategoryPage(category: EditableTicketCategory): TicketCategoryPage {
  const values = valuesOf(category);
  return pageOf(category, values, values);
}

/** The form sent back with its messages (422): what was typed, with the version and base it came with. */
export function refusedCategoryPage(category: EditableTicketCategory, body: unknown): TicketCategoryPage {
  return { ...pageOf(category, {}, {}), values: formValues(body, [...ticketCategoryFields, 'version', 'base']) };
}

/**
 * The form after a conflict (409): the stored version with only this admin's own changes applied,
 * at the stored version, so saving it undoes nobody's work; fields both changed are listed with
 * both values, and the form holds this admin's value for them.
 */
export function conflictCategoryPage(current: EditableTicketCategory, body: unknown): TicketCategoryPage {
  const stored = valuesOf(current);
  const merge = mergeEdit(ticketCategoryFields, decodeBase((body as Record<string, unknown> | undefined)?.base, ticketCategoryFields), formValues(body, ticketCategoryFields), stored);
  return {
    ...pageOf(current, merge.values, stored),
    clashes: merge.clashes.map((field) => ({ field: field as TicketCategoryField, mine: merge.values[field] ?? '', stored: stored[field] ?? '' })),
    kept: merge.kept as TicketCategoryField[],
  };
}
