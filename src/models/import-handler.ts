import type { Scope, TenantTable } from '../db/scope.js';
import type { Parsed, RowProblem } from '../lib/import-rows.js';

/** A row of the file that passed its own checks, with the line it came from and its key. */
export type KeyedRow<Row> = { line: number; key: string; row: Row };

/**
 * What the database says of a row: created, changed (customers only: approved ledger entries never
 * change) or unchanged, with what writing it needs (`plan`), or the problems that refuse it.
 */
export type Verdict<Plan> =
  | { line: number; key: string; outcome: 'create' | 'change' | 'unchanged'; plan: Plan; changedFields?: string[] }
  | { line: number; key: string; outcome: 'refuse'; problems: RowProblem[] };

/**
 * One kind of import (customers, invoices, payments): how a row is read, what it is keyed by, how a
 * chunk of rows is judged against the database (one query per lookup for the whole chunk, so the
 * number of queries grows with the chunks, not the rows), and how judged rows are written.
 */
export type ImportHandler<Row, Plan, Context> = {
  /** What the whole run needs once: the tenant's currency, its staff by e-mail. */
  prepare(scope: Scope): Promise<Context>;
  parse(values: Record<string, string>, context: Context): Parsed<Row>;
  keyOf(row: Row): string;
  judge(scope: Scope, rows: Array<KeyedRow<Row>>, context: Context): Promise<Array<Verdict<Plan>>>;
  /** Writes a chunk's rows to create or change (inside the import's transaction). */
  write(trx: Scope, verdicts: Array<Verdict<Plan>>, context: Context): Promise<void>;
  /** After the last chunk, in the same transaction: what needs every row written (allocation). */
  finish(trx: Scope, context: Context): Promise<void>;
};

/**
 * SQLite writes a multi-row insert as one compound SELECT, which may have at most 500 terms
 * (SQLITE_MAX_COMPOUND_SELECT): rows go in batches well below it on both databases.
 */
const insertBatch = 200;

/** Inserts the rows of a chunk into a tenant table, a batch at a time. */
export async function insertRows(trx: Scope, table: TenantTable, rows: Array<Record<string, unknown>>): Promise<void> {
  for (let start = 0; start < rows.length; start += insertBatch) await trx.insertQuery(table, rows.slice(start, start + insertBatch));
}
