import type { Scope } from '../db/scope.js';
import { lockRow } from '../db/scope.js';
import { ForbiddenError, NotFoundError, ValidationError, isUniqueViolation } from '../lib/errors.js';
import { toDatabaseTime } from '../lib/time.js';
import { noteConfigurationChanged } from './tenant-configuration.js';
import { logEvent } from './audit.js';
import { saveSettings, settingsInForce, settingsSetOn, type SettingInForce } from './settings.js';
import { visibleAccounts, visibleGroups } from './visibility.js';

/** The name of the group every tenant has and every new client account joins (seed 000). */
export const defaultGroupName = 'CLIENTS';

export type Group = { id: number; name: string; isDefault: boolean };
export type GroupWithMembers = Group & { memberCount: number };
/** A group's own portal-access value (D5): 'inherit' when the group sets none. */
export type GroupPortalAccess = { override: 'inherit' | 'on' | 'off'; inherited: SettingInForce<'portal.access'> };

function toGroup(row: Record<string, unknown>): Group {
  return { id: Number(row.id), name: String(row.name), isDefault: Boolean(row.is_default) };
}

/** Creates the tenant's CLIENTS group; part of creating a tenant. */
export async function createDefaultGroup(scope: Scope): Promise<number> {
  const now = toDatabaseTime(scope.now());
  return scope.insert('groups', {
    name: defaultGroupName,
    is_default: true,
    created_at: now,
    updated_at: now,
  });
}

export async function findDefaultGroup(scope: Scope): Promise<Group | undefined> {
  const row = await visibleGroups(scope).where('groups.is_default', true).first();
  return row ? { id: Number(row.id), name: String(row.name), isDefault: true } : undefined;
}

/** @throws NotFoundError when the group is not the scope tenant's */
export async function findGroup(scope: Scope, id: number): Promise<Group> {
  const row = await visibleGroups(scope).where('groups.id', id).first();
  if (!row) throw new NotFoundError(`group ${id} not found`);
  return toGroup(row);
}

/** The tenant's groups, CLIENTS first, then by name, each with how many accounts it has. */
export async function listGroups(scope: Scope): Promise<GroupWithMembers[]> {
  const rows: Array<Record<string, unknown>> = await visibleGroups(scope)
    .leftJoin('users', function joinMembers() {
      this.on('users.tenant_id', '=', 'groups.tenant_id').andOn('users.group_id', '=', 'groups.id');
    })
    .groupBy('groups.id', 'groups.name', 'groups.is_default')
    .orderBy([{ column: 'groups.is_default', order: 'desc' }, { column: 'groups.name' }, { column: 'groups.id' }])
    .select('groups.id', 'groups.name', 'groups.is_default')
    .count({ member_count: 'users.id' });
  return rows.map((row) => ({ ...toGroup(row), memberCount: Number(row.member_count) }));
}

/**
 * Group names are unique per tenant whatever their case ("VIP" and "vip" are one group). Compared
 * here, not in SQL: SQLite's lower() knows no Polish letters. A tenant has few groups.
 */
async function ensureNameIsFree(scope: Scope, name: string, exceptId?: number): Promise<void> {
  const rows: Array<{ id: number; name: string }> = await visibleGroups(scope).select('id', 'name');
  const wanted = name.toLocaleLowerCase('pl');
  const taken = rows.some((row) => Number(row.id) !== exceptId && String(row.name).toLocaleLowerCase('pl') === wanted);
  if (taken) throw new ValidationError({ name: 'groups:nameTaken' });
}

/** Two requests racing for one name: the unique key decides, and the loser gets the form's message. */
function asNameTaken(error: unknown): never {
  if (isUniqueViolation(error)) throw new ValidationError({ name: 'groups:nameTaken' });
  throw error;
}

/**
 * Creates a client group (A5).
 * @throws ValidationError when the tenant has a group of that name, in any case
 */
export async function createGroup(scope: Scope, name: string): Promise<Group> {
  return scope.transaction(async (trx) => {
    await ensureNameIsFree(trx, name);
    const now = toDatabaseTime(trx.now());
    const id = await trx.insert('groups', { name, is_default: false, created_at: now, updated_at: now }).catch(asNameTaken);
    await logEvent(trx, { action: 'group.created', subjectType: 'group', subjectId: id, details: { name } });
    return { id, name, isDefault: false };
  });
}

/** What the edit page shows of the group's portal-access override, and what it would inherit without one. */
export async function groupPortalAccess(scope: Scope, groupId: number): Promise<GroupPortalAccess> {
  const [own, inherited] = await Promise.all([settingsSetOn(scope, 'group', groupId), settingsInForce(scope)]);
  const value = own['portal.access'];
  return { override: value === 'on' || value === 'off' ? value : 'inherit', inherited: inherited['portal.access'] };
}

export type GroupChanges = { name?: string | undefined; portalAccess?: 'inherit' | 'on' | 'off' | undefined };

/**
 * Renames a group and sets its portal-access override, in one transaction. CLIENTS keeps its
 * name (seed 000 and every client account rely on it) but may carry an override.
 * @throws NotFoundError for another tenant's group; ForbiddenError for a new name of CLIENTS;
 *   ValidationError for a missing or taken name
 */
export async function updateGroup(scope: Scope, groupId: number, changes: GroupChanges): Promise<void> {
  await scope.transaction(async (trx) => {
    const group = await findGroup(trx, groupId);
    if (group.isDefault && changes.name !== undefined && changes.name !== group.name) {
      throw new ForbiddenError(`${defaultGroupName} cannot be renamed`, { messageKey: 'groups:defaultCannotBeRenamed' });
    }
    if (!group.isDefault && changes.name === undefined) throw new ValidationError({ name: 'validation:required' });
    if (!group.isDefault && changes.name !== group.name) await renameGroup(trx, group, changes.name!);
    if (changes.portalAccess !== undefined && changes.portalAccess !== (await groupPortalAccess(trx, groupId)).override) {
      await saveSettings(trx, 'group', groupId, { 'portal.access': changes.portalAccess === 'inherit' ? null : changes.portalAccess });
    }
  });
}

async function renameGroup(scope: Scope, group: Group, name: string): Promise<void> {
  await ensureNameIsFree(scope, name, group.id);
  await visibleGroups(scope).where('groups.id', group.id).update({ name, updated_at: toDatabaseTime(scope.now()) }).catch(asNameTaken);
  await logEvent(scope, { action: 'group.renamed', subjectType: 'group', subjectId: group.id, details: { from: group.name, to: name } });
}

/**
 * Deletes a group: its members go back to CLIENTS and its settings go with it, all in one
 * transaction, so no account is ever left without a group.
 * @returns how many accounts were moved to CLIENTS
 * @throws NotFoundError for another tenant's (or an already deleted) group; ForbiddenError for CLIENTS
 */
export async function deleteGroup(scope: Scope, groupId: number): Promise<number> {
  return scope.transaction(async (trx) => {
    // A move into this group at the same moment waits for the deletion, then finds no group (422).
    await lockRow(trx, 'groups', groupId);
    const group = await findGroup(trx, groupId);
    if (group.isDefault) throw new ForbiddenError(`${defaultGroupName} cannot be deleted`, { messageKey: 'groups:defaultCannotBeDeleted' });
    const fallback = await findDefaultGroup(trx);
    if (!fallback) throw new Error(`tenant ${trx.tenantId} has no ${defaultGroupName} group`);
    const now = toDatabaseTime(trx.now());
    const moved = await visibleAccounts(trx).where('users.group_id', group.id).update({ group_id: fallback.id, updated_at: now });
    await trx.table('settings').where({ level: 'group', target_id: group.id }).delete();
    await noteConfigurationChanged(trx);
    const deleted = await visibleGroups(trx).where('groups.id', group.id).delete();
    if (!deleted) throw new NotFoundError(`group ${groupId} not found`);
    await logEvent(trx, { action: 'group.deleted', subjectType: 'group', subjectId: group.id, details: { name: group.name, membersMoved: moved } });
    return moved;
  });
}

/**
 * Moves client accounts into a group, in one transaction, with one audit entry per account moved.
 * Ids that are not the tenant's client accounts (staff, another tenant's, unknown) are skipped:
 * staff have no group, and another tenant's account is as good as missing.
 * @returns how many accounts were moved and how many ids were skipped
 * @throws ValidationError when the group is not the tenant's, or no id is one of its client accounts
 */
export async function moveAccountsToGroup(scope: Scope, userIds: readonly number[], groupId: number): Promise<{ moved: number; skipped: number }> {
  const wanted = [...new Set(userIds)];
  return scope.transaction(async (trx) => {
    await lockRow(trx, 'groups', groupId);
    const group = await visibleGroups(trx).where('groups.id', groupId).first();
    if (!group) throw new ValidationError({ groupId: 'accountsPanel:groupMove.unknownGroup' });
    const members: Array<{ id: number; group_id: number | null }> = await visibleAccounts(trx).whereIn('users.id', wanted).where('users.role', 'client').select('id', 'group_id');
    if (members.length === 0) throw new ValidationError({ ids: 'accountsPanel:groupMove.noClientAccounts' });
    const moving = members.filter((member) => Number(member.group_id) !== groupId);
    if (moving.length > 0) {
      await visibleAccounts(trx).whereIn('users.id', moving.map((member) => member.id)).where('users.role', 'client').update({ group_id: groupId, updated_at: toDatabaseTime(trx.now()) });
    }
    for (const member of moving) {
      await logEvent(trx, { action: 'user.group_changed', subjectType: 'user', subjectId: Number(member.id), details: { from: member.group_id === null ? null : Number(member.group_id), to: groupId } });
    }
    return { moved: moving.length, skipped: wanted.length - members.length };
  });
}
