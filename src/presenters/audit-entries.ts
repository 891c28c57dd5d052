import type { AuditEntry, AuditParty } from '../models/audit-entries.js';
import { accountDetailLabels } from './account-details.js';
import { customerFieldLabels } from './customers.js';
import { ticketCategoryLabels } from './ticket-categories.js';
import { message, type Choice, type Text } from './presentation.js';
import { auditSubjectTypes } from '../validators/audit-filter.js';

/**
 * What an audit entry looks like to a person, for the page and the CSV export alike (D3): the action
 * in the reader's words, who and what by name with the page each one has, the kind of record.
 */

/** The message key of an action: 'customer.change_approved' is audit:customer_change_approved. */
export const actionKeyOf = (action: string) => `audit:${action.replace('.', '_')}`;

/**
 * An action in the reader's words. An action logged by code newer than the translations (a test
 * keeps them complete) still reads: "account.details_changed" shows as "account: details changed".
 */
export function actionText(action: string): Text {
  const [kind, ...rest] = action.split('.');
  const readable = rest.length > 0 ? `${kind}: ${rest.join('.').replace(/_/g, ' ')}` : action.replace(/_/g, ' ');
  return message(actionKeyOf(action), { defaultValue: readable });
}

/** The kinds of record the page names and links (and the filter offers); any other kind is shown as its type and id. */
const knownKinds = auditSubjectTypes;
const isKnownKind = (type: string): type is (typeof knownKinds)[number] => (knownKinds as readonly string[]).includes(type);

/** The kind of a record in the reader's words ("Account", "Konto"). */
export function kindText(type: string): Text {
  return isKnownKind(type) ? message(`admin:auditLog.subjects.${type}`) : type;
}

/** Where a record named by the log is shown today: its route and parameters; none once it is removed. */
export function partyPage(party: AuditParty): { route: string; parameters: Record<string, number> } | null {
  if (party.isRemoved || party.id === null && party.type !== 'tenant') return null;
  const id = party.id!;
  switch (party.type) {
    case 'user':
      return { route: 'admin.accounts.show', parameters: { userId: id } };
    case 'customer':
      return { route: 'staff.customers.show', parameters: { customerId: id } };
    case 'group':
      return { route: 'admin.groups.edit', parameters: { groupId: id } };
    case 'tenant':
      return { route: 'admin.settings.edit', parameters: {} };
    case 'job':
      return { route: 'superadmin.failedJobs.index', parameters: {} };
    case 'ticket':
      return { route: 'staff.tickets.show', parameters: { ticketId: id } };
    case 'ticket_category':
      return { route: 'admin.ticketCategories.edit', parameters: { categoryId: id } };
    case 'ledger_entry':
      return { route: 'admin.ledgerEntries.show', parameters: { entryId: id } };
    case 'import':
      return { route: 'admin.imports.show', parameters: { importId: id } };
    case 'mail_intake':
      return { route: 'admin.mailIntakeMessages.show', parameters: { intakeId: id } };
    case 'announcement':
      return { route: 'admin.announcements.show', parameters: { announcementId: id } };
    case 'purge_request':
      return { route: 'admin.purgeRequests.show', parameters: { purgeRequestId: id } };
    default:
      return null;
  }
}

/**
 * A record by name as it is today, "Anna Nowak (anna)", or by its id when it has none or is gone:
 * "Account #4: removed". With `withKind`, the kind goes first ("Customer: Alfa sp. z o.o.").
 */
export function partyText(party: AuditParty, withKind: boolean): Text {
  const kind = withKind ? kindText(party.type) : '';
  const number = party.id === null ? '' : `#${party.id}`;
  if (party.isRemoved) return message(withKind ? 'admin:auditLog.removedWithKind' : 'admin:auditLog.removedParty', { kind, number });
  if (party.name !== null) {
    const name = party.login ? `${party.name} (${party.login})` : party.name;
    return withKind ? message('admin:auditLog.namedWithKind', { kind, name }) : name;
  }
  return withKind ? message('admin:auditLog.numberedWithKind', { kind, number }) : number;
}

/** The choices of the filter's action select: the actions the log holds, in the reader's words. */
export function actionChoices(actions: string[]): Choice[] {
  return actions.map((action) => ({ value: action, label: actionText(action) }));
}

/** The choices of the filter's kind-of-record select. */
export function subjectTypeChoices(): Choice[] {
  return knownKinds.map((type) => ({ value: type, label: kindText(type) }));
}

/** The tenant's fields that its audit entries name: the office contact (provider details) and the billing details. */
function tenantFieldLabels(): Record<string, string> {
  return {
    email: 'providerDetails:fields.email',
    phone: 'providerDetails:fields.phone',
    address: 'providerDetails:fields.address',
    hours: 'providerDetails:fields.hours',
    legalName: 'billingDetails:fields.legalName',
    street: 'billingDetails:fields.street',
    postalCode: 'billingDetails:fields.postalCode',
    city: 'billingDetails:fields.city',
    taxCountry: 'billingDetails:fields.taxCountry',
    taxId: 'billingDetails:fields.taxId',
    bankAccount: 'billingDetails:fields.bankAccount',
    currency: 'billingDetails:fields.currency',
    paymentTermDays: 'billingDetails:fields.paymentTermDays',
    hasVirtualAccounts: 'billingDetails:fields.hasVirtualAccounts',
    virtualAccountPrefix: 'billingDetails:fields.virtualAccountPrefix',
  };
}

/** The labels of the fields an entry's `fields` detail names, by the kind of its subject. */
const fieldLabelsByKind: Record<string, Record<string, string>> = { customer: customerFieldLabels, user: accountDetailLabels, ticket_category: ticketCategoryLabels, tenant: tenantFieldLabels() };
const roles = new Set(['client', 'caretaker', 'admin', 'superadmin']);
/** The words of recorded codes, by the kind of the subject: a ledger entry's kind, an import's kind. */
const kindValueKeys: Record<string, string> = { ledger_entry: 'payments:kind.', import: 'imports:kinds.' };
/** Codes any entry may record as a value: yes and no, and where a ledger entry came from. */
const recordedValues = new Set(['true', 'false', 'manual', 'import']);

/**
 * An entry's details that are worth a glance (the fields changed, a role, a slug), as one line in
 * the reader's words: the names of details, roles and the fields of the subject's kind are
 * translated; anything else is shown as it was recorded.
 */
export function detailsText(entry: AuditEntry, textOf: (text: Text) => string): string {
  if (!entry.details) return '';
  const fieldLabels = fieldLabelsByKind[entry.subject?.type ?? ''] ?? {};
  const valueText = (name: string, value: unknown): string => {
    if (Array.isArray(value)) return value.map((item) => valueText(name, item)).join(', ');
    if (typeof value === 'object' && value !== null) return JSON.stringify(value);
    const text = String(value);
    if (name === 'fields' && fieldLabels[text]) return textOf(message(fieldLabels[text]));
    if (roles.has(text)) return textOf(message(`common:roles.${text}`));
    const kindKey = kindValueKeys[entry.subject?.type ?? ''];
    if (name === 'kind' && kindKey) return textOf(message(`${kindKey}${text}`, { defaultValue: text }));
    if (recordedValues.has(text) && name !== 'fields') return textOf(message(`admin:auditLog.detailValues.${text}`));
    return text;
  };
  return Object.entries(entry.details)
    .map(([name, value]) => `${textOf(message(`admin:auditLog.detailNames.${name}`, { defaultValue: name }))}: ${valueText(name, value)}`)
    .join('; ');
}

/** The reader's helpers a CSV line needs (presenters/presentation.ts). */
type Shown = { textOf: (text: Text | number) => string; timeOf: (value: string, kind: 'dateTimeToSecond') => { text: string } | null };

/** The columns of the CSV export, in the reader's language. */
export function auditCsvHeader(t: (key: string) => string): string[] {
  return ['sequence', 'when', 'who', 'action', 'actionCode', 'subject', 'details', 'ip'].map((column) => t(`admin:auditLog.csv.${column}`));
}

/** One entry as the CSV export has it: the same words as the page, and the action's code for machines. */
export function auditCsvRow(entry: AuditEntry, shown: Shown): Array<string | number | null> {
  return [
    entry.sequence,
    shown.timeOf(entry.createdAt, 'dateTimeToSecond')?.text ?? entry.createdAt,
    entry.actor ? shown.textOf(partyText(entry.actor, false)) : shown.textOf(message('admin:auditLog.system')),
    shown.textOf(actionText(entry.action)),
    entry.action,
    entry.subject ? shown.textOf(partyText(entry.subject, true)) : '',
    detailsText(entry, shown.textOf),
    entry.ip,
  ];
}

/** An actor or a subject as the page shows it: words, and the page to link them to, if any. */
export type ShownParty = { text: Text; page: { route: string; parameters: Record<string, number> } | null };

/** One entry as the page shows it. */
export function presentAuditEntry(entry: AuditEntry, textOf: (text: Text) => string) {
  const shownParty = (party: AuditParty | null, withKind: boolean): ShownParty | null => (party ? { text: partyText(party, withKind), page: partyPage(party) } : null);
  return {
    sequence: entry.sequence,
    createdAt: entry.createdAt,
    actor: shownParty(entry.actor, false),
    action: actionText(entry.action),
    subject: shownParty(entry.subject, true),
    details: detailsText(entry, textOf),
    ip: entry.ip,
  };
}
