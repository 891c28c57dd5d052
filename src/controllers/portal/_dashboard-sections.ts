import { randomUUID } from 'node:crypto';
import type { Scope } from '../../db/scope.js';
import { findActiveCaretaker } from '../../models/caretaker.js';
import { listRecentChangeRequests } from '../../models/change-request.js';
import { duesOf } from '../../models/customer-balance.js';
import { findCustomer } from '../../models/customer.js';
import { portletsInForce } from '../../models/portlet-configuration.js';
import { portletDefinition, reportColumns, type PortletId, type ReportId } from '../../models/portlet-registry.js';
import { readClientReport } from '../../models/client-reports.js';
import { periodRange, type ReportPeriod } from '../../models/report-period.js';
import { clientReportColumns, periodName, periodText, reportRoutes, rowTexts } from '../../presenters/client-reports.js';
import type { ReportWriter } from '../../presenters/report-tables.js';
import { findProviderDetails, hasOfficeContact, type ProviderDetails } from '../../models/provider-details.js';
import { approvalOnFiling } from '../../models/ticket-approval-rules.js';
import { listTicketCategories } from '../../models/ticket-category.js';
import { pageFrom } from '../../lib/pagination.js';
import { listClientAnnouncements } from '../../models/announcement-readings.js';
import { listTicketsAwaitingApproval } from '../../models/ticket-approval.js';
import { excerptClientTickets, type TicketExcerpt } from '../../models/ticket-excerpts.js';
import { changeFieldLabels, changeRequestStatus } from '../../presenters/change-requests.js';
import { taxIdText } from '../../presenters/customers.js';
import { balanceInWords, openInvoiceStatus } from '../../presenters/settlements.js';
import { categoryChoices, ticketStatusBadge } from '../../presenters/tickets.js';

/** Who reads the start page's reports: the writer of the report tables, and the tenant's time zone for their dates. */
type ReportReader = ReportWriter & { timeZone: string };

/** What every section's loader gets: the client's scope and customer, and what several sections share, read once; a portlet also its settings. */
export type SectionContext = {
  scope: Scope;
  customerId: number;
  today: string;
  locale: string;
  reader: ReportReader;
  provider: () => Promise<ProviderDetails>;
  /** Both ticket sections (waiting for the client's reply; the open tickets portlet), read in one statement for both. */
  clientTickets: () => Promise<{ open: TicketExcerpt; waiting: TicketExcerpt }>;
  settings: Record<string, unknown>;
};

/**
 * One section of the client's start page: the partial that draws it (views/portal/dashboards/<view>.ejs)
 * and the loader that reads its data through the client's scope. The page draws them in this order,
 * in a grid; the portlets of issue 17 (tickets, balances) join as further entries, chosen per group.
 */
export type DashboardSection = { id: string; view: string; isShownTo?(actor: Scope['actor']): boolean; load(context: SectionContext): Promise<Record<string, unknown>> };

/** Requests decided this many days ago or later stay on the start page; older ones are on the company page. */
export const recentDays = 30;

/** Tickets each ticket section shows; the rest is on the ticket list. */
export const ticketsPerSection = 5;

/** A portlet's row limit (models/portlet-registry.ts), else its default. */
const limitOf = (settings: Record<string, unknown>, fallback: number): number => (typeof settings.limit === 'number' ? settings.limit : fallback);

/** A ticket excerpt as the sections draw it: each row with its status badge. */
function ticketSection(excerpt: TicketExcerpt): Record<string, unknown> {
  return { total: excerpt.total, rows: excerpt.rows.map((row) => ({ ...row, statusBadge: ticketStatusBadge(row.status) })) };
}

/**
 * The sections every client has, whatever their group: what waits for them comes first, who looks
 * after them, their company and the provider after the portlets.
 */
export const portalDashboardSections: readonly DashboardSection[] = [
  {
    // What waits for an approver's decision (T7), the longest waiting first: only approvers have the section.
    id: 'ticketApprovals',
    view: '_ticket-approvals',
    isShownTo: (actor) => actor.kind === 'user' && actor.isApprover === true,
    async load({ scope }) {
      const { rows, pagination } = await listTicketsAwaitingApproval(scope, pageFrom(1, ticketsPerSection));
      return { rows, total: pagination.total };
    },
  },
  {
    // What waits for the client: tickets the caretaker asked something about (T3, T5).
    id: 'waitingTickets',
    view: '_waiting-tickets',
    async load({ clientTickets }) {
      return ticketSection((await clientTickets()).waiting);
    },
  },
  {
    // Who looks after the customer (A2): the caretaker, or the office when there is none.
    id: 'care',
    view: '_care',
    async load({ scope, customerId, provider }) {
      const [caretaker, details] = await Promise.all([findActiveCaretaker(scope, customerId), provider()]);
      return { caretaker, office: details.office, hasOfficeContact: hasOfficeContact(details.office) };
    },
  },
  {
    // The company's data on record, with the way to ask for a change (A13).
    id: 'company',
    view: '_company',
    async load({ scope, customerId }) {
      const customer = await findCustomer(scope, customerId);
      // A foreign tax id with its country's code (SK 2020123456), a NIP in its groups.
      return { customer, taxIdText: taxIdText(customer.taxCountry, customer.taxId) };
    },
  },
  {
    id: 'changeRequests',
    view: '_change-requests',
    async load({ scope, customerId }) {
      const requests = await listRecentChangeRequests(scope, customerId, { days: recentDays, limit: 5 });
      return {
        recentDays,
        requests: requests.map((request) => ({
          ...request,
          fields: Object.keys(request.changes).map((field) => changeFieldLabels[field as keyof typeof changeFieldLabels]),
          statusBadge: changeRequestStatus(request.status),
        })),
      };
    },
  },
  {
    // The provider: its name and how to reach its office.
    id: 'provider',
    view: '_provider',
    async load({ provider }) {
      const details = await provider();
      return { provider: details, hasOfficeContact: hasOfficeContact(details.office) };
    },
  },
];


/**
 * How each portlet of the registry (models/portlet-registry.ts) reads its data and which partial
 * draws it: one scoped query each (none for the forms but their choices), with its settings.
 */
/** A report portlet (P4): the first rows of the report of its period, with its settings; the rest is on its page. */
function reportSection(id: ReportId): Omit<DashboardSection, 'id'> {
  return {
    view: '_report',
    async load({ scope, customerId, today, reader, settings }) {
      const chosen = settings as { period: ReportPeriod; columns: string[]; sort: string; limit: number };
      const range = periodRange(chosen.period, today);
      const columns = clientReportColumns(id, (reportColumns[id] as readonly string[]).filter((column) => chosen.columns.includes(column)), reader.timeZone);
      const { rows, total } = await readClientReport(scope, id, customerId, { range, sort: chosen.sort, page: { page: 1, perPage: chosen.limit, offset: 0 } });
      return {
        report: { id, label: portletDefinition(id).label, periodName: periodName(chosen.period, reader), periodText: periodText(range, reader), routes: reportRoutes(id) },
        columns: columns.map((column) => ({ label: column.header, isMoney: column.isAmount })),
        rows: rowTexts(rows, columns, reader),
        total,
      };
    },
  };
}

export const portletSections: Record<PortletId, Omit<DashboardSection, 'id'>> = {
  settlementsReport: reportSection('settlementsReport'),
  agingReport: reportSection('agingReport'),
  paymentsReport: reportSection('paymentsReport'),
  pricingReport: reportSection('pricingReport'),
  latestTickets: {
    // The tickets not yet finished, latest change first (T4, T5).
    view: '_open-tickets',
    async load({ clientTickets }) {
      return ticketSection((await clientTickets()).open);
    },
  },
  balance: {
    // The customer's balance in words (M2): from the request's one statement of the customer's dues, which
    // the dues portlet shares (duesOf); always shown, "nothing to pay" when there is no ledger yet.
    view: '_balance',
    async load({ scope, customerId, today }) {
      return { balance: balanceInWords((await duesOf(scope, customerId, today)).balance) };
    },
  },
  dues: {
    // What is due and when (M2): the open invoices due first, overdue ones marked; the statement the balance shares.
    view: '_dues',
    async load({ scope, customerId, today, settings }) {
      const { open } = await duesOf(scope, customerId, today);
      return { total: open.length, invoices: open.slice(0, limitOf(settings, 4)).map((invoice) => ({ ...invoice, status: openInvoiceStatus(invoice) })) };
    },
  },
  addTicket: {
    // The new-ticket form itself (T1): the categories and whether this client may ask for approval (T7).
    view: '_add-ticket',
    async load({ scope, customerId, today, locale }) {
      const [categories, approval] = await Promise.all([listTicketCategories(scope), approvalOnFiling(scope, customerId)]);
      return { categories: categoryChoices(categories, locale), approval, today, submissionKey: randomUUID() };
    },
  },
  announcements: {
    // The client's announcements in force (C2): the unread first, then the newest; one query, and one more for
    // the counts only when the rows fill the portlet.
    view: '_announcements',
    async load({ scope, settings }) {
      const { rows, total, unread } = await listClientAnnouncements(scope, pageFrom(1, limitOf(settings, 5)));
      return { announcements: rows, total, unread };
    },
  },
  addDocument: {
    // The new-document form itself (T6).
    view: '_add-document',
    async load() {
      return { submissionKey: randomUUID() };
    },
  },
};

/** Every section's data, of the sections the client has, read in parallel; the provider's details once for all. */
export async function loadPortalDashboard(scope: Scope, client: { customerId: number; groupId: number | null }, reader: ReportReader & { today: string }): Promise<Array<{ id: string; view: string; data: Record<string, unknown> }>> {
  let provider: Promise<ProviderDetails> | undefined;
  let clientTickets: ReturnType<SectionContext['clientTickets']> | undefined;
  const chosen = await portletsInForce(scope, client);
  const latestTickets = chosen.find((choice) => choice.id === 'latestTickets');
  const ticketLimits = { open: latestTickets ? limitOf(latestTickets.settings, ticketsPerSection) : 0, waiting: ticketsPerSection };
  const context: SectionContext = {
    scope,
    customerId: client.customerId,
    today: reader.today,
    locale: reader.locale,
    reader,
    provider: () => (provider ??= findProviderDetails(scope)),
    clientTickets: () => (clientTickets ??= excerptClientTickets(scope, ticketLimits)),
    settings: {},
  };
  const portlets: DashboardSection[] = chosen.map((choice) => ({ id: choice.id, ...portletSections[choice.id], load: (shared) => portletSections[choice.id].load({ ...shared, settings: choice.settings }) }));
  const [waiting, rest] = [portalDashboardSections.filter((section) => actionSections.has(section.id)), portalDashboardSections.filter((section) => !actionSections.has(section.id))];
  const shown = [...waiting, ...portlets, ...rest].filter((section) => section.isShownTo?.(scope.actor) ?? true);
  return Promise.all(shown.map(async (section) => ({ id: section.id, view: section.view, data: await section.load(context) })));
}

/** The sections of what waits for the client, drawn before the portlets. */
const actionSections = new Set(['ticketApprovals', 'waitingTickets']);
