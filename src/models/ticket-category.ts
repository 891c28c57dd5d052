import type { Scope } from '../db/scope.js';
import { toDatabaseTime } from '../lib/time.js';
import { noteConfigurationChanged } from './tenant-configuration.js';

export type TicketCategory = { id: number; code: string; namePl: string; nameEn: string; position: number; isActive: boolean };

function toCategory(row: Record<string, unknown>): TicketCategory {
  return { id: Number(row.id), code: String(row.code), namePl: String(row.name_pl), nameEn: String(row.name_en), position: Number(row.position), isActive: Boolean(row.is_active) };
}

/** The category's name in the reader's language (Polish, else English). */
export function categoryName(category: Pick<TicketCategory, 'namePl' | 'nameEn'>, locale: string): string {
  return locale === 'pl' ? category.namePl : category.nameEn;
}

/**
 * The code of the system category "message to the office" (C1): every tenant has it; tickets get
 * it from the office message form and from e-mail, never from the ticket forms' list. An admin may
 * rename it, but not delete it nor take it out of use.
 */
export const officeMessageCode = 'message';

export const isOfficeMessageCategory = (category: Pick<TicketCategory, 'code'>) => category.code === officeMessageCode;

/**
 * The tenant's categories in their order; only those still offered unless all are asked for (an
 * old ticket's); the office message category only when asked for (a filter of the task lists).
 */
export async function listTicketCategories(scope: Scope, options: { isActiveOnly: boolean; isOfficeMessageIncluded?: boolean } = { isActiveOnly: true }): Promise<TicketCategory[]> {
  const all = await everyTicketCategory(scope);
  return all.filter((category) => (!options.isActiveOnly || category.isActive) && (options.isOfficeMessageIncluded || !isOfficeMessageCategory(category)));
}

/**
 * Every category of the tenant in its order, retired ones too: read once per request (scope.memo), so
 * a page's form, its filter and the names in its ticket list (ticket-list.ts) cost one statement of a
 * few rows together, and a list needs no join to them (issue 20: MySQL joined them by a buffer and
 * sorted the tasks through a temporary table); kept across requests under the tenant's configuration
 * version (Scope.kept), which every change of them renews. A transaction's scope has no memo and reads afresh.
 */
export function everyTicketCategory(scope: Scope): Promise<TicketCategory[]> {
  return scope.kept('ticket-categories', () =>
    scope
      .table('ticket_categories')
      .orderBy('position')
      .orderBy('id')
      .select('*')
      .then((rows: Array<Record<string, unknown>>) => rows.map(toCategory)),
  );
}

/** The categories of these ids, read now (whatever the request read before), retired ones too. */
export async function findTicketCategories(scope: Scope, ids: readonly number[]): Promise<TicketCategory[]> {
  return ((await scope.table('ticket_categories').whereIn('id', ids).select('*')) as Array<Record<string, unknown>>).map(toCategory);
}

/** The tenant's "message to the office" category, or undefined should it be missing. */
export async function findOfficeMessageCategory(scope: Scope): Promise<TicketCategory | undefined> {
  const row = await scope.table('ticket_categories').where({ code: officeMessageCode, is_active: true }).orderBy('id').first();
  return row ? toCategory(row) : undefined;
}

/** A category still offered, or undefined (a form sent with another tenant's or a retired category). */
export async function findActiveTicketCategory(scope: Scope, id: number): Promise<TicketCategory | undefined> {
  const row = await scope.table('ticket_categories').where({ id, is_active: true }).first();
  return row ? toCategory(row) : undefined;
}

/** The five categories a provider starts with (T1); the migration keeps its own copy, as migrations never import code. */
const defaultTicketCategories = [
  { code: 'service_order', name_pl: 'Zlecenie serwisowe na dzień i godzinę', name_en: 'Service order at a date and hour' },
  { code: 'meeting', name_pl: 'Prośba o spotkanie', name_en: 'Meeting request' },
  { code: 'failure', name_pl: 'Zgłoszenie awarii', name_en: 'Failure report' },
  { code: 'question', name_pl: 'Pytanie', name_en: 'Question' },
  { code: 'message', name_pl: 'Wiadomość do biura', name_en: 'Message to the office' },
] as const;

/** The five categories of the issue, for a new tenant (the migration gave them to the tenants that existed). */
export async function createDefaultTicketCategories(scope: Scope): Promise<void> {
  const now = toDatabaseTime(scope.now());
  await scope.insertQuery('ticket_categories', defaultTicketCategories.map((category, index) => ({ ...category, position: (index + 1) * 10, is_active: true, created_at: now })));
  await noteConfigurationChanged(scope);
}
