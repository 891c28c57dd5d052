import { z } from 'zod';
import { reportPeriodSchema } from './report-period.js';

/**
 * The portlets of the client's start page (P1, P2): a registry in code. Each has an id (stored in
 * the `portal.portlets` setting), its title's i18n key, whether an admin may set it up, and the
 * schema of its settings with their defaults. Which portlets a client sees, in which order and set
 * up how, is the setting `portal.portlets`, resolved through the layers like any other (D5): the
 * client's group, else the tenant's default, else `defaultPortlets`.
 *
 * How a portlet reads its data is beside its view (controllers/portal/_dashboard-sections.ts):
 * one scoped query each, whatever the number of rows.
 */

/** How many rows a list portlet shows: at least one, at most twenty. */
const rowLimit = z.coerce.number().int().min(1).max(20);

/**
 * The settings of a report portlet (P2), which its full page, CSV and PDF use too: the period, the
 * columns shown (at least one, each once, in the report's own order), the rows of the portlet and
 * the order of the rows.
 */
function reportSettings<Column extends string, Sort extends string>(columns: readonly [Column, ...Column[]], sorts: readonly [Sort, ...Sort[]]) {
  return z
    .object({
      period: reportPeriodSchema,
      columns: z.array(z.enum(columns)).min(1).refine((chosen) => new Set(chosen).size === chosen.length, { message: 'a column is listed twice' }),
      limit: rowLimit,
      sort: z.enum(sorts),
    })
    .strict();
}

/** The columns and orders of each report, in the order its page shows them. */
export const reportColumns = {
  settlementsReport: ['entryDate', 'kind', 'documentNumber', 'dueDate', 'charge', 'credit', 'balance'],
  agingReport: ['bucket', 'amount'],
  paymentsReport: ['paidOn', 'amount', 'method', 'reference', 'invoices'],
  pricingReport: ['number', 'title', 'resolvedOn', 'net', 'vat', 'gross'],
} as const;
export const reportSorts = {
  // A running balance reads in the order of the entries only.
  settlementsReport: ['oldest'],
  agingReport: ['currentFirst', 'overdueFirst'],
  paymentsReport: ['newest', 'oldest', 'largest'],
  pricingReport: ['newest', 'oldest', 'largest'],
} as const;

export const portletRegistry = {
  /** The customer's balance in words (M2). */
  balance: { label: 'portlets:names.balance', isConfigurable: false, settings: z.object({}).strict(), defaults: {} },
  /** What is due and when, overdue first (M2). */
  dues: { label: 'portlets:names.dues', isConfigurable: true, settings: z.object({ limit: rowLimit }).strict(), defaults: { limit: 4 } },
  /** The tickets not yet finished, latest change first (T4). */
  latestTickets: { label: 'portlets:names.latestTickets', isConfigurable: true, settings: z.object({ limit: rowLimit }).strict(), defaults: { limit: 5 } },
  /** The new-ticket form itself (T1): no settings. */
  addTicket: { label: 'portlets:names.addTicket', isConfigurable: false, settings: z.object({}).strict(), defaults: {} },
  /** The new-document form itself (T6): no settings. */
  addDocument: { label: 'portlets:names.addDocument', isConfigurable: false, settings: z.object({}).strict(), defaults: {} },
  /** The client's announcements in force, unread first, then the newest (C2). */
  announcements: { label: 'portlets:names.announcements', isConfigurable: true, settings: z.object({ limit: rowLimit }).strict(), defaults: { limit: 5 } },
  /** Report (P4, seed 001): mutual settlements, the customer's invoices, payments and corrections over the period with the running balance. */
  settlementsReport: {
    label: 'portlets:names.settlementsReport',
    isConfigurable: true,
    settings: reportSettings(reportColumns.settlementsReport, reportSorts.settlementsReport),
    defaults: { period: { kind: 'lastMonths', months: 3 }, columns: [...reportColumns.settlementsReport], limit: 5, sort: 'oldest' },
  },
  /** Report (P4, M9): what the customer still owes on the period's last day, by how long it is overdue. */
  agingReport: {
    label: 'portlets:names.agingReport',
    isConfigurable: true,
    settings: reportSettings(reportColumns.agingReport, reportSorts.agingReport),
    defaults: { period: { kind: 'thisMonth' }, columns: [...reportColumns.agingReport], limit: 5, sort: 'currentFirst' },
  },
  /** Report (P4, M6): the customer's payments over the period, with the invoices each paid. */
  paymentsReport: {
    label: 'portlets:names.paymentsReport',
    isConfigurable: true,
    settings: reportSettings(reportColumns.paymentsReport, reportSorts.paymentsReport),
    defaults: { period: { kind: 'lastMonths', months: 3 }, columns: [...reportColumns.paymentsReport], limit: 5, sort: 'newest' },
  },
  /** Report (P4, T10): the customer's service tickets resolved over the period, with their prices. */
  pricingReport: {
    label: 'portlets:names.pricingReport',
    isConfigurable: true,
    settings: reportSettings(reportColumns.pricingReport, reportSorts.pricingReport),
    defaults: { period: { kind: 'thisYear' }, columns: [...reportColumns.pricingReport], limit: 5, sort: 'newest' },
  },
} as const satisfies Record<string, PortletDefinition>;

export type PortletDefinition = { label: string; isConfigurable: boolean; settings: z.ZodType<Record<string, unknown>>; defaults: Record<string, unknown> };
export type PortletId = keyof typeof portletRegistry;
export const portletIds = Object.keys(portletRegistry) as PortletId[];

/** One portlet as a group has it: which, and its settings (checked by the portlet's schema). */
export type PortletChoice = { id: PortletId; settings: Record<string, unknown> };

/** The report portlets: each has a full page, a CSV and a PDF, refused to a client whose group lacks it (P3). */
export type ReportId = keyof typeof reportColumns;
export const reportIds = Object.keys(reportColumns) as ReportId[];
export function isReportId(id: string): id is ReportId {
  return (reportIds as string[]).includes(id);
}

export function portletDefinition(id: PortletId): PortletDefinition {
  return portletRegistry[id];
}

/**
 * The portlets of a group that has none of its own and a tenant that set no default: the client's
 * everyday ones (the demo's CLIENTS group has these); reports are added per group.
 */
export const defaultPortlets: PortletChoice[] = portletIds.filter((id) => !isReportId(id)).map((id) => ({ id, settings: structuredClone(portletRegistry[id].defaults) }));

/**
 * The schema of the `portal.portlets` setting: an ordered list of portlets, each at most once, each
 * with settings its own schema accepts.
 */
export const portletListSchema = z
  .array(z.object({ id: z.enum(portletIds as [PortletId, ...PortletId[]]), settings: z.record(z.string(), z.unknown()) }).strict())
  .max(portletIds.length)
  .superRefine((list, context) => {
    const seen = new Set<string>();
    list.forEach((choice, index) => {
      if (seen.has(choice.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `${choice.id} is listed twice` });
      seen.add(choice.id);
      const parsed = portletRegistry[choice.id].settings.safeParse(choice.settings);
      if (!parsed.success) context.addIssue({ code: 'custom', path: [index, 'settings'], message: `settings of ${choice.id}: ${parsed.error.message}` });
    });
  })
  .transform((list) => list.map((choice) => ({ id: choice.id, settings: portletRegistry[choice.id].settings.parse(choice.settings) })) as PortletChoice[]);
