import { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { ImportKind } from '../../src/lib/import-rows.js';
import { createCustomer, type Customer } from '../../src/models/customer.js';
import { performImport, recordCommandLineImport } from '../../src/models/data-import.js';
import type { ImportOutcome } from '../../src/models/import-run.js';
import { scopeFor, uniqueName, type TestTenant } from './factories.js';

/** Imports a file's text (or bytes) for the tenant as the CLI does, and answers with the outcome. */
export async function importText(db: Knex, tenant: TestTenant, kind: ImportKind, content: string | Buffer, options: { isDryRun?: boolean } = {}): Promise<ImportOutcome> {
  const scope = scopeFor(db, tenant);
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const id = await recordCommandLineImport(scope, { kind, isDryRun: options.isDryRun ?? false, fileName: `${kind}.csv`, fileSize: bytes.length });
  return performImport(scope, id, async () => Readable.from([bytes]));
}

/** A customer with an accounting number (upper case, as the form keeps it). */
export async function numberedCustomer(db: Knex, tenant: TestTenant, customerNumber = uniqueName('K').toUpperCase()): Promise<Customer> {
  return createCustomer(scopeFor(db, tenant), { name: uniqueName('Customer'), customerNumber });
}

/** The lines and reasons of an outcome's bad rows, as [line, first reason's key]. */
export const badRowsOf = (outcome: ImportOutcome) => outcome.badRows.map((row) => [row.line, row.problems[0]!.key]);

/** CSV text with semicolons and CRLF from rows of cells. */
export const csvText = (rows: string[][]) => rows.map((cells) => cells.join(';')).join('\r\n') + '\r\n';

export const invoiceHeader = ['external_id', 'customer_number', 'number', 'issue_date', 'due_date', 'amount', 'currency', 'description'];
export const paymentHeader = ['external_id', 'customer_number', 'date', 'amount', 'method', 'reference', 'invoice_external_id'];
