import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { projectRoot } from '../../src/lib/paths.js';

// The load harness itself, run for a moment: it must start the app, sign in, and load every scenario without errors.
it('runs the benchmark harness end to end and reports every scenario without errors', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/index.ts'], {
    cwd: projectRoot,
    env: { ...process.env, BENCH_SECONDS: '0.5', BENCH_CONCURRENCY: '2' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const rows = run.stdout.split('\n').filter((line) => /^(ceiling|GET )/.test(line));
  expect(rows).toHaveLength(5);
  expect(rows.some((row) => row.startsWith('GET staff customer list'))).toBe(true);
  for (const row of rows) {
    // req/s, p50, p95, p99, errors, share of the ceiling
    const numbers = /\s(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+(\d+)\s+[\d.]+%$/.exec(row);
    expect(numbers, row).not.toBeNull();
    expect(Number(numbers![1]), row).toBeGreaterThan(0);
    expect(Number(numbers![2]), row).toBe(0);
  }
}, 90_000);
