import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, expect, inject } from 'vitest';
import { configVariables } from '../../src/config.js';
import type { DatabaseKind } from './environment.js';
import { projectRoot } from '../../src/lib/paths.js';
import { createDatabase } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrations.js';

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The environment of a process started by a test: the test runner's own, without any of eBOK's
 * variables (nor the NODE_ENV=test vitest sets), plus the ones given.
 */
export function processEnvironment(variables: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  for (const name of [...configVariables, 'NODE_ENV']) delete inherited[name];
  for (const name of Object.keys(inherited)) if (name.startsWith('VITEST') || name === 'TEST') delete inherited[name];
  return { ...inherited, ...variables };
}

export type StartedProcess = {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves with stdout once it matches the pattern; rejects when the process exits first or time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
  /** Resolves once its output streams have closed too (every process that shared them has ended). */
  closed: Promise<void>;
  /** Kills the process and everything it started (its process group), if still running. */
  kill(): void;
};

/**
 * Starts `node --import tsx <script> ...args` from the project folder, in a process group of its
 * own so that kill() also reaches cluster workers.
 */
export function startTypeScript(script: string, args: string[], variables: Record<string, string>): StartedProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: projectRoot,
    env: processEnvironment(variables),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const waitForOutput = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const started = Date.now();
      const check = setInterval(() => {
        if (pattern.test(stdout)) {
          clearInterval(check);
          resolve(stdout);
        } else if (hasExited || Date.now() - started > timeoutMs) {
          clearInterval(check);
          reject(new Error(`${script} ${hasExited ? 'exited' : 'timed out'} before printing ${pattern}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }
      }, 50);
    });

  return {
    child,
    output: () => ({ stdout, stderr }),
    waitForOutput,
    exited,
    closed,
    kill() {
      if (hasExited || !child.pid) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    },
  };
}

/** Runs the CLI to its end: `npm run cli -- <args>` without npm in between. */
export async function runCli(args: string[], variables: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const started = startTypeScript('src/cli/index.ts', args, variables);
  const code = await started.exited;
  await started.closed;
  return { code, ...started.output() };
}

/** Runs the CLI to its end with `input` on its standard input (`npm run cli -- mail:ingest … < message.eml`). */
export function runCliWithInput(args: string[], input: Buffer, variables: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { cwd: projectRoot, env: processEnvironment(variables), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(input);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/**
 * What a test file of a CLI command needs for one kind of database: a data folder, the variables
 * that point the command at the test database, that database (migrated, opened once), and the
 * clean-up for afterAll.
 */
export function cliWorkspace(kind: DatabaseKind, prefix: string) {
  const folder = mkdtempSync(path.join(os.tmpdir(), prefix));
  const variables = { DATA_DIR: folder, NODE_ENV: 'development', LOG_LEVEL: 'silent', DATABASE_URL: kind === 'mysql' ? inject('mysqlUrl')! : '' };
  let db: Knex | undefined;
  return {
    folder,
    variables,
    async database(): Promise<Knex> {
      db ??= createDatabase(kind === 'mysql' ? { databaseUrl: variables.DATABASE_URL } : { sqliteFile: path.join(folder, 'ebok.sqlite') });
      await migrateToLatest(db);
      return db;
    },
    async close(): Promise<void> {
      await db?.destroy();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A server about to be started: its port, its data folder (SQLite) and its variables. */
export type ServerSetup = { port: number; dataDirectory: string; baseUrl: string; variables: Record<string, string> };

/**
 * What a test file that starts eBOK's processes shares: each process it starts is killed, and each
 * data folder it makes removed, after its last test (call at the top of the file).
 */
export function processesOfThisFile() {
  const started: StartedProcess[] = [];
  const folders: string[] = [];
  afterAll(() => {
    killAll();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  function killAll(): void {
    for (const each of started) each.kill();
  }

  /** A new empty data folder (DATA_DIR). */
  function dataFolder(): string {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ebok-process-'));
    folders.push(folder);
    return folder;
  }

  /** startTypeScript, for this file. */
  function start(script: string, args: string[], variables: Record<string, string>): StartedProcess {
    const running = startTypeScript(script, args, variables);
    started.push(running);
    return running;
  }

  /**
   * A free port and a new data folder, and the variables of `npm start` on them: development on
   * SQLite, BCRYPT_COST=4, logging at info; `variables` go over these. With `baseUrl`, BASE_URL is
   * the server's own address (production asks for one); without, the server makes it up.
   */
  async function serverSetup(variables: Record<string, string> = {}, options: { baseUrl?: boolean } = {}): Promise<ServerSetup> {
    const port = await freePort();
    const dataDirectory = dataFolder();
    const baseUrl = `http://127.0.0.1:${port}`;
    const common = { PORT: String(port), NODE_ENV: 'development', BCRYPT_COST: '4', LOG_LEVEL: 'info', DATABASE_URL: '', DATA_DIR: dataDirectory };
    return { port, dataDirectory, baseUrl, variables: { ...common, ...(options.baseUrl ? { BASE_URL: baseUrl } : {}), ...variables } };
  }

  /** Starts `npm start`'s command with the setup's variables (and `variables` over them). */
  function startServer(setup: ServerSetup, variables: Record<string, string> = {}): StartedProcess {
    return start('src/server.ts', [], { ...setup.variables, ...variables });
  }

  return { dataFolder, start, serverSetup, startServer, killAll };
}

/** Makes the tenant acme, its administrator owner, with `tenant:create` (failing the test if the command does). */
export async function createAcmeTenant(variables: Record<string, string>): Promise<void> {
  const created = await runCli(['tenant:create', '--slug', 'acme', '--name', 'Acme', '--admin-login', 'owner', '--admin-email', 'owner@acme.example', '--admin-first-name', 'Olga', '--admin-last-name', 'Owner'], variables);
  expect(created.code, created.stderr).toBe(0);
}

/** The JSON log lines (pino) among a process's output. */
export function logLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
