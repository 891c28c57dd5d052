import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { projectRoot } from '../src/lib/paths.js';
import type { Measured } from './load.js';
import type { ExportMeasure, ImportMeasure, WeightMeasure } from './one-shots.js';
import { against, limits, targetOf, verdictOf, type PageRow } from './targets.js';

export type SignInMeasure = { bcryptCost: number; bcryptRate: number; signIns: Measured; dashboardAlone: Measured; dashboardDuringBurst: Measured };
export type WorkersMeasure = { one: Measured; two: Measured };
export type GrowthRow = { name: string; small: PageRow; full: PageRow };

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
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}, ${databaseVersion}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit}`;
}

/** The report as Markdown: the page table first, then each further measure that ran. */
export function renderReport(report: BenchReport): string {
  const lines = [`## ${report.heading}`, '', report.setup, '', '| scenario | requests | req/s | p50 ms | p99 ms | non-2xx | of ceiling | target | verdict |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |'];
  for (const row of report.pages) {
    lines.push(`| ${row.name} | ${row.measured.requests} | ${whole(row.measured.rate)} | ${ms(row.measured.p50)} | ${ms(row.measured.p99)} | ${row.measured.unexpected} | ${percent(row.share)} | ${targetOf(row.kind)} | ${verdictOf(row)} |`);
  }
  if (report.signIn) lines.push('', ...signInLines(report.signIn));
  if (report.exported) lines.push('', ...exportLines(report.exported));
  if (report.imported) lines.push('', ...importLines(report.imported));
  if (report.weight) lines.push('', ...weightLines(report.weight));
  if (report.workers) {
    const { one, two } = report.workers;
    lines.push('', `**1 against 2 workers** (WEB_CONCURRENCY, client dashboard): 1 worker ${whole(one.rate)} req/s (p99 ${ms(one.p99)} ms), 2 workers ${whole(two.rate)} req/s (p99 ${ms(two.p99)} ms): ${(two.rate / one.rate).toFixed(2)}×; non-2xx ${one.unexpected} and ${two.unexpected}.`);
  }
  if (report.growth) lines.push('', ...growthLines(report.growth));
  return `${lines.join('\n')}\n`;
}

function signInLines(signIn: SignInMeasure): string[] {
  const share = signIn.signIns.rate / signIn.bcryptRate;
  return [
    `**Sign-in** (bcrypt cost ${signIn.bcryptCost}): ${whole(signIn.signIns.rate)} sign-ins/s (p99 of both requests ${ms(signIn.signIns.p99)} ms, non-2xx ${signIn.signIns.unexpected}) against bcrypt's own ${signIn.bcryptRate.toFixed(1)} compares/s at the same cost and concurrency in this process: ${percent(share)} (target ≥ ${percent(limits.signInOfBcrypt)}: ${against(share, limits.signInOfBcrypt, '', false)}).`,
    `Client dashboard p99 alone ${ms(signIn.dashboardAlone.p99)} ms (${whole(signIn.dashboardAlone.rate)} req/s), during the sign-in burst ${ms(signIn.dashboardDuringBurst.p99)} ms (${whole(signIn.dashboardDuringBurst.rate)} req/s, non-2xx ${signIn.dashboardDuringBurst.unexpected}).`,
  ];
}

function exportLines(exported: ExportMeasure): string[] {
  return [
    `**CSV export of the customers** (HTTP ${exported.status}): ${exported.rows} rows in ${exported.seconds.toFixed(2)} s, ${whole(exported.rowsPerSecond)} rows/s (target ≥ ${limits.exportRowsPerSecond}: ${against(exported.rowsPerSecond, limits.exportRowsPerSecond, ' rows/s', false)}); the app's RSS ${exported.idleMegabytes.toFixed(0)} MB idle, peak ${exported.peakGrowthMegabytes.toFixed(1)} MB over it (target ≤ ${limits.exportGrowthMegabytes} MB: ${against(exported.peakGrowthMegabytes, limits.exportGrowthMegabytes, ' MB', true)}).`,
  ];
}

function importLines(imported: ImportMeasure): string[] {
  const part = (name: string, run: ImportMeasure['commit']) =>
    `${name} ${run.seconds ?? '?'} s, peak RSS ${run.peakKilobytes ? (run.peakKilobytes / 1024).toFixed(0) : '?'} MB (${run.verdict})`;
  const verdict = imported.commit.seconds === null ? 'not measured' : against(imported.commit.seconds, limits.importSeconds, ' s', true);
  return [`**CSV import of ${imported.rows} invoices** (CLI, a new process each): ${part('dry run', imported.dryRun)}; ${part('commit', imported.commit)}; target ≤ ${limits.importSeconds} s for the commit: ${verdict}.`];
}

function weightLines(weight: WeightMeasure): string[] {
  const uncached = weight.assets.filter((asset) => !/max-age=(\d{7,}|[3-9]\d{6})|immutable/.test(asset.cacheControl));
  const unhashed = weight.assets.filter((asset) => !asset.isHashed);
  return [
    `**Page weight** (gzip level 6): the client dashboard's HTML ${kilobytes(weight.htmlGzipBytes)} (target ≤ ${limits.dashboardHtmlKilobytes} KB: ${against(weight.htmlGzipBytes / 1024, limits.dashboardHtmlKilobytes, ' KB', true)}); its ${weight.assets.length} stylesheets and scripts ${kilobytes(weight.assetsGzipBytes)} (target ≤ ${limits.assetsKilobytes} KB: ${against(weight.assetsGzipBytes / 1024, limits.assetsKilobytes, ' KB', true)}).`,
    `Long-lived cache headers: ${uncached.length ? `missing on ${uncached.map((asset) => `${asset.url} ("${asset.cacheControl}")`).join(', ')}` : 'all'}; content-hashed names: ${unhashed.length ? `not ${unhashed.map((asset) => asset.url).join(', ')}` : 'all'}; other origins: ${weight.foreignOrigins.join(', ') || 'none'}.`,
  ];
}

function growthLines(growth: NonNullable<BenchReport['growth']>): string[] {
  const lines = [`**Growth** (the same pages at scale ${growth.smallScale} and at this run's scale, each beside its own ceiling; target: within ${percent(limits.growth)}):`, '', '| page | req/s small | req/s full | change | share of ceiling small → full | verdict |', '| --- | ---: | ---: | ---: | --- | --- |'];
  for (const row of growth.rows) {
    const change = row.full.measured.rate / row.small.measured.rate - 1;
    lines.push(`| ${row.name} | ${whole(row.small.measured.rate)} | ${whole(row.full.measured.rate)} | ${(change * 100).toFixed(1)} % | ${percent(row.small.share)} → ${percent(row.full.share)} | ${change >= -limits.growth ? 'met' : `missed by ${((-change - limits.growth) * 100).toFixed(1)} points`} |`);
  }
  return lines;
}

/**
 * Writes the report: to `file` when given, else into docs/benchmarks.md, replacing the section of
 * the same run kind (between its markers) or adding it at the end; earlier sections stay.
 */
export function writeReport(report: BenchReport, file: string | undefined): string {
  const text = renderReport(report);
  const target = file ?? `${projectRoot}/docs/benchmarks.md`;
  if (file) {
    writeFileSync(target, text);
    return target;
  }
  const start = `<!-- bench:${report.kind} -->`;
  const end = `<!-- /bench:${report.kind} -->`;
  const section = `${start}\n${text}${end}\n`;
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '# Benchmarks\n';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next = from >= 0 && to > from ? current.slice(0, from) + section + current.slice(to + end.length + 1) : `${current.trimEnd()}\n\n${section}`;
  writeFileSync(target, next);
  return target;
}
