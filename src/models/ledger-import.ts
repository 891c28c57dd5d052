import { actingUserId, lockRows, type Scope } from '../db/scope.js';
import { parseInvoiceRow, parsePaymentRow, type InvoiceImportRow, type PaymentImportRow, type RowProblem } from '../lib/import-rows.js';
import { minorUnitsFrom } from '../lib/money.js';
import { toDatabaseTime } from '../lib/time.js';
import { insertRows, type ImportHandler, type KeyedRow, type Verdict } from './import-handler.js';
import { allocateCustomers } from './ledger-allocation.js';
import { findScopeTenant } from './tenant.js';
import { visibleCustomers, visibleLedgerEntries } from './visibility.js';

/**
 * Invoices and payments from the accounting system (M7), keyed by its id of the row (external_id).
 * They are entered approved, as the API's are: the accounting system approved them. An id already
 * in the ledger with the same values is unchanged; with other values it is a bad row, whatever the
 * entry's state: an approved entry never changes, and a pending or rejected one is decided in the
 * panel, not overwritten by a file. The portal's own entries, which have no external id, are
 * exported as `ebok:<id>` and matched by that id, so an export imports back unchanged.
 * Allocation is the ledger's own (allocateCustomers), once per customer the import touched, read
 * and written for hundreds of customers a statement.
 */
type Context = { currency: string; touchedCustomers: Set<number> };
type Plan = { columns: Record<string, unknown> };

/** The prefix of an entry's key in an export when it has no external id (entered in the portal). */
export const portalEntryPrefix = 'ebok:';
const portalEntryId = (key: string) => (key.startsWith(portalEntryPrefix) && /^\d{1,10}$/.test(key.slice(portalEntryPrefix.length)) ? Number(key.slice(portalEntryPrefix.length)) : null);

/** The entries of a kind with these keys (external ids, or the portal's own ids), by key. */
async function entriesByKey(scope: Scope, kind: 'invoice' | 'payment', keys: string[]): Promise<Map<string, Record<string, unknown>>> {
  const portalIds = keys.map(portalEntryId).filter((id): id is number => id !== null);
  const external = keys.filter((key) => portalEntryId(key) === null);
  const found = new Map<string, Record<string, unknown>>();
  if (external.length > 0) {
    for (const row of await visibleLedgerEntries(scope).where('ledger_entries.kind', kind).whereIn('ledger_entries.external_id', external).select('ledger_entries.*')) found.set(String(row.external_id), row);
  }
  if (portalIds.length > 0) {
    for (const row of await visibleLedgerEntries(scope).where('ledger_entries.kind', kind).whereNull('ledger_entries.external_id').whereIn('ledger_entries.id', portalIds).select('ledger_entries.*')) found.set(`${portalEntryPrefix}${row.id}`, row);
  }
  return found;
}

async function customersByNumber(scope: Scope, numbers: string[]): Promise<Map<string, number>> {
  const rows: Array<{ id: number; customer_number: string }> = await visibleCustomers(scope).whereIn('customers.customer_number', [...new Set(numbers)]).select('customers.id', 'customers.customer_number');
  return new Map(rows.map((row) => [String(row.customer_number).toUpperCase(), Number(row.id)]));
}

const dateOf = (value: unknown) => (value === null || value === undefined ? null : String(value).slice(0, 10));

/** The columns an entry's row would have, compared column by column with a stored one. */
function sameEntry(stored: Record<string, unknown>, columns: Record<string, unknown>): boolean {
  return Object.entries(columns).every(([column, value]) => {
    if (column === 'amount') return minorUnitsFrom(stored.amount) === BigInt(value as number);
    if (column === 'entry_date' || column === 'due_date') return dateOf(stored[column]) === value;
    if (column === 'customer_id' || column === 'pays_entry_id') return (stored[column] === null ? null : Number(stored[column])) === value;
    return (stored[column] ?? null) === value;
  });
}

/** The verdict on a row whose columns are known: new, the same as stored, or a refused difference. */
function verdictOf(line: number, key: string, stored: Record<string, unknown> | undefined, columns: Record<string, unknown>): Verdict<Plan> {
  if (!stored) {
    if (portalEntryId(key) !== null) return { line, key, outcome: 'refuse', problems: [{ key: 'imports:row.portalEntryUnknown', values: { value: key } }] };
    return { line, key, outcome: 'create', plan: { columns: { ...columns, external_id: key } } };
  }
  if (sameEntry(stored, columns)) return { line, key, outcome: 'unchanged', plan: { columns: {} } };
  const problem = stored.status === 'approved' ? 'imports:row.approvedDiffers' : 'imports:row.undecidedDiffers';
  return { line, key, outcome: 'refuse', problems: [{ key: problem, values: { value: key } }] };
}

const unknownCustomer = (line: number, key: string, number: string): Verdict<Plan> => ({ line, key, outcome: 'refuse', problems: [{ key: 'imports:row.customerUnknown', values: { value: number } }] });

async function prepare(scope: Scope): Promise<Context> {
  return { currency: (await findScopeTenant(scope)).currency, touchedCustomers: new Set() };
}

/** Inserts a chunk's new entries as approved, with the customers' rows locked for the allocation. */
async function write(trx: Scope, verdicts: Array<Verdict<Plan>>, context: Context): Promise<void> {
  const created = verdicts.flatMap((verdict) => (verdict.outcome === 'create' ? [verdict.plan.columns] : []));
  if (created.length === 0) return;
  const customers = [...new Set(created.map((columns) => Number(columns.customer_id)))].filter((id) => !context.touchedCustomers.has(id)).sort((a, b) => a - b);
  await lockRows(trx, 'customers', customers);
  customers.forEach((id) => context.touchedCustomers.add(id));
  const now = toDatabaseTime(trx.now());
  const actor = actingUserId(trx.actor);
  const common = { status: 'approved', currency: context.currency, source: 'import', entered_by: actor, entered_at: now, decided_by: actor, decided_at: now };
  await insertRows(trx, 'ledger_entries', created.map((columns) => ({ ...common, ...columns, amount: String(columns.amount) })));
}

async function finish(trx: Scope, context: Context): Promise<void> {
  await allocateCustomers(trx, [...context.touchedCustomers].sort((a, b) => a - b));
}

export const invoiceImport: ImportHandler<InvoiceImportRow, Plan, Context> = {
  prepare,
  parse: (values, context) => parseInvoiceRow(values, context.currency),
  keyOf: (row) => row.externalId,
  async judge(scope, rows) {
    const [customers, stored] = await Promise.all([customersByNumber(scope, rows.map((entry) => entry.row.customerNumber)), entriesByKey(scope, 'invoice', rows.map((entry) => entry.key))]);
    return rows.map(({ line, key, row }) => {
      const customerId = customers.get(row.customerNumber);
      if (customerId === undefined) return unknownCustomer(line, key, row.customerNumber);
      const columns = { customer_id: customerId, kind: 'invoice', document_number: row.number, entry_date: row.issueDate, due_date: row.dueDate, amount: row.amountMinor, description: row.description };
      return verdictOf(line, key, stored.get(key), columns);
    });
  },
  write,
  finish,
};

/** The invoices payments name, by key: which customer's, and whether approved. */
async function namedInvoices(scope: Scope, rows: Array<KeyedRow<PaymentImportRow>>): Promise<Map<string, Record<string, unknown>>> {
  const keys = [...new Set(rows.flatMap((entry) => (entry.row.invoiceExternalId ? [entry.row.invoiceExternalId] : [])))];
  return keys.length === 0 ? new Map() : entriesByKey(scope, 'invoice', keys);
}

function namedInvoiceProblem(invoice: Record<string, unknown> | undefined, customerId: number, key: string): RowProblem | null {
  if (!invoice || Number(invoice.customer_id) !== customerId) return { key: 'imports:row.invoiceUnknown', values: { value: key } };
  if (invoice.status !== 'approved') return { key: 'imports:row.invoiceNotApproved', values: { value: key } };
  return null;
}

export const paymentImport: ImportHandler<PaymentImportRow, Plan, Context> = {
  prepare,
  parse: (values, context) => parsePaymentRow(values, context.currency),
  keyOf: (row) => row.externalId,
  async judge(scope, rows) {
    const [customers, stored, invoices] = await Promise.all([customersByNumber(scope, rows.map((entry) => entry.row.customerNumber)), entriesByKey(scope, 'payment', rows.map((entry) => entry.key)), namedInvoices(scope, rows)]);
    return rows.map(({ line, key, row }) => {
      const customerId = customers.get(row.customerNumber);
      if (customerId === undefined) return unknownCustomer(line, key, row.customerNumber);
      const invoice = row.invoiceExternalId ? invoices.get(row.invoiceExternalId) : undefined;
      const problem = row.invoiceExternalId ? namedInvoiceProblem(invoice, customerId, row.invoiceExternalId) : null;
      if (problem) return { line, key, outcome: 'refuse', problems: [problem] };
      const columns = { customer_id: customerId, kind: 'payment', document_number: row.reference, entry_date: row.paidOn, method: row.method, amount: row.amountMinor, pays_entry_id: invoice ? Number(invoice.id) : null };
      return verdictOf(line, key, stored.get(key), columns);
    });
  },
  write,
  finish,
};
