import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { openSystemWork } from '../db/installation.js';
import { createDatabase } from '../db/knex.js';
import { migrateToLatest } from '../db/migrations.js';
import { createI18n } from '../lib/i18n.js';
import { importKinds, type ImportKind } from '../lib/import-rows.js';
import { localesDirectory } from '../lib/paths.js';
import { systemClock } from '../lib/time.js';
import { performImport, recordCommandLineImport } from '../models/data-import.js';
import type { ImportOutcome, ImportProgress } from '../models/import-run.js';
import { findAnyTenantBySlug } from '../models/tenant.js';

/**
 * `import --tenant SLUG --kind customers|invoices|payments FILE [--dry-run]`: the same import as the
 * admin's page (M7), run at once from a file on disk, its progress printed as it goes, its bad rows
 * in the tenant's language, and listed among the tenant's imports.
 * @returns 0 when the file imported (or, dry, would import) without a bad row; 1 when rows were bad or the file unreadable; 2 for bad usage or an unknown tenant
 */
export async function importCommand(args: string[], settings: Config, usage: string): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { tenant: { type: 'string' }, kind: { type: 'string' }, 'dry-run': { type: 'boolean' } } });
  const kind = values.kind as ImportKind | undefined;
  const [file] = positionals;
  if (!values.tenant || !kind || !importKinds.includes(kind) || !file || positionals.length > 1) {
    console.error(`import needs --tenant, --kind (${importKinds.join(', ')}) and one file\n\n${usage}`);
    return 2;
  }
  const size = await stat(file).then((found) => found.size, () => null);
  if (size === null) {
    console.error(`Cannot read the file ${file}.`);
    return 2;
  }
  const db = createDatabase({ databaseUrl: settings.databaseUrl, sqliteFile: settings.sqliteFile });
  try {
    await migrateToLatest(db);
    const system = openSystemWork(db, systemClock, 'cli import');
    const tenant = await findAnyTenantBySlug(system, values.tenant);
    if (!tenant) {
      console.error(`No tenant with the slug "${values.tenant}".`);
      return 2;
    }
    const scope = system.scopeFor(tenant.id);
    const isDryRun = values['dry-run'] === true;
    const id = await recordCommandLineImport(scope, { kind, isDryRun, fileName: path.basename(file), fileSize: size });
    const outcome = await performImport(scope, id, async () => createReadStream(file), printProgress);
    printOutcome(outcome, isDryRun, createI18n(localesDirectory).getFixedT(tenant.defaultLocale));
    return outcome.status === 'done' ? 0 : 1;
  } finally {
    await db.destroy();
  }
}

function printProgress(progress: ImportProgress): void {
  console.log(`${progress.phase}: ${progress.rowsDone} of ${progress.rowsTotal} rows, ${progress.errorCount} bad`);
}

function printOutcome(outcome: ImportOutcome, isDryRun: boolean, t: (key: string, values?: Record<string, unknown>) => string): void {
  for (const bad of outcome.badRows) console.log(`line ${bad.line}: ${bad.problems.map((problem) => t(problem.key, problem.values)).join('; ')}`);
  if (outcome.errorCount > outcome.badRows.length) console.log(`… and ${outcome.errorCount - outcome.badRows.length} more bad rows`);
  if (outcome.failure) console.log(`The file cannot be imported: ${t(outcome.failure.key, outcome.failure.values)}`);
  const counts = `${outcome.rowsTotal} rows: ${outcome.created} new, ${outcome.changed} changed, ${outcome.unchanged} unchanged, ${outcome.errorCount} bad`;
  const verdict = outcome.status === 'done' ? (isDryRun ? 'Dry run: the file would import' : 'Imported') : outcome.status === 'refused' ? 'Refused: nothing was written' : 'Failed: nothing was written';
  console.log(`${verdict}. ${counts}.`);
}
