import type { Measured, TargetKind } from './load.js';

/** One page of the table: the median of its rounds beside the ceiling's median of the same rounds. */
export type PageRow = { name: string; kind: TargetKind; measured: Measured; share: number };

/** Item 4's limits (ratios measured in one run, 50 connections, one process, no non-2xx). */
export const limits = {
  dashboard: { share: 0.35, p99: 200 },
  list: { share: 0.25, p99: 300 },
  pdfPerSecond: 50,
  signInOfBcrypt: 0.8,
  exportGrowthMegabytes: 50,
  exportRowsPerSecond: 50_000,
  importSeconds: 30,
  dashboardHtmlKilobytes: 30,
  assetsKilobytes: 60,
  growth: 0.2,
};

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

/** The target of a page's kind, in words. */
export function targetOf(kind: TargetKind): string {
  if (kind === 'dashboard') return `≥ ${percent(limits.dashboard.share)}, p99 ≤ ${limits.dashboard.p99} ms`;
  if (kind === 'list') return `≥ ${percent(limits.list.share)}, p99 ≤ ${limits.list.p99} ms`;
  if (kind === 'pdf') return `≥ ${limits.pdfPerSecond}/s`;
  return '';
}

/** Met, or missed and by how much (each part of the target that is missed). */
export function verdictOf(row: PageRow): string {
  const misses: string[] = [];
  const limit = row.kind === 'dashboard' ? limits.dashboard : row.kind === 'list' ? limits.list : undefined;
  if (limit && row.share < limit.share) misses.push(`${((limit.share - row.share) * 100).toFixed(1)} points short (${(row.share / limit.share).toFixed(2)}× the target)`);
  if (limit && row.measured.p99 > limit.p99) misses.push(`p99 ${(row.measured.p99 - limit.p99).toFixed(0)} ms over`);
  if (row.kind === 'pdf' && row.measured.rate < limits.pdfPerSecond) misses.push(`${(limits.pdfPerSecond - row.measured.rate).toFixed(0)}/s short`);
  if (row.measured.unexpected > 0 && row.kind !== 'ceiling') misses.push(`${row.measured.unexpected} non-2xx`);
  if (row.measured.requests === 0) misses.push(`no answer within the time (${row.measured.unfinished} requests unfinished)`);
  if (row.kind === 'ceiling' || row.kind === 'page') return misses.join('; ');
  return misses.length ? `missed: ${misses.join('; ')}` : 'met';
}

/** The verdict of a measure against a ceiling or floor, with the distance. */
export function against(value: number, limit: number, unit: string, isAtMost: boolean): string {
  const isMet = isAtMost ? value <= limit : value >= limit;
  if (isMet) return 'met';
  return `missed by ${Math.abs(value - limit).toFixed(unit === '' ? 2 : 1)}${unit}`;
}

/** The median of some measures of one scenario (by rate; its latencies are that round's). */
export function median(rounds: Measured[]): Measured {
  const sorted = [...rounds].sort((a, b) => a.rate - b.rate);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const sum = (key: 'requests' | 'unexpected' | 'unfinished') => rounds.reduce((total, round) => total + round[key], 0);
  return { ...middle, requests: sum('requests'), unexpected: sum('unexpected'), unfinished: sum('unfinished') };
}
