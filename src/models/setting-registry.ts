import { z } from 'zod';
import { isCalendarDate } from '../lib/time.js';
import { defaultPortlets, portletListSchema, type PortletChoice } from './portlet-registry.js';

/**
 * Every layered setting (D5): its value's schema, the levels it may be set on, its default and its
 * labels. A value may be a structure (a portlet's settings), stored as JSON; a plain string is
 * stored as it is.
 *
 * Which layers apply (docs/decisions.md, "Settings in layers"): the most specific level that has a
 * value wins, in the order account → customer → group → tenant → default. Settings about a person
 * (portal access, the landing page, later the portlets and reports they see) may be set on the
 * levels that describe a person: their account, their customer, their account's group, the
 * tenant. Settings about a customer's tickets (approval, visibility) belong to the customer and
 * the tenant only: a ticket is the customer's, whoever of its people filed it.
 */
export const settingLevels = ['account', 'customer', 'group', 'tenant'] as const;
export type SettingLevel = (typeof settingLevels)[number];

/** A part of the product a setting belongs to; a setting of a part not built yet is not shown anywhere. */
export type Feature = 'portal' | 'accounts' | 'tickets' | 'money' | 'data';
export const availableFeatures: ReadonlySet<Feature> = new Set<Feature>(['portal', 'accounts', 'tickets', 'money', 'data']);

export type SettingDefinition<Value = unknown> = {
  schema: z.ZodType<Value>;
  /** Where it may be set, in the order they are tried (a subset of settingLevels, in its order). */
  levels: readonly SettingLevel[];
  fallback: Value;
  /** The i18n key of its name, and of each choice's label (for a setting with choices). */
  label: string;
  choices?: Readonly<Record<string, string>>;
  feature: Feature;
  /** Only a superadmin may change it (a safeguard against the superadmins themselves must not be an admin's to switch off). */
  isSuperadminsOnly?: true;
};

const onOff = z.enum(['on', 'off']);
/** A real day of the calendar as YYYY-MM-DD, or '' when none. */
const calendarDate = z.string().refine((value) => value === '' || isCalendarDate(value));
/** Where a user lands after signing in (A10): the last page visited, the dashboard, or the ticket list. */
export const landingPages = ['last', 'dashboard', 'tickets'] as const;

function define<Value>(definition: SettingDefinition<Value>): SettingDefinition<Value> {
  const order = settingLevels.filter((level) => definition.levels.includes(level));
  if (order.join() !== definition.levels.join()) throw new Error(`levels must be listed in the order ${settingLevels.join(', ')}`);
  return definition;
}

export const settingRegistry = {
  /** A6: 'on' for the tenant means every customer has the portal; 'off' means only those switched on (or their groups). */
  'portal.access': define({
    schema: onOff,
    levels: ['customer', 'group', 'tenant'],
    fallback: 'on',
    label: 'settings:names.portalAccess',
    choices: { on: 'settings:portalAccess.allowed', off: 'settings:portalAccess.denied' },
    feature: 'portal',
  }),
  /** A10: where a user lands after signing in; their own choice, else the tenant's default. */
  'account.landing_page': define({
    schema: z.enum(landingPages),
    levels: ['account', 'tenant'],
    fallback: 'dashboard',
    label: 'settings:names.landingPage',
    choices: { last: 'settings:landingPage.last', dashboard: 'settings:landingPage.dashboard', tickets: 'settings:landingPage.tickets' },
    feature: 'portal',
  }),
  /** A7 / seed 002: registering a customer with an e-mail creates its first client account and invites it. */
  'accounts.auto_create': define({
    schema: onOff,
    levels: ['tenant'],
    fallback: 'on',
    label: 'settings:names.autoCreateAccounts',
    choices: { on: 'settings:autoCreateAccounts.on', off: 'settings:autoCreateAccounts.off' },
    feature: 'accounts',
  }),
  /** T7: approval of tickets by a person at the customer. */
  'tickets.approval': define({
    schema: z.enum(['off', 'optional', 'mandatory']),
    levels: ['customer', 'tenant'],
    fallback: 'off',
    label: 'settings:names.ticketApproval',
    choices: { off: 'settings:ticketApproval.off', optional: 'settings:ticketApproval.optional', mandatory: 'settings:ticketApproval.mandatory' },
    feature: 'tickets',
  }),
  /** T8: which tickets the portal shows: all, those since a date, or only those filed in the portal. */
  'tickets.visibility': define({
    schema: z.enum(['all', 'since', 'portal']),
    levels: ['customer', 'tenant'],
    fallback: 'all',
    label: 'settings:names.ticketVisibility',
    choices: { all: 'settings:ticketVisibility.all', since: 'settings:ticketVisibility.since', portal: 'settings:ticketVisibility.portal' },
    feature: 'tickets',
  }),
  'tickets.visible_since': define({ schema: calendarDate, levels: ['customer', 'tenant'], fallback: '', label: 'settings:names.visibleSince', feature: 'tickets' }),
  /** Issue 14: a caretaker is e-mailed when a client of theirs asks for a change of the customer's data; their own choice. */
  'notifications.change_requests': define({
    schema: onOff,
    levels: ['account'],
    fallback: 'on',
    label: 'settings:names.changeRequestNotifications',
    choices: { on: 'settings:changeRequestNotifications.on', off: 'settings:changeRequestNotifications.off' },
    feature: 'accounts',
  }),
  /**
   * T9: e-mails about tickets, the person's own choice: for staff, the new tasks given to them and
   * the clients' replies in them; for clients, replies, status and due-date changes of their
   * tickets and the approval decided on them.
   */
  'notifications.tickets': define({
    schema: onOff,
    levels: ['account'],
    fallback: 'on',
    label: 'settings:names.ticketNotifications',
    choices: { on: 'settings:ticketNotifications.on', off: 'settings:ticketNotifications.off' },
    feature: 'tickets',
  }),
  /** T7, T9: an approver is e-mailed when a ticket of the company waits for their approval; their own choice. */
  'notifications.ticket_approvals': define({
    schema: onOff,
    levels: ['account'],
    fallback: 'on',
    label: 'settings:names.ticketApprovalNotifications',
    choices: { on: 'settings:ticketApprovalNotifications.on', off: 'settings:ticketApprovalNotifications.off' },
    feature: 'tickets',
  }),
  /**
   * T2, T9: where a new ticket of a customer without a caretaker (the unassigned queue) is announced;
   * empty: the office's e-mail of the provider details.
   */
  'tickets.queue_email': define({
    schema: z.string().trim().max(254).refine((value) => value === '' || z.email().safeParse(value).success),
    levels: ['tenant'],
    fallback: '',
    label: 'settings:names.queueEmail',
    feature: 'tickets',
  }),
  /** T3: for how many days after it was resolved a client may reopen a ticket; after that a reply files a new one. */
  'tickets.reopen_days': define({
    schema: z.enum(['0', '3', '7', '14', '30', '60']),
    levels: ['tenant'],
    fallback: '14',
    label: 'settings:names.reopenDays',
    choices: { '0': 'settings:reopenDays.never', '3': 'settings:reopenDays.days3', '7': 'settings:reopenDays.days7', '14': 'settings:reopenDays.days14', '30': 'settings:reopenDays.days30', '60': 'settings:reopenDays.days60' },
    feature: 'tickets',
  }),
  /** T5: whether a caretaker works only the tasks assigned to them (others' they may read, 403 on a change) or any task of the tenant, standing in for a colleague. */
  'tickets.caretakers_work': define({
    schema: z.enum(['own', 'any']),
    levels: ['tenant'],
    fallback: 'own',
    label: 'settings:names.caretakersWork',
    choices: { own: 'settings:caretakersWork.own', any: 'settings:caretakersWork.any' },
    feature: 'tickets',
  }),
  /**
   * P1, P2: the portlets of the client's start page, in order, each with its settings: set per group
   * (the admins' group page), else the tenant's default, else every portlet of the registry.
   */
  'portal.portlets': define<PortletChoice[]>({
    schema: portletListSchema as unknown as z.ZodType<PortletChoice[]>,
    levels: ['group', 'tenant'],
    fallback: defaultPortlets,
    label: 'settings:names.portlets',
    feature: 'portal',
  }),
  /** M1 (seed 003, "entry and control"): whether a payment must be approved by someone other than the person who entered it. */
  /**
   * D2: whether a purge waits for a second person (another superadmin or an admin) to approve it
   * before it runs; on by default. Off, a superadmin's confirmation runs it at once.
   */
  'purge.requires_approval': define({
    schema: onOff,
    levels: ['tenant'],
    fallback: 'on',
    label: 'settings:names.purgeApproval',
    choices: { on: 'settings:purgeApproval.on', off: 'settings:purgeApproval.off' },
    feature: 'data',
    // The second person guards against one superadmin: the superadmin asking for a purge could switch it off alone, but no admin can.
    isSuperadminsOnly: true,
  }),
  'payments.approval': define({
    schema: z.enum(['other', 'self']),
    levels: ['tenant'],
    fallback: 'other',
    label: 'settings:names.paymentApproval',
    choices: { other: 'settings:paymentApproval.other', self: 'settings:paymentApproval.self' },
    feature: 'money',
  }),
  /**
   * M9, D5: whether customers with overdue invoices are e-mailed a reminder (the daily job,
   * jobs/payment-reminders.ts); off until the office switches it on, and a customer may be exempted
   * (or reminded while the rest are not).
   */
  'reminders.enabled': define({
    schema: onOff,
    levels: ['customer', 'tenant'],
    fallback: 'off',
    label: 'settings:names.remindersEnabled',
    choices: { on: 'settings:remindersEnabled.on', off: 'settings:remindersEnabled.off' },
    feature: 'money',
  }),
  /** M9: at most one reminder per customer in so many days. */
  'reminders.interval_days': define({
    schema: z.enum(['7', '14', '30']),
    levels: ['tenant'],
    fallback: '7',
    label: 'settings:names.reminderInterval',
    choices: { '7': 'settings:reminderInterval.days7', '14': 'settings:reminderInterval.days14', '30': 'settings:reminderInterval.days30' },
    feature: 'money',
  }),
  /** M9: how many days past its due date an invoice must be before it is reminded of (1: the day after). */
  'reminders.min_days_overdue': define({
    schema: z.enum(['1', '7', '14', '30']),
    levels: ['tenant'],
    fallback: '1',
    label: 'settings:names.reminderMinDays',
    choices: { '1': 'settings:reminderMinDays.days1', '7': 'settings:reminderMinDays.days7', '14': 'settings:reminderMinDays.days14', '30': 'settings:reminderMinDays.days30' },
    feature: 'money',
  }),
  /** M9: a client's own choice whether to get the company's payment reminders (sent to primary contacts). */
  'notifications.reminders': define({
    schema: onOff,
    levels: ['account'],
    fallback: 'on',
    label: 'settings:names.reminderNotifications',
    choices: { on: 'settings:reminderNotifications.on', off: 'settings:reminderNotifications.off' },
    feature: 'money',
  }),
} as const;

export type SettingName = keyof typeof settingRegistry;
export type SettingValue<Name extends SettingName> = (typeof settingRegistry)[Name]['fallback'];
export const settingNames = Object.keys(settingRegistry) as SettingName[];

export function definitionOf(name: SettingName): SettingDefinition {
  return settingRegistry[name] as SettingDefinition;
}

/** Whether the part of the product the setting belongs to exists yet (pages show only these). */
export function isShown(name: SettingName): boolean {
  return availableFeatures.has(definitionOf(name).feature);
}

/** Whether a value is one the setting can take. */
export function isValidSettingValue(name: SettingName, value: unknown): boolean {
  return definitionOf(name).schema.safeParse(value).success;
}

/** A value as the settings table keeps it: a string as it is, anything else as JSON. */
export function encodeSetting(name: SettingName, value: unknown): string {
  const parsed = definitionOf(name).schema.parse(value);
  return typeof parsed === 'string' ? parsed : JSON.stringify(parsed);
}

/** A stored value read back; one the schema no longer accepts (the registry changed) counts as not set. */
export function decodeSetting(name: SettingName, stored: string): { isValid: true; value: unknown } | { isValid: false } {
  const schema = definitionOf(name).schema;
  const plain = schema.safeParse(stored);
  if (plain.success) return { isValid: true, value: plain.data };
  try {
    const structured = schema.safeParse(JSON.parse(stored));
    return structured.success ? { isValid: true, value: structured.data } : { isValid: false };
  } catch {
    return { isValid: false };
  }
}
