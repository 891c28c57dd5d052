import type { Scope } from '../db/scope.js';
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from '../lib/errors.js';
import { toDatabaseTime } from '../lib/time.js';
import { noteConfigurationChanged } from './tenant-configuration.js';
import { logEvent } from './audit.js';
import { isOfficeMessageCategory, officeMessageCode, type TicketCategory } from './ticket-category.js';
import { visibleTickets } from './visibility.js';

/** A category as the admins' pages show it: with its version (the edit form's check) and how many tickets have it. */
export type EditableTicketCategory = TicketCategory & { version: number; ticketCount: number };
export type TicketCategoryNames = { namePl: string; nameEn: string };
export type TicketCategoryChanges = TicketCategoryNames & { isActive: boolean };
export type TicketCategoryField = keyof TicketCategoryChanges;
export type TicketCategorySaveOutcome = { status: 'saved'; changedFields: TicketCategoryField[] } | { status: 'conflict'; current: EditableTicketCategory };

/** The kind code of a category an admin adds: the product acts on none of them (the five defaults keep theirs). */
const customCategoryCode = 'custom';
/** The gap between positions, so a category added later goes after the others without renumbering. */
const positionStep = 10;

function toEditable(row: Record<string, unknown>, ticketCount: number): EditableTicketCategory {
  return { id: Number(row.id), code: String(row.code), namePl: String(row.name_pl), nameEn: String(row.name_en), position: Number(row.position), isActive: Boolean(row.is_active), version: Number(row.version ?? 1), ticketCount };
}

/** How many tickets have each of the categories, in one query (every ticket counts: admins see all). */
async function ticketCountsOf(scope: Scope, categoryIds: number[]): Promise<Map<number, number>> {
  if (categoryIds.length === 0) return new Map();
  const tickets = await visibleTickets(scope);
  const rows: Array<Record<string, unknown>> = await tickets().whereIn('tickets.category_id', categoryIds).groupBy('tickets.category_id').select('tickets.category_id').count({ count: '*' });
  return new Map(rows.map((row) => [Number(row.category_id), Number(row.count)]));
}

/** Every category of the tenant, offered or not, in the clients' order, each with its number of tickets. */
export async function listEditableTicketCategories(scope: Scope): Promise<EditableTicketCategory[]> {
  const rows: Array<Record<string, unknown>> = await scope.table('ticket_categories').orderBy('position').orderBy('id').select('*');
  const counts = await ticketCountsOf(scope, rows.map((row) => Number(row.id)));
  return rows.map((row) => toEditable(row, counts.get(Number(row.id)) ?? 0));
}

/** @throws NotFoundError for another tenant's or a deleted category */
export async function findEditableTicketCategory(scope: Scope, id: number): Promise<EditableTicketCategory> {
  const row = await scope.table('ticket_categories').where('id', id).first();
  if (!row) throw new NotFoundError(`ticket category ${id} not found`);
  return toEditable(row, (await ticketCountsOf(scope, [id])).get(id) ?? 0);
}

/**
 * Each name is the tenant's only one in its language, whatever the letter case. Compared here, not
 * in SQL: SQLite's lower() knows no Polish letters, and a tenant has a handful of categories.
 */
async function ensureNamesAreFree(scope: Scope, names: TicketCategoryNames, exceptId?: number): Promise<void> {
  const rows: Array<{ id: number; name_pl: string; name_en: string }> = await scope.table('ticket_categories').select('id', 'name_pl', 'name_en');
  const same = (a: string, b: string) => a.toLocaleLowerCase('pl') === b.toLocaleLowerCase('pl');
  const others = rows.filter((row) => Number(row.id) !== exceptId);
  const errors: Record<string, string> = {};
  if (others.some((row) => same(String(row.name_pl), names.namePl))) errors.namePl = 'ticketCategories:errors.nameTaken';
  if (others.some((row) => same(String(row.name_en), names.nameEn))) errors.nameEn = 'ticketCategories:errors.nameTaken';
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

/** Two admins racing for one name: the unique key decides, and the loser gets the form's message. */
function asNameTaken(error: unknown): never {
  if (isUniqueViolation(error)) {
    const field = /name_en/.test(String((error as Error).message)) ? 'nameEn' : 'namePl';
    throw new ValidationError({ [field]: 'ticketCategories:errors.nameTaken' });
  }
  throw error;
}

/** Whether a deletion was refused because a row still refers to the one deleted. */
function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'ER_ROW_IS_REFERENCED_2' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** Locks the tenant's categories until the transaction ends (MySQL), so moves and additions keep one order. */
async function lockedCategories(trx: Scope): Promise<Array<Record<string, unknown>>> {
  const query = trx.table('ticket_categories').orderBy('position').orderBy('id');
  if (trx.isMysql) query.forUpdate();
  return query.select('id', 'position', 'is_active', 'code');
}

/**
 * Adds a category at the end of the list, offered to clients at once.
 * @throws ValidationError when a name is taken in the tenant
 */
export async function createTicketCategory(scope: Scope, names: TicketCategoryNames): Promise<number> {
  return scope.transaction(async (trx) => {
    const existing = await lockedCategories(trx);
    await ensureNamesAreFree(trx, names);
    const last = existing.reduce((highest, row) => Math.max(highest, Number(row.position)), 0);
    const now = toDatabaseTime(trx.now());
    const id = await trx
      .insert('ticket_categories', { code: customCategoryCode, name_pl: names.namePl, name_en: names.nameEn, position: last + positionStep, is_active: true, version: 1, created_at: now, updated_at: now })
      .catch(asNameTaken);
    await noteConfigurationChanged(trx);
    await logEvent(trx, { action: 'ticket_category.created', subjectType: 'ticket_category', subjectId: id });
    return id;
  });
}

/**
 * Saves a category's names and whether clients are offered it, at the version the form was opened
 * with. At another version nothing is written and the stored category is returned for the form to
 * merge (validators/edit-merge.ts); the same values sent again count as saved. A category tickets
 * use is never deleted but taken out of the offer: its tickets keep showing it.
 * @throws ValidationError for a taken name, or for taking the last offered category out of the offer
 */
export async function updateTicketCategory(scope: Scope, id: number, changes: TicketCategoryChanges & { version: number }): Promise<TicketCategorySaveOutcome> {
  return scope.transaction(async (trx) => {
    const active = (await lockedCategories(trx)).filter((row) => Boolean(row.is_active) && row.code !== officeMessageCode);
    const stored = await findEditableTicketCategory(trx, id);
    const changedFields = (['namePl', 'nameEn', 'isActive'] as const).filter((field) => changes[field] !== stored[field]);
    if (changedFields.length === 0) return { status: 'saved', changedFields };
    if (stored.version !== changes.version) return { status: 'conflict', current: stored };
    await ensureNamesAreFree(trx, changes, id);
    if (!changes.isActive && isOfficeMessageCategory(stored)) throw new ValidationError({ isActive: 'ticketCategories:errors.officeMessage' });
    if (!changes.isActive && stored.isActive && active.length <= 1) throw new ValidationError({ isActive: 'ticketCategories:errors.lastActive' });
    const updated = await trx
      .table('ticket_categories')
      .where({ id, version: changes.version })
      .update({ name_pl: changes.namePl, name_en: changes.nameEn, is_active: changes.isActive, version: trx.raw('version + 1'), updated_at: toDatabaseTime(trx.now()) })
      .catch(asNameTaken);
    if (Number(updated) !== 1) throw new ConflictError(`ticket category ${id} changed meanwhile`, { messageKey: 'ticketCategories:errors.changedMeanwhile' });
    await noteConfigurationChanged(trx);
    const names = changedFields.filter((field) => field !== 'isActive');
    if (names.length > 0) await logEvent(trx, { action: 'ticket_category.updated', subjectType: 'ticket_category', subjectId: id, details: { fields: names } });
    if (changes.isActive !== stored.isActive) await logEvent(trx, { action: changes.isActive ? 'ticket_category.activated' : 'ticket_category.deactivated', subjectType: 'ticket_category', subjectId: id });
    return { status: 'saved', changedFields };
  });
}

/**
 * Moves a category one place up or down the list clients choose from; at either end it stays. The
 * list is numbered again in steps, so equal positions (none yet, but nothing forbids them) sort out.
 * @returns whether it moved
 */
export async function moveTicketCategory(scope: Scope, id: number, direction: 'up' | 'down'): Promise<boolean> {
  return scope.transaction(async (trx) => {
    const rows = await lockedCategories(trx);
    const from = rows.findIndex((row) => Number(row.id) === id);
    if (from < 0) throw new NotFoundError(`ticket category ${id} not found`);
    const to = direction === 'up' ? from - 1 : from + 1;
    if (to < 0 || to >= rows.length) return false;
    const order = [...rows];
    [order[from], order[to]] = [order[to]!, order[from]!];
    const now = toDatabaseTime(trx.now());
    for (const [index, row] of order.entries()) {
      const position = (index + 1) * positionStep;
      if (Number(row.position) !== position) await trx.table('ticket_categories').where('id', Number(row.id)).update({ position, updated_at: now });
    }
    await noteConfigurationChanged(trx);
    await logEvent(trx, { action: 'ticket_category.moved', subjectType: 'ticket_category', subjectId: id, details: { from: from + 1, to: to + 1 } });
    return true;
  });
}

/**
 * Deletes a category no ticket has (one added by mistake). One that tickets use is taken out of the
 * offer instead, so old tickets keep their category; the last offered one stays, or clients could
 * file nothing.
 * @throws ConflictError ('ticketCategories:errors.inUse') when a ticket has it, ('ticketCategories:errors.lastActive') for the last offered one
 */
export async function deleteTicketCategory(scope: Scope, id: number): Promise<void> {
  await scope.transaction(async (trx) => {
    const active = (await lockedCategories(trx)).filter((row) => Boolean(row.is_active) && row.code !== officeMessageCode);
    const category = await findEditableTicketCategory(trx, id);
    if (isOfficeMessageCategory(category)) throw new ConflictError(`ticket category ${id} is the office message category`, { messageKey: 'ticketCategories:errors.officeMessage' });
    if (category.ticketCount > 0) throw new ConflictError(`ticket category ${id} has tickets`, { messageKey: 'ticketCategories:errors.inUse' });
    if (category.isActive && active.length <= 1) throw new ConflictError(`ticket category ${id} is the last offered`, { messageKey: 'ticketCategories:errors.lastActive' });
    // A ticket filed with it at this very moment makes the foreign key refuse the deletion: that is the in-use answer too.
    await trx.table('ticket_categories').where('id', id).delete().catch((error: unknown) => {
      if (!isForeignKeyViolation(error)) throw error;
      throw new ConflictError(`ticket category ${id} got a ticket meanwhile`, { messageKey: 'ticketCategories:errors.inUse', cause: error });
    });
    await noteConfigurationChanged(trx);
    await logEvent(trx, { action: 'ticket_category.deleted', subjectType: 'ticket_category', subjectId: id, details: { name: `${category.namePl} / ${category.nameEn}` } });
  });
}
