import type { EffectiveSetting } from '../models/settings.js';
import { message, type Text } from './presentation.js';

/**
 * Where a setting's value in force comes from, as the tenant's settings page says it (A6, D5).
 * The customer pages word it from the customer's side (presenters/customers.ts settingSources).
 */
export const settingSourceLabels: Record<EffectiveSetting['source'], string> = {
  tenant: 'settings:source.tenant',
  group: 'settings:source.group',
  customer: 'settings:source.customer',
  default: 'settings:source.default',
};

export function settingSource(source: EffectiveSetting['source']): Text {
  return message(settingSourceLabels[source]);
}

/** A group's portal access as its edit page names the value the company gives it, and where that comes from. */
export const groupPortalAccessLabels = { on: 'groups:portalAccess.valueOn', off: 'groups:portalAccess.valueOff' } as const;
export const groupPortalAccessSources = { tenant: 'groups:portalAccess.fromTenant', default: 'groups:portalAccess.fromDefault' } as const;

/** "As the company decides (now: on, by default)": the inherited choice of a group's portal access. */
export function groupInheritedAccess(inherited: { value: string; source: string }): Text {
  const value = groupPortalAccessLabels[inherited.value as keyof typeof groupPortalAccessLabels];
  const source = groupPortalAccessSources[inherited.source as keyof typeof groupPortalAccessSources];
  return message('groups:portalAccess.inherit', { value: value ? message(value) : inherited.value, source: source ? message(source) : inherited.source });
}

/** "In force: for all customers (default value)": a tenant setting's value by its choice's label, or as it is (a date). */
export function settingInForce(choices: ReadonlyArray<{ value: string; label: string }> | undefined, setting: Pick<EffectiveSetting, 'value' | 'source'>): Text {
  const choice = choices?.find((candidate) => candidate.value === setting.value);
  const value = choice ? message(choice.label) : setting.value || message('settings:none');
  return message('settings:inForce', { value, source: settingSource(setting.source) });
}
