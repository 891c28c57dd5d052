import { z } from 'zod';
import type { EffectiveSetting, SettingName } from '../models/settings.js';
import { isValidSettingValue } from '../models/settings.js';

/** A real day of the calendar as YYYY-MM-DD: Date.parse alone takes 2024-02-30 for 1 March. */
export function isCalendarDate(value: string): boolean {
  return isValidSettingValue('tickets.visible_since', value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

/** The tenant's own settings on views/admin/settings.ejs (A6, A7, T7, T8 defaults), by form field. */
export const tenantSettingNames = {
  portalAccess: 'portal.access',
  autoCreateAccounts: 'accounts.auto_create',
  ticketApproval: 'tickets.approval',
  ticketVisibility: 'tickets.visibility',
  visibleSince: 'tickets.visible_since',
} as const satisfies Record<string, SettingName>;

export type TenantSettingField = keyof typeof tenantSettingNames;
export const tenantSettingFields = Object.keys(tenantSettingNames) as TenantSettingField[];

/** Each choice of the form with its label; a value's label is also how the page shows what is in force. */
export const tenantSettingChoices = {
  portalAccess: [
    { value: 'on', label: 'settings:portalAccess.on' },
    { value: 'off', label: 'settings:portalAccess.off' },
  ],
  autoCreateAccounts: [
    { value: 'on', label: 'settings:autoCreateAccounts.on' },
    { value: 'off', label: 'settings:autoCreateAccounts.off' },
  ],
  ticketApproval: [
    { value: 'off', label: 'settings:ticketApproval.off' },
    { value: 'optional', label: 'settings:ticketApproval.optional' },
    { value: 'mandatory', label: 'settings:ticketApproval.mandatory' },
  ],
  ticketVisibility: [
    { value: 'all', label: 'settings:ticketVisibility.all' },
    { value: 'since', label: 'settings:ticketVisibility.since' },
    { value: 'portal', label: 'settings:ticketVisibility.portal' },
  ],
} as const;

/** views/admin/settings.ejs. The date matters only with "tickets since a date", and is then required. */
export const tenantSettingsForm = z
  .object({
    portalAccess: z.enum(['on', 'off'], { error: 'validation:invalid' }),
    autoCreateAccounts: z.enum(['on', 'off'], { error: 'validation:invalid' }),
    ticketApproval: z.enum(['off', 'optional', 'mandatory'], { error: 'validation:invalid' }),
    ticketVisibility: z.enum(['all', 'since', 'portal'], { error: 'validation:invalid' }),
    visibleSince: z.string().trim().max(10, 'settings:errors.date').optional().default(''),
  })
  .superRefine((form, context) => {
    if (form.ticketVisibility !== 'since') return;
    if (!form.visibleSince) context.addIssue({ code: 'custom', path: ['visibleSince'], message: 'settings:errors.dateRequired' });
    else if (!isCalendarDate(form.visibleSince)) context.addIssue({ code: 'custom', path: ['visibleSince'], message: 'settings:errors.date' });
  })
  .transform((form) => ({ ...form, visibleSince: form.ticketVisibility === 'since' ? form.visibleSince : '' }));

export type TenantSettingsValues = z.infer<typeof tenantSettingsForm>;

/**
 * What to save: only the settings whose submitted value differs from the one in force, so a value
 * left as it was keeps coming from where it came from (a default stays a default). A date no
 * longer needed is cleared (null).
 */
export function tenantSettingChanges(values: TenantSettingsValues, inForce: Record<SettingName, EffectiveSetting>): Partial<Record<SettingName, string | null>> {
  const changes: Partial<Record<SettingName, string | null>> = {};
  for (const field of tenantSettingFields) {
    const name = tenantSettingNames[field];
    if (values[field] === inForce[name].value) continue;
    changes[name] = values[field] === '' ? null : values[field];
  }
  return changes;
}
