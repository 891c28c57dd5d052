import { rmSync } from 'node:fs';
import { benchOptions, type BenchOptions } from './options.js';
import { findTargets, largePassword, prepareDatabase, type Targets } from './dataset.js';
import { measureExport, measureImport, measureWeight } from './one-shots.js';
import { measurePages, measurePairs, measureSignIn, measureWorkers, warmUp, type Load } from './phases.js';
import { startAll, startApp, startCeiling, type DatabaseAt, type Started } from './processes.js';
import { machineLine, renderReport, writeReport, type BenchReport } from './report.js';
import { pageScenarios, type Sessions } from './scenarios.js';
import { signInAll } from './sessions.js';
import type { PageRow } from './targets.js';
import type { Scenario } from './load.js';

/**
 * `npm run bench`: the measure of the product (issue 20). The real app (src/server.ts, production)
 * on the large seed, beside the ceiling (bench/ceiling.ts) on the same database; sessions signed in
 * through the form; autocannon loads every page of item 3 in interleaved rounds with the ceiling; then
 * with --growth each page at scale 0.1 and at full scale one right after the other (both apps running),
 * then the sign-in against bcrypt, the CSV export and
 * import, the page weight and 1 against 2 workers. The table goes to docs/benchmarks.md (or --out FILE).
 */
const options = benchOptions(process.argv.slice(2), process.env);
const load: Load = { connections: options.connections, seconds: options.seconds, rounds: options.rounds };
const startedAt = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1)} s] ${line}`);

type Running = { database: DatabaseAt & { isTemporary: boolean }; targets: Targets; app: Started; ceiling: Started; sessions: Sessions; scenarios: Scenario[] };
type AtScale = Running & { pages: PageRow[] };

/** Seeds (when absent), starts the app and the ceiling, signs in and warms up at one scale; leaves both running. */
async function startAtScale(scale: number, isSecondScale: boolean): Promise<Running> {
  const database = await prepareDatabase({ ...options, scale, isSecondScale });
  const targets = await findTargets(database, options.isQuick ? 20 : 200);
  if (targets.bcryptCost !== options.bcryptCost) log(`the seeded passwords have bcrypt cost ${targets.bcryptCost} (not ${options.bcryptCost}): the app is configured with ${targets.bcryptCost}, as a rehash on sign-in would measure two hashes`);
  const [app, ceiling] = (await startAll([startApp(database, { workers: options.workers, bcryptCost: targets.bcryptCost }), startCeiling(database)])) as [Started, Started];
  try {
    const sessions = await signInPool(app, targets, options);
    const scenarios = pageScenarios(targets, sessions).filter(({ name }) => !options.pageWords || options.pageWords.some((word) => name.toLowerCase().includes(word)));
    if (scenarios.length === 0) throw new Error(`bench: no page's name holds ${options.pageWords!.join(' or ')}`);
    await warmUp(app, ceiling, scenarios);
    return { database, targets, app, ceiling, sessions, scenarios };
  } catch (error) {
    await Promise.all([app.stop(), ceiling.stop()]);
    throw error;
  }
}

/** startAtScale, then the pages measured in rounds beside the ceiling. */
async function pagesAtScale(scale: number): Promise<AtScale> {
  const started = await startAtScale(scale, false);
  try {
    log(`measuring ${started.scenarios.length} pages at scale ${scale} (${started.targets.customerCount} customers), ${load.rounds} round(s) of ${load.seconds} s, ${load.connections} connections`);
    const pages = await measurePages(started.app, started.ceiling, started.scenarios, load, (line) => log(`  ${line}`));
    return { ...started, pages };
  } catch (error) {
    await stopAtScale(started);
    throw error;
  }
}

async function signInPool(app: Started, targets: Targets, settings: BenchOptions): Promise<Sessions> {
  const size = settings.isQuick ? { clients: 6, caretakers: 3, admins: 2 } : { clients: 32, caretakers: 8, admins: 4 };
  // Caretakers with a ticket of 20 messages first: the ticket page needs their sessions.
  const caretakerLogins = [...new Set([...targets.longTickets.map((ticket) => ticket.login), ...targets.caretakerLogins])].slice(0, size.caretakers);
  const [clients, caretakerCookies, admins] = [
    await signInAll(app.port, targets.slug, targets.clientLogins.slice(0, size.clients), largePassword),
    await signInAll(app.port, targets.slug, caretakerLogins, largePassword),
    await signInAll(app.port, targets.slug, Array.from({ length: size.admins }, () => 'admin'), largePassword),
  ];
  return { clients, caretakers: new Map(caretakerLogins.map((login, index) => [login, caretakerCookies[index]!])), admins };
}

async function main(): Promise<void> {
  const full = await pagesAtScale(options.scale);
  const { targets, database } = full;
  const report: BenchReport = {
    kind: `${options.isQuick ? 'quick' : 'full'}-${database.databaseUrl ? 'mysql' : 'sqlite'}`,
    heading: `${new Date().toISOString().slice(0, 10)}: \`npm run bench${options.isQuick ? ' -- --quick' : ''}\`, ${targets.databaseVersion}, scale ${options.scale} (${targets.customerCount} customers)`,
    setup: `${machineLine(targets.databaseVersion)}. Production mode, ${options.workers === 1 ? 'one app process' : `${options.workers} app processes (WEB_CONCURRENCY)`}, ${load.connections} connections, ${load.rounds} interleaved round(s) of ${load.seconds} s per page (the median), autocannon in the bench's process on the same machine. "Of ceiling": req/s over the fortunes page's in the same rounds.`,
    pages: full.pages,
  };
  try {
    // The growth check comes right after the full scale's pages, before the import writes 100,000 rows:
    // the database's write-back of those slowed what followed unevenly, which is the machine's state, not
    // the data's size.
    if (options.isGrowthChecked) {
      const smallScale = 0.1;
      log(`the growth check: each page at scale ${smallScale} and at scale ${options.scale} one right after the other, ${load.rounds} round(s)`);
      const small = await startAtScale(smallScale, true);
      try {
        report.growth = { smallScale, rows: await measurePairs(full, small, load, (line) => log(`  ${line}`)) };
      } finally {
        await stopAtScale(small);
      }
    }
    // The sessions signed in before the growth phase may have been idle past their timeout: new ones.
    if (!options.pageWords) await measureTheRest(options.isGrowthChecked ? { ...full, sessions: await signInPool(full.app, targets, options) } : full, report);
  } finally {
    await stopAtScale(full);
  }
  console.log(`\n${renderReport(report)}`);
  // A run of some pages only would replace the full table of docs/benchmarks.md with a part of it.
  if (options.pageWords && !options.outFile) console.log('not written: --pages measures a part (give --out FILE to keep it)');
  else console.log(`written to ${writeReport(report, options.outFile)}`);
}

/** After the pages, on the same app: the sign-in, the export, the weight, the import and 1 worker against more. */
async function measureTheRest({ app, targets, sessions, database }: AtScale, report: BenchReport): Promise<void> {
  log('measuring the sign-in');
  report.signIn = await measureSignIn(app, largePassword, targets, pageScenarios(targets, sessions)[0]!, targets.bcryptCost, load);
  log('measuring the CSV export, the page weight and the import');
  report.exported = await measureExport(app, targets.slug, sessions.admins[0]!);
  report.weight = await measureWeight(app.port, targets.slug, sessions.clients[0]!);
  report.imported = await measureImport(database, targets.slug, targets.customerNumbers, options.importRows);
  if (options.isWorkersCompared) {
    log('measuring 1 worker against more');
    report.workers = await measureWorkers(app, options.workers, database, targets.bcryptCost, sessions.clients, targets.slug, load);
  }
}

async function stopAtScale({ app, ceiling, database }: Running): Promise<void> {
  await Promise.all([app.stop(), ceiling.stop()]);
  if (database.isTemporary) rmSync(database.dataDirectory, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
