import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { projectRoot } from '../src/lib/paths.js';

/** A process the bench started and measures: where it answers, its pid, and how to stop it. */
export type Started = { port: number; pid: number; stop(): Promise<void> };

/** Where the app and the ceiling find the bench's database: a MySQL URL, or SQLite in a folder. */
export type DatabaseAt = { databaseUrl: string | undefined; dataDirectory: string };

export function environmentFor(database: DatabaseAt, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
    DATABASE_URL: database.databaseUrl ?? '',
    DATA_DIR: database.dataDirectory,
    // The jobs' timers would load the app in the middle of a measurement: none run here.
    RUN_JOBS: 'false',
    ...extra,
  };
}

/**
 * The real entry, `src/server.ts`, in production mode: `workers` processes (WEB_CONCURRENCY, node's
 * cluster) behind one port, the sign-in at `bcryptCost`. Resolves when /healthz answers.
 */
export async function startApp(database: DatabaseAt, options: { workers: number; bcryptCost: number }): Promise<Started> {
  const port = await freePort();
  // Behind a reverse proxy on the same machine, as in production: the sign-in scenario gives each
  // browser its own address (X-Forwarded-For), so the throttle counts each address's attempts.
  const env = environmentFor(database, { PORT: String(port), BASE_URL: `http://127.0.0.1:${port}`, WEB_CONCURRENCY: String(options.workers), BCRYPT_COST: String(options.bcryptCost), TRUST_PROXY: 'loopback' });
  return startAndWait(path.join(projectRoot, 'src', 'server.ts'), env, port, '/healthz');
}

/** The ceiling (bench/ceiling.ts): Express 5 + EJS fortunes through knex on the same database and pool. */
export async function startCeiling(database: DatabaseAt): Promise<Started> {
  const port = await freePort();
  return startAndWait(path.join(projectRoot, 'bench', 'ceiling.ts'), environmentFor(database, { PORT: String(port), BASE_URL: `http://127.0.0.1:${port}` }), port, '/fortunes');
}

async function startAndWait(entry: string, env: NodeJS.ProcessEnv, port: number, readyPath: string): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: projectRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (errors = (errors + chunk).slice(-4000)));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${path.basename(entry)} stopped before it answered (exit code ${child.exitCode}):\n${errors}`);
    const status = await fetch(`http://127.0.0.1:${port}${readyPath}`).then((response) => response.status, () => 0);
    if (status === 200) return { port, pid: child.pid!, stop: () => stopChild(child) };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stopChild(child);
  throw new Error(`${path.basename(entry)} did not answer ${readyPath} within 120 s:\n${errors}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Starts several at once; when one fails, stops the others before throwing. */
export async function startAll(starts: Array<Promise<Started>>): Promise<Started[]> {
  const settled = await Promise.allSettled(starts);
  const failure = settled.find((result) => result.status === 'rejected');
  if (!failure) return settled.map((result) => (result as PromiseFulfilledResult<Started>).value);
  await Promise.all(settled.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
  throw failure.reason;
}

/** A port nobody listens on now (the cluster's workers must all be told the same one). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** The resident set of a process now, in bytes (Linux). */
export function residentBytes(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) * 1024 : 0;
}

/** CPU time a process has used so far (user and system), in ms (Linux: /proc/PID/stat, in clock ticks of 10 ms). */
function cpuMilliseconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Waits until a process is idle: under a tenth of a core over a quarter of a second (at most `limit` ms).
 * An answer to /readyz says the event loop is free, not that bcrypt's threads are: the sign-ins still in
 * flight when a load stops hash on for seconds, and whatever is measured next would share the cores with them.
 * The process's own CPU (its threads'): with several workers, `pid` is the primary and this waits for it only.
 */
export async function untilIdle(pid: number, limit = 30_000): Promise<void> {
  const window = 250;
  const giveUpAt = performance.now() + limit;
  let before = cpuMilliseconds(pid);
  while (performance.now() < giveUpAt) {
    await new Promise((resolve) => setTimeout(resolve, window));
    const now = cpuMilliseconds(pid);
    if (now - before < window / 10) return;
    before = now;
  }
}
