import { spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchPassword } from './fixture.js';
import { send, signIn, type Target } from './http-load.js';

/**
 * `npm run bench`: load on the real app in a separate process, from this one, over loopback.
 * Each scenario runs for BENCH_SECONDS (default 5) with BENCH_CONCURRENCY (default 16) virtual
 * users, each with its own keep-alive connection and cookie. Prints throughput, latency
 * percentiles and the ratio to a bare node:http server on the same machine (the ceiling).
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const here = path.dirname(fileURLToPath(import.meta.url));

type Result = { requests: number; errors: number; latencies: number[] };

async function load(makeTarget: () => Promise<Target>): Promise<Result> {
  const result: Result = { requests: 0, errors: 0, latencies: [] };
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const target = await makeTarget();
      while (Date.now() < until) {
        const started = process.hrtime.bigint();
        const response = await send(agent, target).catch(() => ({ status: 0 }));
        result.latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        result.requests += 1;
        if (response.status !== 200) result.errors += 1;
      }
      agent.destroy();
    }),
  );
  return result;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

const server = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'server.ts')], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
const ready = await new Promise<{ appPort: number; ceilingPort: number; slug: string; database: string }>((resolve, reject) => {
  createInterface({ input: server.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
  server.once('exit', (code) => reject(new Error(`the bench server stopped before it was ready (exit code ${code})`)));
});
try {
  const clientCookie = await signIn(ready.appPort, ready.slug, 'client', benchPassword);
  const adminCookie = await signIn(ready.appPort, ready.slug, 'admin', benchPassword);
  const scenarios: Array<[string, () => Promise<Target>]> = [
    ['ceiling: bare node:http', async () => ({ port: ready.ceilingPort, path: '/' })],
    ['GET /healthz', async () => ({ port: ready.appPort, path: '/healthz' })],
    ['GET sign-in page (new visitor)', async () => ({ port: ready.appPort, path: `/${ready.slug}/login` })],
    ['GET portal dashboard (signed in)', async () => ({ port: ready.appPort, path: `/${ready.slug}/portal`, cookie: clientCookie })],
    ['GET staff customer list (admin)', async () => ({ port: ready.appPort, path: `/${ready.slug}/staff/customers`, cookie: adminCookie })],
  ];
  console.log(`eBOK bench: ${ready.database}, ${concurrency} virtual users, ${seconds} s per scenario\n`);
  console.log(['scenario'.padEnd(34), 'req/s'.padStart(8), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), 'p99 ms'.padStart(8), 'errors'.padStart(7), 'of ceiling'.padStart(11)].join(''));
  let ceilingRate = 0;
  for (const [name, makeTarget] of scenarios) {
    const result = await load(makeTarget);
    const rate = result.requests / seconds;
    if (!ceilingRate) ceilingRate = rate;
    const sorted = result.latencies.sort((a, b) => a - b);
    console.log(
      [
        name.padEnd(34),
        rate.toFixed(0).padStart(8),
        percentile(sorted, 0.5).toFixed(1).padStart(8),
        percentile(sorted, 0.95).toFixed(1).padStart(8),
        percentile(sorted, 0.99).toFixed(1).padStart(8),
        String(result.errors).padStart(7),
        `${((rate / ceilingRate) * 100).toFixed(1)}%`.padStart(11),
      ].join(''),
    );
  }
} finally {
  server.kill('SIGTERM');
}
