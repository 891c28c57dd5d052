import type { Readable } from 'node:stream';
import { actingUserId, isAdministrator, type Scope } from '../db/scope.js';
import { ForbiddenError, NotFoundError } from '../lib/errors.js';
import type { ImportKind, RowProblem } from '../lib/import-rows.js';
import type { Page } from '../lib/pagination.js';
import type { FileStores } from '../lib/storage/index.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { runImport, type BadRow, type ImportExample, type ImportOutcome, type ImportProgress, type ImportSource } from './import-run.js';
import { enqueueTenantJob } from './job.js';
import { nameFromColumns } from './user.js';

/**
 * The imports of a tenant (M7): each file an admin uploads (or the CLI reads) is a row of `imports`
 * that a job works through (import-run.ts), with its progress, counts and first bad rows, and an
 * audit entry when it ends, naming who started it.
 */
export type ImportStatus = 'queued' | 'checking' | 'writing' | 'done' | 'refused' | 'failed';
export type DataImport = {
  id: number;
  kind: ImportKind;
  isDryRun: boolean;
  status: ImportStatus;
  fileName: string;
  fileSize: number;
  startedBy: number | null;
  startedByName: string | null;
  rowsTotal: number | null;
  rowsDone: number;
  errorCount: number;
  created: number;
  changed: number;
  unchanged: number;
  badRows: BadRow[];
  examples: { created: ImportExample[]; changed: ImportExample[] };
  failure: RowProblem | null;
  createdAt: string;
  finishedAt: string | null;
};

export const isImportRunning = (status: ImportStatus) => status === 'queued' || status === 'checking' || status === 'writing';

const json = <Value>(text: unknown, empty: Value): Value => (typeof text === 'string' && text !== '' ? (JSON.parse(text) as Value) : empty);

function toDataImport(row: Record<string, unknown>): DataImport {
  return {
    id: Number(row.id),
    kind: row.kind as ImportKind,
    isDryRun: Boolean(row.is_dry_run),
    status: row.status as ImportStatus,
    fileName: String(row.file_name),
    fileSize: Number(row.file_size),
    startedBy: row.started_by === null ? null : Number(row.started_by),
    startedByName: nameFromColumns(row.first_name, row.last_name) || (row.login ? String(row.login) : null),
    rowsTotal: row.rows_total === null ? null : Number(row.rows_total),
    rowsDone: Number(row.rows_done),
    errorCount: Number(row.error_count),
    created: Number(row.created_count),
    changed: Number(row.changed_count),
    unchanged: Number(row.unchanged_count),
    badRows: json(row.error_lines, []),
    examples: json(row.examples, { created: [], changed: [] }),
    failure: json(row.failure, null),
    createdAt: String(row.created_at),
    finishedAt: row.finished_at === null ? null : String(row.finished_at),
  };
}

const withStarter = (scope: Scope) =>
  scope
    .table('imports')
    .leftJoin('users', (join) => join.on('users.id', 'imports.started_by').andOn('users.tenant_id', 'imports.tenant_id'))
    .select('imports.*', 'users.first_name', 'users.last_name', 'users.login');

/** Only admins (and the CLI, as system work) import. */
function mayImport(scope: Scope): boolean {
  return scope.actor.kind === 'system' || isAdministrator(scope.actor);
}

/** @throws NotFoundError for another tenant's import, or for anyone but admins */
export async function findImport(scope: Scope, id: number): Promise<DataImport> {
  const row = mayImport(scope) ? await withStarter(scope).where('imports.id', id).first() : undefined;
  if (!row) throw new NotFoundError(`import ${id} not found`);
  return toDataImport(row);
}

/** A page of the tenant's imports, the latest first. */
export async function listImports(scope: Scope, page: Page): Promise<{ imports: DataImport[]; total: number }> {
  if (!mayImport(scope)) throw new ForbiddenError('may not see imports');
  const [counted] = await scope.table('imports').count({ total: '*' });
  const rows: Array<Record<string, unknown>> = await withStarter(scope).orderBy('imports.id', 'desc').limit(page.perPage).offset(page.offset);
  return { imports: rows.map(toDataImport), total: Number(counted?.total ?? 0) };
}

export type NewImport = { kind: ImportKind; isDryRun: boolean; fileName: string; fileSize: number };

/**
 * Takes an uploaded file for import: keeps it in the file store and queues the job that reads it,
 * in one transaction (a job never waits for a file that is not there).
 * @returns the import's id
 * @throws ForbiddenError for anyone but admins
 */
export async function startImport(scope: Scope, stores: FileStores, input: NewImport, content: Readable | Buffer): Promise<number> {
  if (!mayImport(scope)) throw new ForbiddenError('may not import');
  return scope.transaction(async (trx) => {
    const store = stores.forNewFiles;
    const key = await store.put(trx, content);
    const id = await insertImport(trx, input, { store: store.name, store_key: key });
    await enqueueTenantJob(trx, { kind: 'import.run', payload: { importId: id }, runAt: trx.now() });
    return id;
  });
}

async function insertImport(scope: Scope, input: NewImport, file: { store: string | null; store_key: string | null }): Promise<number> {
  return scope.insert('imports', {
    kind: input.kind,
    is_dry_run: input.isDryRun,
    status: 'queued',
    file_name: input.fileName.slice(0, 255),
    file_size: input.fileSize,
    ...file,
    started_by: actingUserId(scope.actor),
    created_at: toDatabaseTime(scope.now()),
  });
}

/** The row of an import the CLI runs at once from a file on disk (nothing kept in the store). */
export async function recordCommandLineImport(scope: Scope, input: NewImport): Promise<number> {
  if (!mayImport(scope)) throw new ForbiddenError('may not import');
  return insertImport(scope, input, { store: null, store_key: null });
}

/** Where the job finds the import's file. */
export async function importFile(scope: Scope, id: number): Promise<{ kind: ImportKind; isDryRun: boolean; store: string | null; key: string | null; status: ImportStatus }> {
  const row = await scope.table('imports').where('id', id).first('kind', 'is_dry_run', 'store', 'store_key', 'status');
  if (!row) throw new NotFoundError(`import ${id} not found`);
  return { kind: row.kind as ImportKind, isDryRun: Boolean(row.is_dry_run), store: row.store ?? null, key: row.store_key ?? null, status: row.status as ImportStatus };
}

/**
 * Runs a recorded import over its file: progress is written to its row as each chunk is done (on
 * SQLite not while writing: its one connection is the import's transaction), and the outcome and
 * an audit entry (`import.*`, with the counts and who started it) when it ends.
 */
export async function performImport(scope: Scope, id: number, source: ImportSource, onProgress?: (progress: ImportProgress) => Promise<void> | void): Promise<ImportOutcome> {
  const { kind, isDryRun } = await importFile(scope, id);
  try {
    const outcome = await runImport(scope, kind, source, {
      isDryRun,
      onProgress: async (progress) => {
        if (progress.phase === 'checking' || scope.isMysql) await saveProgress(scope, id, progress);
        await onProgress?.(progress);
      },
    });
    await finishImport(scope, id, outcome, isDryRun);
    return outcome;
  } catch (error) {
    // Nothing was written (the transaction rolled back); the import's page stops waiting.
    await failImport(scope, id, error instanceof Error ? error.message : String(error)).catch(() => undefined);
    throw error;
  }
}

async function saveProgress(scope: Scope, id: number, progress: ImportProgress): Promise<void> {
  await scope.table('imports').where('id', id).update({ status: progress.phase, rows_total: progress.rowsTotal, rows_done: progress.rowsDone, error_count: progress.errorCount });
}

async function finishImport(scope: Scope, id: number, outcome: ImportOutcome, isDryRun: boolean): Promise<void> {
  await scope.transaction(async (trx) => {
    const row = await trx.table('imports').where('id', id).first('kind', 'started_by');
    await trx.table('imports').where('id', id).update({
      status: outcome.status,
      rows_total: outcome.rowsTotal,
      rows_done: outcome.rowsDone,
      error_count: outcome.errorCount,
      created_count: outcome.created,
      changed_count: outcome.changed,
      unchanged_count: outcome.unchanged,
      error_lines: JSON.stringify(outcome.badRows),
      examples: JSON.stringify(outcome.examples),
      failure: outcome.failure ? JSON.stringify(outcome.failure) : null,
      finished_at: toDatabaseTime(trx.now()),
    });
    const auditAction = isDryRun ? 'import.checked' : outcome.status === 'done' ? 'import.completed' : 'import.refused';
    const details = { kind: row.kind, rows: outcome.rowsTotal, created: outcome.created, changed: outcome.changed, unchanged: outcome.unchanged, errors: outcome.errorCount };
    await logEvent(trx, { action: auditAction, actorId: row.started_by === null ? null : Number(row.started_by), subjectType: 'import', subjectId: id, details });
  });
}

/** A job that broke (the store lost the file): the import is failed with the reason, so its page stops waiting. */
export async function failImport(scope: Scope, id: number, reason: string): Promise<void> {
  await scope.table('imports').where('id', id).whereIn('status', ['queued', 'checking', 'writing']).update({ status: 'failed', failure: JSON.stringify({ key: 'imports:file.broken', values: { reason: reason.slice(0, 300) } }), finished_at: toDatabaseTime(scope.now()) });
}

/** Forgets the stored file once the import has read it for the last time. */
export async function forgetImportFile(scope: Scope, id: number): Promise<void> {
  await scope.table('imports').where('id', id).update({ store: null, store_key: null });
}
