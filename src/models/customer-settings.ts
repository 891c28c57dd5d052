import type { Scope } from '../db/scope.js';
import { effectiveSettings, saveSettings, settingsSetOn, type EffectiveSetting, type SettingName } from './settings.js';

/**
 * The customer layer of the layered settings (D5, A6, T7, T8) as the customer form sees them:
 * null means "inherit", i.e. no row on the customer level, so the tenant's value (or the
 * default) applies. The values themselves are checked by settings.ts.
 */
export type CustomerSettingOverrides = {
  portalAccess: 'on' | 'off' | null;
  ticketApproval: 'off' | 'optional' | 'mandatory' | null;
  ticketVisibility: 'all' | 'since' | 'portal' | null;
  /** The first day of tickets shown in the portal; set only with ticketVisibility 'since'. */
  visibleSince: string | null;
};

export type CustomerSettingField = keyof CustomerSettingOverrides;

export const customerSettingNames: Record<CustomerSettingField, SettingName> = {
  portalAccess: 'portal.access',
  ticketApproval: 'tickets.approval',
  ticketVisibility: 'tickets.visibility',
  visibleSince: 'tickets.visible_since',
};

export const customerSettingFields = Object.keys(customerSettingNames) as CustomerSettingField[];

export const noOverrides: CustomerSettingOverrides = { portalAccess: null, ticketApproval: null, ticketVisibility: null, visibleSince: null };

/** What is set for this customer itself (no inheritance). */
export async function customerSettingOverrides(scope: Scope, customerId: number): Promise<CustomerSettingOverrides> {
  const set = await settingsSetOn(scope, 'customer', customerId);
  const overrides = { ...noOverrides } as Record<CustomerSettingField, string | null>;
  for (const field of customerSettingFields) overrides[field] = set[customerSettingNames[field]] ?? null;
  return overrides as CustomerSettingOverrides;
}

/** The values in force for the customer, each with where it comes from (customer, tenant, default). */
export async function effectiveCustomerSettings(scope: Scope, customerId: number): Promise<Record<CustomerSettingField, EffectiveSetting>> {
  const effective = await effectiveSettings(scope, { customerId });
  return Object.fromEntries(customerSettingFields.map((field) => [field, effective[customerSettingNames[field]]])) as Record<CustomerSettingField, EffectiveSetting>;
}

/** The fields whose override differs between two sets of customer settings. */
export function changedSettingFields(before: CustomerSettingOverrides, after: CustomerSettingOverrides): CustomerSettingField[] {
  return customerSettingFields.filter((field) => before[field] !== after[field]);
}

/** Saves the changed overrides in the caller's transaction (settings.ts writes its own audit entry). */
export async function saveCustomerSettings(scope: Scope, customerId: number, before: CustomerSettingOverrides, after: CustomerSettingOverrides): Promise<CustomerSettingField[]> {
  const changed = changedSettingFields(before, after);
  if (changed.length === 0) return changed;
  await saveSettings(scope, 'customer', customerId, Object.fromEntries(changed.map((field) => [customerSettingNames[field], after[field]])));
  return changed;
}
