import type { Scope } from '../db/scope.js';
import { isShown, type SettingName } from './setting-registry.js';
import { saveSettings, settingsForMany, settingsSetOn, type SettingInForce } from './settings.js';
import { visibleAccounts } from './visibility.js';
import { nameFromColumns } from './user.js';

/**
 * The customer layer of the layered settings (D5, A6, T7, T8) as the customer form sees them:
 * null means "inherit", i.e. no row on the customer level, so what comes after it applies. The
 * values themselves are checked by the registry (setting-registry.ts).
 */
export type CustomerSettingOverrides = {
  portalAccess: 'on' | 'off' | null;
  ticketApproval: 'off' | 'optional' | 'mandatory' | null;
  ticketVisibility: 'all' | 'since' | 'portal' | null;
  /** The first day of tickets shown in the portal; set only with ticketVisibility 'since'. */
  visibleSince: string | null;
  /** Payment reminders for this customer (M9). */
  reminders: 'on' | 'off' | null;
};

export type CustomerSettingField = keyof CustomerSettingOverrides;

export const customerSettingNames = {
  portalAccess: 'portal.access',
  ticketApproval: 'tickets.approval',
  ticketVisibility: 'tickets.visibility',
  visibleSince: 'tickets.visible_since',
  reminders: 'reminders.enabled',
} as const satisfies Record<CustomerSettingField, SettingName>;

export const customerSettingFields = Object.keys(customerSettingNames) as CustomerSettingField[];

/** The customer's settings that pages show and forms change: those of the parts of the product that exist. */
export const shownCustomerSettingFields = customerSettingFields.filter((field) => isShown(customerSettingNames[field]));

export const noOverrides: CustomerSettingOverrides = { portalAccess: null, ticketApproval: null, ticketVisibility: null, visibleSince: null, reminders: null };

/** What is set for this customer itself (no inheritance). */
export async function customerSettingOverrides(scope: Scope, customerId: number): Promise<CustomerSettingOverrides> {
  const set = await settingsSetOn(scope, 'customer', customerId);
  const overrides = { ...noOverrides } as Record<CustomerSettingField, string | null>;
  for (const field of customerSettingFields) overrides[field] = (set[customerSettingNames[field]] as string | undefined) ?? null;
  return overrides as CustomerSettingOverrides;
}

/** A client account's portal access in force (customer → its group → tenant → default), for the customer's record. */
export type AccountPortalAccess = { accountId: number; name: string; login: string; groupId: number | null; groupName: string | null; portalAccess: SettingInForce<'portal.access'> };

/**
 * The customer's settings in force (customer → tenant → default), and the portal access of each
 * of its active client accounts (customer → the account's group → tenant → default), as the
 * customer's record shows them: one query for the accounts, one for all their settings.
 */
export async function customerSettingsWithAccounts(scope: Scope, customerId: number): Promise<{ settings: Record<CustomerSettingField, SettingInForce>; accounts: AccountPortalAccess[] }> {
  const accounts: Array<Record<string, unknown>> = await visibleAccounts(scope)
    .leftJoin('groups', function joinGroup() {
      this.on('groups.tenant_id', '=', 'users.tenant_id').andOn('groups.id', '=', 'users.group_id');
    })
    .where({ 'users.customer_id': customerId, 'users.role': 'client', 'users.is_active': true })
    .orderBy([{ column: 'users.last_name' }, { column: 'users.first_name' }, { column: 'users.id' }])
    .select('users.id', 'users.first_name', 'users.last_name', 'users.login', 'users.group_id', 'groups.name as group_name');
  const subjects = accounts.map((account) => ({ customerId, groupId: account.group_id === null ? null : Number(account.group_id) }));
  const [customerLevel, ...inForce] = await settingsForMany(scope, [{ customerId }, ...subjects]);
  const settings = Object.fromEntries(customerSettingFields.map((field) => [field, customerLevel![customerSettingNames[field]]])) as Record<CustomerSettingField, SettingInForce>;
  return { settings, accounts: accounts.map((account, index) => ({
    accountId: Number(account.id),
    name: nameFromColumns(account.first_name, account.last_name),
    login: String(account.login),
    groupId: subjects[index]!.groupId,
    groupName: (account.group_name as string | null) ?? null,
    portalAccess: inForce[index]!['portal.access'],
  })) };
}

/** The shown fields whose override differs between two sets of customer settings (a hidden setting is never touched). */
export function changedSettingFields(before: CustomerSettingOverrides, after: CustomerSettingOverrides): CustomerSettingField[] {
  return shownCustomerSettingFields.filter((field) => before[field] !== after[field]);
}

/** Saves the changed overrides in the caller's transaction (settings.ts writes its own audit entry). */
export async function saveCustomerSettings(scope: Scope, customerId: number, before: CustomerSettingOverrides, after: CustomerSettingOverrides): Promise<CustomerSettingField[]> {
  const changed = changedSettingFields(before, after);
  if (changed.length === 0) return changed;
  await saveSettings(scope, 'customer', customerId, Object.fromEntries(changed.map((field) => [customerSettingNames[field], after[field]])));
  return changed;
}
