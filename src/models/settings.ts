import type { Scope } from '../db/scope.js';
import { actingUserId, inTransaction } from '../db/scope.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';

export const settingLevels = ['tenant', 'group', 'customer'] as const;
export type SettingLevel = (typeof settingLevels)[number];

type Definition = { levels: readonly SettingLevel[]; values: readonly string[] | 'date'; fallback: string };

/**
 * Every layered setting (D5): where it may be set and what it may be. A value not set on any
 * level falls back to `fallback`. The most specific level wins: customer, then group, then tenant.
 */
export const settingDefinitions = {
  /** A6: 'on' for the tenant means every customer has the portal; 'off' means only customers switched on. */
  'portal.access': { levels: ['tenant', 'group', 'customer'], values: ['on', 'off'], fallback: 'on' },
  /** T7: approval of tickets by a person at the customer. */
  'tickets.approval': { levels: ['tenant', 'customer'], values: ['off', 'optional', 'mandatory'], fallback: 'off' },
  /** T8: which tickets the portal shows: all, those since a date, or only those filed in the portal. */
  'tickets.visibility': { levels: ['tenant', 'customer'], values: ['all', 'since', 'portal'], fallback: 'all' },
  'tickets.visible_since': { levels: ['tenant', 'customer'], values: 'date', fallback: '' },
  /** A7 / seed 002: registering a customer with an e-mail creates its first client account and invites it. */
  'accounts.auto_create': { levels: ['tenant'], values: ['on', 'off'], fallback: 'on' },
} as const satisfies Record<string, Definition>;

export type SettingName = keyof typeof settingDefinitions;
export type EffectiveSetting = { value: string; source: SettingLevel | 'default' };
export type SettingTarget = { groupId?: number | null; customerId?: number | null };

export function isValidSettingValue(name: SettingName, value: string): boolean {
  const definition: Definition = settingDefinitions[name];
  if (definition.values === 'date') return value === '' || (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)));
  return definition.values.includes(value);
}

/** The values in force for a target (a customer, and the group of the account asking), with where each comes from. */
export async function effectiveSettings(scope: Scope, target: SettingTarget = {}): Promise<Record<SettingName, EffectiveSetting>> {
  const rows: Array<{ level: SettingLevel; target_id: number; name: string; value: string }> = await scope.table('settings').where((query) => {
    query.where({ level: 'tenant', target_id: 0 });
    if (target.groupId) query.orWhere({ level: 'group', target_id: target.groupId });
    if (target.customerId) query.orWhere({ level: 'customer', target_id: target.customerId });
  });
  const result = {} as Record<SettingName, EffectiveSetting>;
  for (const name of Object.keys(settingDefinitions) as SettingName[]) {
    const found = (level: SettingLevel) => rows.find((row) => row.name === name && row.level === level);
    const row = found('customer') ?? found('group') ?? found('tenant');
    result[name] = row ? { value: row.value, source: row.level } : { value: settingDefinitions[name].fallback, source: 'default' };
  }
  return result;
}

/** The values set on one level for one target (no inheritance): what a form for that level shows. */
export async function settingsSetOn(scope: Scope, level: SettingLevel, targetId = 0): Promise<Partial<Record<SettingName, string>>> {
  const rows: Array<{ name: SettingName; value: string }> = await scope.table('settings').where({ level, target_id: targetId });
  return Object.fromEntries(rows.map((row) => [row.name, row.value]));
}

/**
 * Sets or clears (null: inherit again) settings on one level, in one transaction, with an audit entry.
 * @throws Error for a setting that cannot be set on that level or a value it cannot take (validate first)
 */
export async function saveSettings(scope: Scope, level: SettingLevel, targetId: number, values: Partial<Record<SettingName, string | null>>): Promise<void> {
  await inTransaction(scope, async (trx) => {
    const now = toDatabaseTime(trx.now());
    for (const [name, value] of Object.entries(values) as Array<[SettingName, string | null]>) {
      const definition: Definition = settingDefinitions[name];
      if (!definition.levels.includes(level)) throw new Error(`${name} cannot be set per ${level}`);
      const where = { level, target_id: targetId, name };
      if (value === null || value === undefined) {
        await trx.table('settings').where(where).delete();
        continue;
      }
      if (!isValidSettingValue(name, value)) throw new Error(`${value} is not a value of ${name}`);
      await trx.insertQuery('settings', { ...where, value, updated_at: now, updated_by: actingUserId(trx.actor) }).onConflict(['tenant_id', 'level', 'target_id', 'name']).merge(['value', 'updated_at', 'updated_by']);
    }
    await logEvent(trx, { action: 'settings.changed', subjectType: level, subjectId: targetId || null, details: values });
  });
}
