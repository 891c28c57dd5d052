import type { Scope } from '../db/scope.js';
import { actingUserId } from '../db/scope.js';
import { ForbiddenError } from '../lib/errors.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { noteConfigurationChanged } from './tenant-configuration.js';
import { decodeSetting, definitionOf, encodeSetting, settingLevels, settingNames, type SettingLevel, type SettingName, type SettingValue } from './setting-registry.js';

export { settingLevels, type SettingLevel, type SettingName } from './setting-registry.js';

/** Where a value in force comes from: a level and the record it was set for (0 for the tenant), or the default. */
export type SettingSource = { level: SettingLevel; targetId: number } | { level: 'default'; targetId: null };
export type SettingInForce<Name extends SettingName = SettingName> = { value: SettingValue<Name>; source: SettingSource };
export type SettingsInForce = { [Name in SettingName]: SettingInForce<Name> };

/** Whom the settings are asked for: an account, its customer and its group, or a customer, or only the tenant. */
export type SettingSubject = { accountId?: number | null; customerId?: number | null; groupId?: number | null };

type Row = { level: SettingLevel; target_id: number; name: string; value: string };

/**
 * THE resolver: the value in force of every setting for a subject, and where each comes from.
 * One query for all levels of the subject; worked out once per request and subject (scope.memo), and kept
 * across requests under the tenant's configuration version (Scope.kept).
 */
export async function settingsInForce(scope: Scope, subject: SettingSubject = {}): Promise<SettingsInForce> {
  const targets = targetsOf(subject);
  const key = `settings-in-force:${targets.account}:${targets.customer}:${targets.group}`;
  return scope.kept(key, () => readRows(scope, targets).then((rows) => resolve(rows, targets)));
}

/**
 * The tenant's own settings (those set on the tenant level only, like tickets.caretakers_work): any
 * subject's answer this request has worked out already holds them, so the settings table is read
 * again only when none has been.
 */
export async function tenantLevelSettingsInForce(scope: Scope): Promise<SettingsInForce> {
  for (const [key, known] of scope.memo ?? []) {
    if (key.startsWith('settings-in-force:')) return known as Promise<SettingsInForce>;
  }
  return settingsInForce(scope);
}

/**
 * A customer's settings that are set only on customers and the tenant (tickets.visibility and the
 * like): they do not depend on the account or its group, so any subject of this customer that the
 * request has resolved already serves, and the settings table is read once a request. Only for
 * such settings: the others in the answer may be an account's or a group's.
 */
export async function customerLevelSettingsInForce(scope: Scope, customerId: number): Promise<SettingsInForce> {
  for (const [key, known] of scope.memo ?? []) {
    if (key.startsWith('settings-in-force:') && key.split(':')[2] === String(customerId)) return known as Promise<SettingsInForce>;
  }
  return settingsInForce(scope, { customerId });
}


/** A setting's value on every group that sets one, beside the tenant's settings in force, and the default group. */
export type GroupValues<Name extends SettingName> = { tenant: SettingsInForce; groups: ReadonlyMap<number, SettingValue<Name>>; defaultGroupId: number | null };

/**
 * The tenant's settings in force and one setting's value for each group that sets it, in one query
 * (the customer list works out its portal filter from them): worked out once per request, and kept across
 * requests under the tenant's configuration version (Scope.kept).
 */
export async function settingsWithGroupValues<Name extends SettingName>(scope: Scope, name: Name): Promise<GroupValues<Name>> {
  return scope.kept(`settings-groups:${name}`, () => readGroupValues(scope, name));
}

async function readGroupValues<Name extends SettingName>(scope: Scope, name: Name): Promise<GroupValues<Name>> {
  const rows: Array<Row & { is_default: unknown }> = await scope
    .table('settings')
    .leftJoin('groups', function joinGroup() {
      this.on('groups.tenant_id', '=', 'settings.tenant_id').andOn('groups.id', '=', 'settings.target_id').andOnVal('settings.level', '=', 'group');
    })
    .where((query) => query.where({ 'settings.level': 'tenant', 'settings.target_id': 0 }).orWhere({ 'settings.level': 'group', 'settings.name': name }))
    .select('settings.level', 'settings.target_id', 'settings.name', 'settings.value', 'groups.is_default');
  const groups = new Map<number, SettingValue<Name>>();
  let defaultGroupId: number | null = null;
  for (const row of rows.filter((candidate) => candidate.level === 'group')) {
    const decoded = decodeSetting(name, row.value);
    if (decoded.isValid) groups.set(Number(row.target_id), decoded.value as SettingValue<Name>);
    if (row.is_default) defaultGroupId = Number(row.target_id);
  }
  return { tenant: resolve(rows.filter((row) => row.level === 'tenant'), targetsOf({})), groups, defaultGroupId };
}

/** The settings of several subjects (each client account of a customer, say), in one query. */
export async function settingsForMany(scope: Scope, subjects: readonly SettingSubject[]): Promise<SettingsInForce[]> {
  if (subjects.length === 0) return [];
  const targets = subjects.map(targetsOf);
  const rows = await readRows(scope, ...targets);
  return targets.map((target) => resolve(rows, target));
}

function targetsOf(subject: SettingSubject): Record<SettingLevel, number | null> {
  return { account: subject.accountId ?? null, customer: subject.customerId ?? null, group: subject.groupId ?? null, tenant: 0 };
}

function readRows(scope: Scope, ...targets: Array<Record<SettingLevel, number | null>>): Promise<Row[]> {
  return scope.table('settings').where((query) => {
    for (const level of settingLevels) {
      const ids = [...new Set(targets.map((target) => target[level]).filter((id): id is number => id !== null))];
      if (ids.length > 0) query.orWhere((either) => either.where('level', level).whereIn('target_id', ids));
    }
  });
}

/** Each setting's first value along its own levels (settingRegistry), else its default. */
export function resolve(rows: readonly Row[], targets: Record<SettingLevel, number | null>): SettingsInForce {
  const result = {} as Record<SettingName, SettingInForce>;
  for (const name of settingNames) {
    const definition = definitionOf(name);
    result[name] = { value: definition.fallback as SettingValue<SettingName>, source: { level: 'default', targetId: null } };
    for (const level of definition.levels) {
      const row = targets[level] === null ? undefined : rows.find((candidate) => candidate.name === name && candidate.level === level && Number(candidate.target_id) === targets[level]);
      const decoded = row ? decodeSetting(name, row.value) : undefined;
      if (!decoded?.isValid) continue;
      result[name] = { value: decoded.value as SettingValue<SettingName>, source: { level, targetId: Number(row!.target_id) } };
      break;
    }
  }
  return result as SettingsInForce;
}

/** The values set on one level for one target (no inheritance): what a form for that level shows. */
export async function settingsSetOn(scope: Scope, level: SettingLevel, targetId = 0): Promise<Partial<{ [Name in SettingName]: SettingValue<Name> }>> {
  const rows: Array<{ name: SettingName; value: string }> = await scope.table('settings').where({ level, target_id: targetId });
  const set: Partial<Record<SettingName, unknown>> = {};
  for (const row of rows) {
    if (!settingNames.includes(row.name)) continue;
    const decoded = decodeSetting(row.name, row.value);
    if (decoded.isValid) set[row.name] = decoded.value;
  }
  return set as Partial<{ [Name in SettingName]: SettingValue<Name> }>;
}

export type SettingChanges = Partial<{ [Name in SettingName]: SettingValue<Name> | null }>;

/** Whether the actor may change the setting: any user who reaches its page, but a superadmins' setting (isSuperadminsOnly) only a superadmin; system work may. */
export function mayChangeSetting(scope: Scope, name: SettingName): boolean {
  return !definitionOf(name).isSuperadminsOnly || scope.actor.kind !== 'user' || scope.actor.role === 'superadmin';
}

/**
 * Sets or clears (null: inherit again) settings on one level, in one transaction, with an audit
 * entry naming the settings changed (their values are the tenant's choices, not personal data).
 * @throws Error for a setting that cannot be set on that level or a value it cannot take (validate first)
 * @throws ForbiddenError for a superadmins' setting changed by anyone else
 */
export async function saveSettings(scope: Scope, level: SettingLevel, targetId: number, values: SettingChanges): Promise<void> {
  for (const name of Object.keys(values) as SettingName[]) {
    if (!mayChangeSetting(scope, name)) throw new ForbiddenError(`only a superadmin changes ${name}`);
  }
  await scope.transaction(async (trx) => {
    const now = toDatabaseTime(trx.now());
    for (const [name, value] of Object.entries(values) as Array<[SettingName, unknown]>) {
      if (!definitionOf(name).levels.includes(level)) throw new Error(`${name} cannot be set per ${level}`);
      const where = { level, target_id: targetId, name };
      if (value === null || value === undefined) {
        await trx.table('settings').where(where).delete();
        continue;
      }
      const row = { ...where, value: encodeSetting(name, value), updated_at: now, updated_by: actingUserId(trx.actor) };
      await trx.insertQuery('settings', row).onConflict(['tenant_id', 'level', 'target_id', 'name']).merge(['value', 'updated_at', 'updated_by']);
    }
    await noteConfigurationChanged(trx);
    // The account level's target is a user: the log names its subjects by the record they are.
    await logEvent(trx, { action: 'settings.changed', subjectType: level === 'account' ? 'user' : level, subjectId: targetId || null, details: values });
  });
}
