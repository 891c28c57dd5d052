import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { projectRoot } from '../../src/lib/paths.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'ebok-bench-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The rows of the first Markdown table after `header`, as cells. */
function tableAfter(text: string, header: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(header));
  if (start < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((cell) => cell.trim()));
  }
  return rows;
}

// The harness, not the speed: a quick run (a tiny seed, a second a page) must measure every scenario
// with answers and without a refused or failed request, and write its table where it is told.
it('runs the quick benchmark end to end and writes a row for every scenario, each answered without a non-2xx', () => {
  const table = path.join(folder, 'bench.md');
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/index.ts', '--quick', '--out', table], {
    cwd: projectRoot,
    env: { ...process.env, BENCH_DATABASE_URL: '', BENCH_SECONDS: '', BENCH_CONCURRENCY: '' },
    encoding: 'utf8',
    timeout: 170_000,
  });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  const text = readFileSync(table, 'utf8');
  const loads = tableAfter(text, '| scenario |');
  const names = loads.map(([name]) => name);
  for (const expected of ['ceiling', 'client dashboard', 'client ticket list', 'client balance and due items', 'staff my tasks (caretaker)', 'staff my tasks, overdue', 'staff customer search: name', 'staff customer search: NIP', 'staff customer search: number', 'staff ticket with 20 messages', 'payment-order PDF', 'floor: a signed-in page', 'sign-in POST', 'during a sign-in burst', '1 worker', '2 workers']) {
    expect(names.some((name) => name!.includes(expected)), `${expected} in\n${text}`).toBe(true);
  }
  for (const [name, requests, , , , nonSuccess] of loads) {
    expect(Number(requests), name).toBeGreaterThan(0);
    expect(Number(nonSuccess), name).toBe(0);
  }
  const oneOffs = tableAfter(text, '| measure |').map((cells) => cells.join(' | '));
  // Read three times (one download is one sample of a noisy machine), the median reported with the runs.
  expect(oneOffs.find((row) => row.startsWith('CSV export of the customers')), text).toMatch(/HTTP 200\), the median of 3 reads: .*\(runs: \d+, \d+, \d+\)/);
  expect(oneOffs.find((row) => row.includes('dry run')), text).toContain('Dry run: the file would import');
  expect(oneOffs.find((row) => row.includes('commit')), text).toContain('Imported.');
  expect(oneOffs.some((row) => row.startsWith("client dashboard's HTML, gzip")), text).toBe(true);
}, 180_000);
