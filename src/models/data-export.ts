import type { Knex } from 'knex';
import { isAdministrator, type Scope } from '../db/scope.js';
import { ForbiddenError } from '../lib/errors.js';
import type { ImportKind } from '../lib/import-rows.js';
import { logEvent } from './audit.js';
import { portalEntryPrefix } from './ledger-import.js';
import { visibleCustomers, visibleLedgerEntries } from './visibility.js';

/**
 * Exports of customers, invoices and payments (M7) in the import's columns, read in batches by id so
 * that memory holds one batch whatever the tenant's size. Invoices and payments are the approved
 * ones only: what counts in the ledger. An entry entered in the portal (no external id) is keyed
 * `ebok:<id>`, which the import matches back to it. Each row is a record of raw values (amounts in
 * minor units); presenters/data-exports.ts writes them as CSV.
 */
export type ExportRow = Record<string, string | number | bigint | null>;

const batchSize = 1000;

function mayExport(scope: Scope): void {
  if (!(scope.actor.kind === 'system' || isAdministrator(scope.actor))) throw new ForbiddenError('may not export');
}

const customerColumns = ['id', 'customer_number', 'name', 'tax_country', 'tax_id', 'street', 'postal_code', 'city', 'country', 'email', 'phone', 'bank_account'];
const entryColumns = ['id', 'external_id', 'document_number', 'entry_date', 'due_date', 'amount', 'currency', 'description', 'method'];

const keyOf = (row: Record<string, unknown>, column: string, id: string) => (row[column] === null || row[column] === undefined ? (row[id] === null || row[id] === undefined ? null : `${portalEntryPrefix}${row[id]}`) : String(row[column]));
const dateOf = (value: unknown) => (value === null || value === undefined ? null : String(value).slice(0, 10));
const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

/** The base query of a kind's rows, and how a row becomes the import's columns. */
const sources: Record<ImportKind, { table: string; query(scope: Scope): Knex.QueryBuilder; row(row: Record<string, unknown>): ExportRow }> = {
  customers: {
    table: 'customers',
    query: (scope) =>
      visibleCustomers(scope)
        .leftJoin('users as caretakers', (join) => join.on('caretakers.id', 'customers.caretaker_id').andOn('caretakers.tenant_id', 'customers.tenant_id'))
        .select(customerColumns.map((column) => `customers.${column}`))
        .select('caretakers.email as caretaker_email'),
    row: (row) => ({
      customer_number: text(row.customer_number),
      name: String(row.name),
      tax_country: text(row.tax_country),
      tax_id: text(row.tax_id),
      street: text(row.street),
      postal_code: text(row.postal_code),
      city: text(row.city),
      country: text(row.country),
      email: text(row.email),
      phone: text(row.phone),
      bank_account: text(row.bank_account),
      caretaker_email: text(row.caretaker_email),
    }),
  },
  invoices: {
    table: 'ledger_entries',
    query: (scope) => approvedEntries(scope, 'invoice').select(...entryColumns.map((column) => `ledger_entries.${column}`), 'customers.customer_number'),
    row: (row) => ({
      external_id: keyOf(row, 'external_id', 'id'),
      customer_number: text(row.customer_number),
      number: text(row.document_number),
      issue_date: dateOf(row.entry_date),
      due_date: dateOf(row.due_date),
      amount: row.amount as number,
      currency: String(row.currency),
      description: text(row.description),
    }),
  },
  payments: {
    table: 'ledger_entries',
    query: (scope) =>
      approvedEntries(scope, 'payment')
        .leftJoin('ledger_entries as invoices', (join) => join.on('invoices.id', 'ledger_entries.pays_entry_id').andOn('invoices.tenant_id', 'ledger_entries.tenant_id'))
        .select(entryColumns.map((column) => `ledger_entries.${column}`))
        .select('customers.customer_number', 'invoices.external_id as invoice_external_id', 'invoices.id as invoice_id'),
    row: (row) => ({
      external_id: keyOf(row, 'external_id', 'id'),
      customer_number: text(row.customer_number),
      date: dateOf(row.entry_date),
      amount: row.amount as number,
      method: text(row.method),
      reference: text(row.document_number),
      invoice_external_id: keyOf(row, 'invoice_external_id', 'invoice_id'),
    }),
  },
};

function approvedEntries(scope: Scope, kind: 'invoice' | 'payment'): Knex.QueryBuilder {
  return visibleLedgerEntries(scope)
    .where({ 'ledger_entries.kind': kind, 'ledger_entries.status': 'approved' })
    .join('customers', (join) => join.on('customers.id', 'ledger_entries.customer_id').andOn('customers.tenant_id', 'ledger_entries.tenant_id'));
}

/** How many rows an export of the kind has (for its audit entry). */
export async function countExportRows(scope: Scope, kind: ImportKind): Promise<number> {
  mayExport(scope);
  const source = sources[kind];
  const [counted] = await source.query(scope).clearSelect().count({ total: '*' });
  return Number(counted?.total ?? 0);
}

/**
 * The kind's rows in batches, by id. The next batch is asked for as soon as the last id of this one is
 * known, so the database reads it while the caller writes this one out; a caller that stops early
 * (the client went away) leaves no query unwatched.
 * @throws ForbiddenError for anyone but admins
 */
export async function* exportBatches(scope: Scope, kind: ImportKind): AsyncGenerator<ExportRow[]> {
  mayExport(scope);
  const source = sources[kind];
  // .then() sends the query now: a query builder left alone runs only when it is awaited.
  const batchAfter = (afterId: number): Promise<Array<Record<string, unknown>>> =>
    source
      .query(scope)
      .where(`${source.table}.id`, '>', afterId)
      .orderBy(`${source.table}.id`)
      .limit(batchSize)
      .then((rows: Array<Record<string, unknown>>) => rows);
  let next: Promise<Array<Record<string, unknown>>> | null = batchAfter(0);
  try {
    while (next) {
      const rows: Array<Record<string, unknown>> = await next;
      next = rows.length === batchSize ? batchAfter(Number(rows.at(-1)!.id)) : null;
      if (rows.length > 0) yield rows.map(source.row);
    }
  } finally {
    await next?.catch(() => undefined);
  }
}

/** An export is on record before its first line is sent: who took which kind, and how many rows. */
export async function recordExport(scope: Scope, kind: ImportKind, rows: number): Promise<void> {
  mayExport(scope);
  await logEvent(scope, { action: 'export.downloaded', details: { kind, rows } });
}
