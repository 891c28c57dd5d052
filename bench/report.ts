import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { projectRoot } from '../src/lib/paths.js';
import type { Measured } from './load.js';
import type { ExportMeasure, ImportMeasure, WeightMeasure } from './one-shots.js';
import { against, limits, targetOf, verdictOf, type PageRow } from './targets.js';

export type SignInMeasure = { bcryptCost: number; bcryptRate: number; signIns: Measured; dashboardAlone: Measured; dashboardDuringBurst: Measured };
export type WorkersMeasure = { one: Measured; many: Measured; manyCount: number };
export type GrowthRow = { name: string; small: Measured; full: Measured };

/** Everything one run measured, and how it was run. */
export type BenchReport = {
  kind: string;
  heading: string;
  setup: string;
  pages: PageRow[];
  signIn?: SignInMeasure;
  exported?: ExportMeasure;
  imported?: ImportMeasure;
  weight?: WeightMeasure;
  workers?: WorkersMeasure;
  growth?: { smallScale: number; rows: GrowthRow[] };
};

const whole = (value: number) => value.toFixed(0);
const ms = (value: number) => value.toFixed(1);
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
/** A ratio of two measures, or "n/a" when the second measured nothing. */
const times = (value: number, of: number) => (of > 0 ? `${(value / of).toFixed(2)}×` : 'n/a');

/** The machine and software the numbers belong to. */
export function machineLine(databaseVersion: string): string {
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  // The load average says whether other work shared the machine: the ratios hold up to some, the absolute rates do not.
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}, ${databaseVersion}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit}, load average ${os.loadavg()[0]!.toFixed(1)} after the pages`;
}

/** A row of the table: a measured load, its share of the ceiling, its target and verdict. */
type TableRow = { name: string; measured: Measured; share: number; target: string; verdict: string };

/** The report as Markdown: one table of every load (pages, sign-in, workers), then the one-off measures, the weight and the growth. */
export function renderReport(report: BenchReport): string {
  const lines = [`## ${report.heading}`, '', report.setup, '', '| scenario | requests | req/s | p50 ms | p99 ms | non-2xx | of ceiling | target | verdict |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |'];
  for (const row of tableRows(report)) {
    lines.push(`| ${row.name} | ${row.measured.requests} | ${whole(row.measured.rate)} | ${ms(row.measured.p50)} | ${ms(row.measured.p99)} | ${row.measured.unexpected} | ${percent(row.share)} | ${row.target} | ${row.verdict} |`);
  }
  const oneOffs = [...(report.exported ? exportLines(report.exported) : []), ...(report.imported ? importLines(report.imported) : []), ...(report.weight ? weightLines(report.weight) : [])];
  if (oneOffs.length) lines.push('', '| measure | value | target | verdict |', '| --- | --- | --- | --- |', ...oneOffs);
  if (report.weight) lines.push('', weightNote(report.weight));
  if (report.growth) lines.push('', ...growthLines(report.growth));
  return `${lines.join('\n')}\n`;
}

function tableRows(report: BenchReport): TableRow[] {
  const ceilingRate = report.pages.find((row) => row.kind === 'ceiling')?.measured.rate ?? 0;
  const rows: TableRow[] = report.pages.map((row) => ({ name: row.name, measured: row.measured, share: row.share, target: targetOf(row.kind), verdict: verdictOf(row) }));
  const extra = (name: string, measured: Measured, target = '', verdict = '') =>
    rows.push({ name, measured, share: ceilingRate > 0 ? measured.rate / ceilingRate : 0, target, verdict: measured.unexpected > 0 ? `${verdict ? `${verdict}; ` : ''}${measured.unexpected} non-2xx` : verdict });
  if (report.signIn) {
    const { signIn } = report;
    const share = signIn.signIns.rate / signIn.bcryptRate;
    extra(`sign-in POST, bcrypt cost ${signIn.bcryptCost} (req/s: sign-ins)`, signIn.signIns, `≥ ${percent(limits.signInOfBcrypt)} of bcrypt's ${signIn.bcryptRate.toFixed(1)}/s`, `${percent(share)} of bcrypt: ${against(share * 100, limits.signInOfBcrypt * 100, ' points', false)}`);
    extra('client dashboard, a fifth of the connections', signIn.dashboardAlone);
    extra('the same during a sign-in burst', signIn.dashboardDuringBurst, 'p99 as alone', `p99 ${times(signIn.dashboardDuringBurst.p99, signIn.dashboardAlone.p99)} alone`);
  }
  if (report.workers) {
    const { one, many, manyCount } = report.workers;
    extra('client dashboard, 1 worker', one);
    extra(`client dashboard, ${manyCount} workers (WEB_CONCURRENCY=${manyCount})`, many, 'more than 1 worker', `${times(many.rate, one.rate)} 1 worker`);
  }
  return rows;
}

function exportLines(exported: ExportMeasure): string[] {
  return [
    `| CSV export of the customers (HTTP ${exported.status}), the median of ${exported.runs.length} reads: rows/s | ${exported.rows} rows in ${exported.seconds.toFixed(2)} s: ${whole(exported.rowsPerSecond)} rows/s (runs: ${exported.runs.map(whole).join(', ')}) | ≥ ${limits.exportRowsPerSecond} rows/s | ${against(exported.rowsPerSecond, limits.exportRowsPerSecond, ' rows/s', false)} |`,
    `| CSV export: the app's peak RSS over idle (the largest of the reads) | ${exported.peakGrowthMegabytes.toFixed(1)} MB over ${exported.idleMegabytes.toFixed(0)} MB | ≤ ${limits.exportGrowthMegabytes} MB | ${against(exported.peakGrowthMegabytes, limits.exportGrowthMegabytes, ' MB', true)} |`,
  ];
}

function importLines(imported: ImportMeasure): string[] {
  const line = (name: string, run: ImportMeasure['commit'], hasTarget: boolean) => {
    const verdict = !hasTarget ? '' : run.seconds === null ? 'not measured' : against(run.seconds, limits.importSeconds, ' s', true);
    return `| CSV import of ${imported.rows} invoices, ${name} (CLI) | ${run.seconds ?? '?'} s, peak RSS ${run.peakKilobytes ? (run.peakKilobytes / 1024).toFixed(0) : '?'} MB: ${run.verdict} | ${hasTarget ? `≤ ${limits.importSeconds} s` : ''} | ${verdict} |`;
  };
  return [line('dry run', imported.dryRun, false), line('commit', imported.commit, true)];
}

function weightLines(weight: WeightMeasure): string[] {
  return [
    `| client dashboard's HTML, gzip | ${kilobytes(weight.htmlGzipBytes)} | ≤ ${limits.dashboardHtmlKilobytes} KB | ${against(weight.htmlGzipBytes / 1024, limits.dashboardHtmlKilobytes, ' KB', true)} |`,
    `| its ${weight.assets.length} stylesheets and scripts, gzip | ${kilobytes(weight.assetsGzipBytes)} | ≤ ${limits.assetsKilobytes} KB | ${against(weight.assetsGzipBytes / 1024, limits.assetsKilobytes, ' KB', true)} |`,
  ];
}

/** Whether the assets are cached long (30 days or more, or immutable), named by their content, and all from the app's own origin. */
function weightNote(weight: WeightMeasure): string {
  const isLongLived = (header: string) => /immutable/.test(header) || Number(/max-age=(\d+)/.exec(header)?.[1] ?? 0) >= 30 * 86_400;
  const uncached = weight.assets.filter((asset) => !isLongLived(asset.cacheControl));
  const unhashed = weight.assets.filter((asset) => !asset.isHashed);
  return `Assets with long-lived cache headers: ${uncached.length ? `not ${uncached.map((asset) => `${asset.url} ("${asset.cacheControl}")`).join(', ')}` : 'all'}; content-hashed names: ${unhashed.length ? `not ${unhashed.map((asset) => asset.url).join(', ')}` : 'all'}; requests to other origins: ${weight.foreignOrigins.join(', ') || 'none'}.`;
}

function growthLines(growth: NonNullable<BenchReport['growth']>): string[] {
  const lines = [
    `**Growth** (item 4: each page at scale ${growth.smallScale} and at this run's scale, one right after the other in each round, which goes first alternating; the median of the rounds; target: req/s at full scale within ${percent(limits.growth)} of scale ${growth.smallScale}'s).`,
    '',
    '| page | req/s small | req/s full | change | verdict |',
    '| --- | ---: | ---: | ---: | --- |',
  ];
  for (const row of growth.rows) {
    const change = row.full.rate / row.small.rate - 1;
    const verdict = change >= -limits.growth ? 'met' : `missed by ${((-change - limits.growth) * 100).toFixed(1)} points`;
    lines.push(`| ${row.name} | ${whole(row.small.rate)} | ${whole(row.full.rate)} | ${(change * 100).toFixed(1)} % | ${verdict} |`);
  }
  return lines;
}

/** Writes the report: to `file` when given, else into its section of docs/benchmarks.md (withSection). */
export function writeReport(report: BenchReport, file: string | undefined): string {
  const target = file ?? `${projectRoot}/docs/benchmarks.md`;
  const text = renderReport(report);
  writeFileSync(target, file ? text : withSection(existsSync(target) ? readFileSync(target, 'utf8') : '# Benchmarks\n', report.kind, text));
  return target;
}

/**
 * The document with `text` as the section of the run kind `kind`: in place of the section between its
 * markers, or new below the results marker (else at the end). Every other section stays as it was.
 */
export function withSection(document: string, kind: string, text: string): string {
  const start = `<!-- bench:${kind} -->`;
  const end = `<!-- /bench:${kind} -->`;
  const section = `${start}\n${text}${end}\n`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from >= 0 && to > from) return document.slice(0, from) + section + document.slice(to + end.length + 1);
  const results = document.indexOf('<!-- bench:results');
  if (results < 0) return `${document.trimEnd()}\n\n${section}`;
  const afterResults = document.indexOf('\n', results) + 1;
  return `${document.slice(0, afterResults)}\n${section}${document.slice(afterResults)}`;
}
