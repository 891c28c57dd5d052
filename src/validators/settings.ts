import { z } from 'zod';
import { isCalendarDate } from '../lib/time.js';
import { isEmailAddress } from './fields.js';
import { definitionOf, isShown, type SettingName } from '../models/setting-registry.js';
import type { SettingChanges, SettingsInForce } from '../models/settings.js';

/** The tenant's own settings on views/admin/settings/edit.ejs (A6, A7, A10, T7, T8 defaults, T3's days for reopening, T5's reach of caretakers, M1's approval of payments, D2's approval of purges, T9's queue address, M9's reminders), by form field. */
export const tenantSettingNames = {
  portalAccess: 'portal.access',
  autoCreateAccounts: 'accounts.auto_create',
  landingPage: 'account.landing_page',
  ticketApproval: 'tickets.approval',
  ticketVisibility: 'tickets.visibility',
  visibleSince: 'tickets.visible_since',
  reopenDays: 'tickets.reopen_days',
  caretakersWork: 'tickets.caretakers_work',
  paymentApproval: 'payments.approval',
  purgeApproval: 'purge.requires_approval',
  queueEmail: 'tickets.queue_email',
  remindersEnabled: 'reminders.enabled',
  reminderInterval: 'reminders.interval_days',
  reminderMinDays: 'reminders.min_days_overdue',
} as const satisfies Record<string, SettingName>;

export type TenantSettingField = keyof typeof tenantSettingNames;
/** The fields the page shows: the settings of the parts of the product that exist (setting-registry.ts). */
export const tenantSettingFields = (Object.keys(tenantSettingNames) as TenantSettingField[]).filter((field) => isShown(tenantSettingNames[field]));

/** On the tenant's page portal access reads as A6 puts it: for all customers, or for selected ones. */
const tenantChoiceLabels: Partial<Record<TenantSettingField, Record<string, string>>> = {
  portalAccess: { on: 'settings:portalAccess.on', off: 'settings:portalAccess.off' },
};

/** Each choice of a field with its label (the registry's, or the tenant page's own); a value's label is also how the page shows what is in force. */
export function choicesOf(field: TenantSettingField): Array<{ value: string; label: string }> {
  const labels = tenantChoiceLabels[field] ?? definitionOf(tenantSettingNames[field]).choices ?? {};
  return Object.entries(labels).map(([value, label]) => ({ value, label }));
}

const choiceOf = <Values extends [string, ...string[]]>(values: Values) => z.enum(values, { error: 'validation:invalid' });
/** A field of a setting that is not shown is ignored, whatever is sent for it: the setting is left as it is. */
const whenShown = <Schema extends z.ZodType>(field: TenantSettingField, schema: Schema) =>
  tenantSettingFields.includes(field) ? schema : z.unknown().transform((): z.infer<Schema> | undefined => undefined).optional();

/** views/admin/settings/edit.ejs. The date matters only with "tickets since a date", and is then required. */
export const tenantSettingsForm = z
  .object({
    portalAccess: whenShown('portalAccess', choiceOf(['on', 'off'])),
    autoCreateAccounts: whenShown('autoCreateAccounts', choiceOf(['on', 'off'])),
    landingPage: whenShown('landingPage', choiceOf(['last', 'dashboard', 'tickets'])),
    ticketApproval: whenShown('ticketApproval', choiceOf(['off', 'optional', 'mandatory'])),
    ticketVisibility: whenShown('ticketVisibility', choiceOf(['all', 'since', 'portal'])),
    visibleSince: whenShown('visibleSince', z.string().trim().max(10, 'settings:errors.date').optional().default('')),
    reopenDays: whenShown('reopenDays', choiceOf(['0', '3', '7', '14', '30', '60'])),
    caretakersWork: whenShown('caretakersWork', choiceOf(['own', 'any'])),
    paymentApproval: whenShown('paymentApproval', choiceOf(['other', 'self'])),
    // D2 came after the form: one sent without it (a page opened before) leaves it as it is.
    purgeApproval: whenShown('purgeApproval', choiceOf(['on', 'off']).optional()),
    // Empty: the unassigned queue's tickets are announced to the office's e-mail (provider details).
    // The reminders (M9) came after the form: one sent without them (a page opened before) leaves them as they are.
    remindersEnabled: whenShown('remindersEnabled', choiceOf(['on', 'off']).optional()),
    reminderInterval: whenShown('reminderInterval', choiceOf(['7', '14', '30']).optional()),
    reminderMinDays: whenShown('reminderMinDays', choiceOf(['1', '7', '14', '30']).optional()),
    queueEmail: whenShown('queueEmail', z.string().trim().max(254, 'settings:errors.email').refine((value) => value === '' || isEmailAddress(value), 'settings:errors.email').optional().default('')),
  })
  .superRefine((form, context) => {
    if (form.ticketVisibility !== 'since') return;
    if (!form.visibleSince) context.addIssue({ code: 'custom', path: ['visibleSince'], message: 'settings:errors.dateRequired' });
    else if (!isCalendarDate(form.visibleSince)) context.addIssue({ code: 'custom', path: ['visibleSince'], message: 'settings:errors.date' });
  })
  .transform((form) => ({ ...form, visibleSince: form.ticketVisibility === 'since' ? form.visibleSince : form.ticketVisibility === undefined ? undefined : '' }));

export type TenantSettingsValues = z.infer<typeof tenantSettingsForm>;

/**
 * What to save: only the shown settings whose submitted value differs from the one in force, so a
 * value left as it was keeps coming from where it came from (a default stays a default). A date no
 * longer needed is cleared (null).
 */
export function tenantSettingChanges(values: TenantSettingsValues, inForce: SettingsInForce): SettingChanges {
  const changes: Record<string, string | null> = {};
  for (const field of tenantSettingFields) {
    const name = tenantSettingNames[field];
    const value = values[field];
    if (value === undefined || value === inForce[name].value) continue;
    changes[name] = value === '' ? null : value;
  }
  return changes as SettingChanges;
}
