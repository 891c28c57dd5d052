import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { environmentFor, residentBytes, untilIdle, type DatabaseAt, type Started } from './processes.js';
import { timedImport, writeInvoices, type TimedImport } from './import-file.js';

export type ExportMeasure = { rows: number; seconds: number; rowsPerSecond: number; idleMegabytes: number; peakGrowthMegabytes: number; status: number; runs: number[] };

/** How many times the export is read: one download of a second or two is one sample of a noisy machine. */
const exportRuns = 3;

/**
 * The admin's CSV of every customer (admin.customerExports.show), read as fast as it comes while the
 * app process's RSS is sampled every 20 ms; growth is its peak over the RSS of the idle process just
 * before. Read three times: the median run's rows a second, and the largest growth of the three.
 */
export async function measureExport(app: Started, slug: string, adminCookie: string): Promise<ExportMeasure> {
  const measured: Array<Omit<ExportMeasure, 'runs'>> = [];
  for (let run = 0; run < exportRuns; run += 1) measured.push(await exportOnce(app, slug, adminCookie));
  const byRate = [...measured].sort((a, b) => a.rowsPerSecond - b.rowsPerSecond);
  const median = byRate[Math.floor(byRate.length / 2)]!;
  return { ...median, peakGrowthMegabytes: Math.max(...measured.map((one) => one.peakGrowthMegabytes)), runs: measured.map((one) => one.rowsPerSecond) };
}

async function exportOnce(app: Started, slug: string, adminCookie: string): Promise<Omit<ExportMeasure, 'runs'>> {
  await untilIdle(app.pid);
  const idle = residentBytes(app.pid);
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(app.pid))), 20);
  const started = performance.now();
  let lines = 0;
  let status = 0;
  try {
    // Not redirected: an expired session's sign-in page must not be counted as rows.
    const response = await fetch(`http://127.0.0.1:${app.port}/${slug}/admin/exports/customers.csv`, { headers: { cookie: adminCookie }, redirect: 'manual' });
    status = response.status;
    if (status !== 200) throw new Error(`bench: the export answered ${status}, not 200`);
    for await (const chunk of response.body ?? []) {
      const bytes = chunk as Uint8Array;
      for (let index = bytes.indexOf(10); index !== -1; index = bytes.indexOf(10, index + 1)) lines += 1;
    }
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, residentBytes(app.pid));
  const seconds = (performance.now() - started) / 1000;
  const rows = Math.max(0, lines - 1);
  return { rows, seconds, rowsPerSecond: rows / seconds, idleMegabytes: idle / 2 ** 20, peakGrowthMegabytes: (peak - idle) / 2 ** 20, status };
}

export type ImportMeasure = { rows: number; dryRun: TimedImport; commit: TimedImport };

/**
 * A file of `rows` invoices of the large tenant's customers through the CLI import (the same verbs as
 * the admin's page), dry run first, then for real. The external ids are new each run, so the commit
 * writes every row: a run adds `rows` ledger entries to the tenant.
 */
export async function measureImport(database: DatabaseAt, slug: string, customerNumbers: string[], rows: number): Promise<ImportMeasure> {
  const folder = mkdtempSync(path.join(tmpdir(), 'ebok-bench-import-'));
  try {
    const file = path.join(folder, 'invoices.csv');
    await writeInvoices(file, rows, customerNumbers, `BENCH${Date.now().toString(36)}`);
    const env = environmentFor(database, { BASE_URL: 'http://127.0.0.1' });
    const dryRun = await timedImport(file, slug, env, true);
    const commit = await timedImport(file, slug, env);
    return { rows, dryRun, commit };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export type WeightMeasure = {
  htmlGzipBytes: number;
  assetsGzipBytes: number;
  assets: Array<{ url: string; gzipBytes: number; cacheControl: string; isHashed: boolean }>;
  foreignOrigins: string[];
};

/** The client dashboard's weight: its HTML and every stylesheet and script it loads, gzip-compressed (level 6). */
export async function measureWeight(port: number, slug: string, clientCookie: string): Promise<WeightMeasure> {
  const origin = `http://127.0.0.1:${port}`;
  const page = await fetch(`${origin}/${slug}/portal`, { headers: { cookie: clientCookie }, redirect: 'manual' });
  if (page.status !== 200) throw new Error(`bench: the dashboard answered ${page.status}, not 200 (a signed-out session would weigh the sign-in page)`);
  const html = await page.text();
  const references = [...html.matchAll(/<(?:link|script|img|iframe|source)\b[^>]*?\b(?:href|src)="([^"]+)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'));
  const foreignOrigins = [...new Set(references.filter((url) => /^(https?:)?\/\//.test(url) && !url.startsWith(origin)).map((url) => new URL(url, origin).origin))];
  const assetUrls = [...new Set([...html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"|<script\b[^>]*src="([^"]+)"/g)].map((match) => match[1] ?? match[2]!))];
  const assets = await Promise.all(
    assetUrls.map(async (url) => {
      const response = await fetch(new URL(url, origin));
      const body = Buffer.from(await response.arrayBuffer());
      return { url, gzipBytes: gzipSync(body).length, cacheControl: response.headers.get('cache-control') ?? '', isHashed: /[.-][0-9a-f]{8,}\.(css|js)(\?|$)/i.test(url) };
    }),
  );
  return { htmlGzipBytes: gzipSync(html).length, assetsGzipBytes: assets.reduce((sum, asset) => sum + asset.gzipBytes, 0), assets, foreignOrigins };
}
