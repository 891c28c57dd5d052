import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { configVariables } from '../src/config.js';
import { createDatabase } from '../src/db/knex.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { projectRoot } from '../src/lib/paths.js';
import { benchPassword, makeBenchTenant } from './fixture.js';

export { benchPassword };

/** A fresh bench tenant (fixture.ts) on the fault run's database. */
export async function prepareDatabase(databaseUrl: string | undefined): Promise<{ db: Knex; dataDirectory: string; slug: string }> {
  const dataDirectory = mkdtempSync(path.join(os.tmpdir(), 'ebok-faults-'));
  const db = createDatabase({ databaseUrl, sqliteFile: path.join(dataDirectory, 'ebok.sqlite') });
  await migrateToLatest(db);
  const slug = await makeBenchTenant(db, 'faults');
  return { db, dataDirectory, slug };
}

export type OutputLine = { at: number; stream: 'stdout' | 'stderr'; text: string };

export type RunningServer = {
  child: ChildProcess;
  port: number;
  output: OutputLine[];
  /** The process ids of the workers that have said they listen, in order. */
  listeningPids(): number[];
  exited: Promise<number | null>;
};

/** `npm start` in production (WEB_CONCURRENCY workers) on the given database, its output kept line by line. */
export async function startServer(options: { port: number; databaseUrl: string | undefined; dataDirectory: string; workers: number }): Promise<RunningServer> {
  const environment: NodeJS.ProcessEnv = { ...process.env };
  for (const name of configVariables) delete environment[name];
  Object.assign(environment, {
    NODE_ENV: 'production',
    PORT: String(options.port),
    BASE_URL: `http://127.0.0.1:${options.port}`,
    SESSION_SECRET: 'fault-script-secret-fault-script-secret',
    DATABASE_URL: options.databaseUrl ?? '',
    DATA_DIR: options.dataDirectory,
    BCRYPT_COST: '4',
    LOG_LEVEL: 'info',
    WEB_CONCURRENCY: String(options.workers),
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: projectRoot, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: OutputLine[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    let rest = '';
    child[stream]!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const text of lines) output.push({ at: Date.now(), stream, text });
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listeningPids = () => jsonLines(output).filter((line) => line.msg === 'listening').map((line) => Number(line.pid));
  const server = { child, port: options.port, output, listeningPids, exited };
  await waitUntil(() => listeningPids().length >= options.workers, 60_000, () => `the server did not start:\n${output.map((line) => line.text).join('\n')}`);
  return server;
}

export function jsonLines(lines: OutputLine[]): Array<Record<string, unknown>> {
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line.text) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

export async function waitUntil(condition: () => boolean, timeoutMs: number, failure: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(failure());
    await sleep(50);
  }
}

export const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
