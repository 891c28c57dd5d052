import { parseArgs } from 'node:util';

/** What one `npm run bench` is asked to do (arguments first, then BENCH_* variables, then defaults). */
export type BenchOptions = {
  isQuick: boolean;
  /** Of the full seed: 1 is 100,000 customers. */
  scale: number;
  /** mysql://… or undefined for SQLite. */
  databaseUrl: string | undefined;
  seconds: number;
  connections: number;
  rounds: number;
  bcryptCost: number;
  /** Also the same pages at --scale 0.1 (item 4's growth check). */
  isGrowthChecked: boolean;
  /** The app's processes (WEB_CONCURRENCY); item 4's targets are for 1. */
  workers: number;
  /** Also 1 against 2 workers, or 1 against `workers` when more (item 7). */
  isWorkersCompared: boolean;
  /** The rows of the import's file (invoices). */
  importRows: number;
  /** Where the table goes: docs/benchmarks.md's section of this run kind, or a file of its own. */
  outFile: string | undefined;
  /** Where SQLite's database of this scale lives between runs. */
  dataDirectory: string | undefined;
  /** Only the pages whose names hold one of these words (--pages dashboard,search), and nothing after them. */
  pageWords: string[] | undefined;
};

export const usage = `npm run bench -- [--quick] [--scale S] [--database mysql://…] [--seconds N] [--connections N]
  [--rounds N] [--bcrypt-cost N] [--import-rows N] [--growth] [--workers N] [--no-workers] [--out FILE] [--data-dir DIR]
  [--pages WORD,WORD] (only those pages, no one-off measures; the table is written only with --out)`;

/** Reads the command line and the environment once. */
export function benchOptions(args: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean' },
      scale: { type: 'string' },
      database: { type: 'string' },
      seconds: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      'bcrypt-cost': { type: 'string' },
      'import-rows': { type: 'string' },
      growth: { type: 'boolean' },
      workers: { type: 'string' },
      'no-workers': { type: 'boolean' },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
      pages: { type: 'string' },
    },
  });
  const isQuick = values.quick === true;
  const number = (value: string | undefined, fallback: number) => (value === undefined || value === '' ? fallback : Number(value));
  const options: BenchOptions = {
    isQuick,
    scale: number(values.scale ?? env.BENCH_SCALE, isQuick ? 0.002 : 1),
    databaseUrl: values.database ?? (env.BENCH_DATABASE_URL || undefined),
    seconds: number(values.seconds ?? env.BENCH_SECONDS, isQuick ? 1 : 10),
    connections: number(values.connections ?? env.BENCH_CONCURRENCY, isQuick ? 4 : 50),
    rounds: number(values.rounds, isQuick ? 1 : 3),
    // The quick run checks the harness, not bcrypt: the cheapest cost; a real run the app's default.
    bcryptCost: number(values['bcrypt-cost'] ?? env.BCRYPT_COST, isQuick ? 4 : 12),
    importRows: number(values['import-rows'], isQuick ? 500 : 100_000),
    isGrowthChecked: values.growth === true,
    workers: number(values.workers ?? env.WEB_CONCURRENCY, 1),
    isWorkersCompared: values['no-workers'] !== true,
    outFile: values.out,
    dataDirectory: values['data-dir'],
    pageWords: values.pages === undefined ? undefined : values.pages.split(',').map((word) => word.trim().toLowerCase()).filter(Boolean),
  };
  for (const key of ['scale', 'seconds', 'connections', 'rounds', 'bcryptCost', 'workers', 'importRows'] as const) {
    if (!(options[key] > 0)) throw new Error(`bench: --${key} must be a positive number\n${usage}`);
  }
  if (options.pageWords?.length === 0) throw new Error(`bench: --pages needs at least one word\n${usage}`);
  return options;
}
