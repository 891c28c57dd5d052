import type { Readable } from 'node:stream';
import type { Scope } from '../db/scope.js';
import { CsvFileError, openCsv, type CsvRow } from '../lib/csv-reading.js';
import { headerProblems, type ImportKind, type RowProblem } from '../lib/import-rows.js';
import { customerImport } from './customer-import.js';
import type { ImportHandler, KeyedRow, Verdict } from './import-handler.js';
import { invoiceImport, paymentImport } from './ledger-import.js';

/**
 * Runs an import of one CSV file (M7) in bounded memory: the file is read as a stream (three
 * times: to count its rows, to check them, and for a real import to write them), a thousand rows at
 * a time, each chunk's keys looked up in one query. A dry run only checks. A real import checks
 * first, outside any transaction (so its progress can be seen on both databases), and writes only
 * a file without a bad row, in one transaction that judges every chunk again (the data may have
 * changed since the check): any bad row then rolls the whole import back. Only the keys seen (to
 * find a key repeated in the file) grow with the file.
 */
/** Opens the file (again) through the scope of the pass that reads it: inside the import's transaction, the database store reads on its connection. */
export type ImportSource = (scope: Scope) => Promise<Readable>;
export type BadRow = { line: number; problems: RowProblem[] };
export type ImportTally = { rowsTotal: number; rowsDone: number; created: number; changed: number; unchanged: number; errorCount: number };
export type ImportExample = { line: number; key: string; fields?: string[] };
export type ImportOutcome = ImportTally & {
  status: 'done' | 'refused' | 'failed';
  /** The first bad rows (at most storedBadRows). */
  badRows: BadRow[];
  examples: { created: ImportExample[]; changed: ImportExample[] };
  /** Why the file could not be read at all (status failed). */
  failure: RowProblem | null;
};
export type ImportProgress = ImportTally & { phase: 'checking' | 'writing' };
export type ImportOptions = { isDryRun: boolean; onProgress?: (progress: ImportProgress) => Promise<void> };

export const chunkSize = 1000;
export const storedBadRows = 1000;
const storedExamples = 20;

type AnyHandler = ImportHandler<unknown, unknown, unknown>;
const handlers: Record<ImportKind, AnyHandler> = { customers: customerImport as AnyHandler, invoices: invoiceImport as AnyHandler, payments: paymentImport as AnyHandler };

/** A reason to stop reading the file (its header, its encoding, its quotes). */
class FileProblem extends Error {
  constructor(readonly problem: RowProblem) {
    super(problem.key);
  }
}

/** A real import that met a bad row while writing: thrown to roll the transaction back. */
class RefusedWhileWriting extends Error {}

export async function runImport(scope: Scope, kind: ImportKind, source: ImportSource, options: ImportOptions): Promise<ImportOutcome> {
  const handler = handlers[kind];
  const outcome: ImportOutcome = { status: 'done', rowsTotal: 0, rowsDone: 0, created: 0, changed: 0, unchanged: 0, errorCount: 0, badRows: [], examples: { created: [], changed: [] }, failure: null };
  try {
    outcome.rowsTotal = await countRows(scope, kind, source);
    await readAndJudge(scope, kind, handler, source, outcome, 'checking', options);
    if (outcome.errorCount > 0) return { ...outcome, status: 'refused' };
    if (options.isDryRun) return outcome;
    const written = freshTally(outcome);
    try {
      await scope.transaction((trx) => readAndJudge(trx, kind, handler, source, written, 'writing', options));
    } catch (error) {
      if (!(error instanceof RefusedWhileWriting)) throw error;
    }
    return written.errorCount > 0 ? { ...written, status: 'refused', created: 0, changed: 0 } : written;
  } catch (error) {
    if (error instanceof FileProblem) return { ...outcome, status: 'failed', failure: error.problem };
    throw error;
  }
}

function freshTally(checked: ImportOutcome): ImportOutcome {
  return { ...checked, rowsDone: 0, created: 0, changed: 0, unchanged: 0, errorCount: 0, badRows: [], examples: { created: [], changed: [] } };
}

/** The rows of the file (its header checked), or the FileProblem that makes it unreadable. */
async function openRows(scope: Scope, kind: ImportKind, source: ImportSource): Promise<AsyncIterable<CsvRow>> {
  try {
    const file = await openCsv(await source(scope));
    const [problem] = headerProblems(kind, file.columns);
    if (problem) throw new FileProblem(problem);
    return withFileProblems(file.rows);
  } catch (error) {
    throw error instanceof CsvFileError ? fileProblemOf(error) : error;
  }
}

async function* withFileProblems(rows: AsyncIterable<CsvRow>): AsyncGenerator<CsvRow> {
  try {
    yield* rows;
  } catch (error) {
    throw error instanceof CsvFileError ? fileProblemOf(error) : error;
  }
}

const fileProblemOf = (error: CsvFileError) => new FileProblem({ key: `imports:file.${error.reason}`, values: { line: error.line ?? '?' } });

async function countRows(scope: Scope, kind: ImportKind, source: ImportSource): Promise<number> {
  let rows = 0;
  for await (const _row of await openRows(scope, kind, source)) rows += 1;
  return rows;
}

/** One pass over the file: each row read, each chunk judged (and in the writing pass written until a bad row). */
async function readAndJudge(scope: Scope, kind: ImportKind, handler: AnyHandler, source: ImportSource, outcome: ImportOutcome, phase: ImportProgress['phase'], options: ImportOptions): Promise<void> {
  const context = await handler.prepare(scope);
  const seen = new Set<string>();
  let chunk: Array<KeyedRow<unknown>> = [];
  const flush = async () => {
    const verdicts = chunk.length === 0 ? [] : await handler.judge(scope, chunk, context);
    count(outcome, verdicts);
    if (phase === 'writing' && outcome.errorCount === 0) await handler.write(scope, verdicts, context);
    outcome.rowsDone += chunk.length;
    chunk = [];
    await options.onProgress?.({ ...tallyOf(outcome), phase });
  };
  for await (const { line, values, fieldCountMismatch } of await openRows(scope, kind, source)) {
    if (fieldCountMismatch) {
      addBadRow(outcome, { line, problems: [{ key: 'imports:row.fieldCount', values: fieldCountMismatch }] });
      outcome.rowsDone += 1;
      continue;
    }
    const parsed = handler.parse(values, context);
    const key = parsed.row === null ? null : handler.keyOf(parsed.row);
    const problems = parsed.row === null ? parsed.problems : seen.has(key!) ? [{ key: 'imports:row.duplicate', values: { value: key! } }] : [];
    if (key !== null) seen.add(key);
    if (problems.length > 0) {
      addBadRow(outcome, { line, problems });
      outcome.rowsDone += 1;
      continue;
    }
    chunk.push({ line, key: key!, row: parsed.row });
    if (chunk.length >= chunkSize) await flush();
  }
  await flush();
  if (phase === 'writing' && outcome.errorCount > 0) throw new RefusedWhileWriting();
  if (phase === 'writing') await handler.finish(scope, context);
}

function count(outcome: ImportOutcome, verdicts: Array<Verdict<unknown>>): void {
  for (const verdict of verdicts) {
    if (verdict.outcome === 'refuse') addBadRow(outcome, { line: verdict.line, problems: verdict.problems });
    else if (verdict.outcome === 'create') {
      outcome.created += 1;
      addExample(outcome, 'created', { line: verdict.line, key: verdict.key });
    } else if (verdict.outcome === 'change') {
      outcome.changed += 1;
      addExample(outcome, 'changed', { line: verdict.line, key: verdict.key, fields: verdict.changedFields ?? [] });
    } else outcome.unchanged += 1;
  }
}

function addBadRow(outcome: ImportOutcome, badRow: BadRow): void {
  outcome.errorCount += 1;
  if (outcome.badRows.length < storedBadRows) outcome.badRows.push(badRow);
}

function addExample(outcome: ImportOutcome, list: 'created' | 'changed', example: ImportExample): void {
  if (outcome.examples[list].length < storedExamples) outcome.examples[list].push(example);
}

const tallyOf = ({ rowsTotal, rowsDone, created, changed, unchanged, errorCount }: ImportOutcome): ImportTally => ({ rowsTotal, rowsDone, created, changed, unchanged, errorCount });
