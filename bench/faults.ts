import { rmSync } from 'node:fs';
import { startTcpProxy, type TcpProxy } from '../test/support/tcp-proxy.js';
import { prepareDatabase, startServer } from './fault-server.js';
import { databaseCut, parallelSignIns, shutdown, workerKill, type Check } from './fault-phases.js';
import { freePort } from '../test/support/processes.js';

/**
 * `npm run bench:faults`: the faults of issue 19 on the real server (production, WEB_CONCURRENCY=2)
 * under load from this process: eight sign-ins of one login at once, the database cut for
 * FAULT_OUTAGE_SECONDS (10; MySQL through BENCH_DATABASE_URL only, via a TCP proxy this script
 * cuts), a worker killed, SIGTERM. Prints each expectation with what it saw; exits with 1 when
 * one is not met.
 */
const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
const outageSeconds = Number(process.env.FAULT_OUTAGE_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

const { db, dataDirectory, slug } = await prepareDatabase(databaseUrl);
let proxy: TcpProxy | undefined;
if (databaseUrl) {
  const target = new URL(databaseUrl);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 3306) });
}
const server = await startServer({ port: await freePort(), databaseUrl: proxy && databaseUrl ? proxy.urlFor(databaseUrl) : undefined, dataDirectory, workers: 2 });
const context = { server, db, slug, concurrency };
const checks: Check[] = [];
try {
  console.log(`eBOK faults: ${databaseUrl ? 'mysql' : 'sqlite'}, 2 workers, ${concurrency} virtual users\n`);
  const phase = async (name: string, run: () => Promise<Check[]>) => {
    const started = Date.now();
    process.stdout.write(`${name}… `);
    checks.push(...(await run()));
    console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  await phase('sign-ins at once', () => parallelSignIns(context));
  if (proxy) await phase('database cut', () => databaseCut(context, proxy!, outageSeconds));
  else console.log('database cut: skipped (it needs a network database: set BENCH_DATABASE_URL=mysql://…)');
  await phase('worker killed', () => workerKill(context));
  await phase('SIGTERM', () => shutdown(context));
  console.log('');
} finally {
  server.child.kill('SIGKILL');
  await proxy?.close();
  await db.destroy();
  rmSync(dataDirectory, { recursive: true, force: true });
}
console.log(['fault'.padEnd(30), 'expectation'.padEnd(48), 'seen'].join(''));
for (const check of checks) console.log([check.fault.padEnd(30), check.expectation.padEnd(48), `${check.isMet ? 'ok  ' : 'FAIL'} ${check.seen}`].join(''));
process.exitCode = checks.every((check) => check.isMet) ? 0 : 1;
