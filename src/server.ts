import { performance } from 'node:perf_hooks';
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { loadConfigOrExit, type Config } from './config.js';
import { createDatabase } from './db/knex.js';
import { migrateWhenReachable } from './db/prepare.js';
import { KnexSessionStore } from './db/session-store.js';
import { createLogger, type Logger } from './lib/logger.js';
import { stopOnSignals } from './lib/stop-signals.js';
import { createI18n } from './lib/i18n.js';
import { createMailer } from './lib/mail.js';
import { jobContextOn } from './jobs/kind.js';
import { createLinks, createPathTo } from './lib/urls.js';
import { routeTable } from './routes.js';
import { createJobRunner } from './jobs/runner.js';
import { prepareGracefulClose } from './lib/graceful-close.js';
import { localesDirectory } from './lib/paths.js';
import { systemClock } from './lib/time.js';
import { seedDemo, type DemoLogin } from '../seeds/demo.js';

const shutdownGraceMs = 10_000;

/** The process entry: config, database, migrations, app, listen; graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel });
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  if (cluster.isPrimary) {
    const demoLogins = await prepareDatabase(config, logger);
    if (config.webConcurrency > 1) return runPrimary(config, logger, demoLogins);
    await runWorker(config, logger);
    announce(config, logger, demoLogins);
    return;
  }
  await runWorker(config, logger);
}

/** Migrates once (in the primary) and, in development, seeds the demo tenants into an empty database. */
async function prepareDatabase(config: Config, logger: Logger): Promise<readonly DemoLogin[] | null> {
  const db = createDatabase({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile, logger });
  try {
    await migrateWhenReachable(db, logger);
    // Demo logins have a known password: only on a developer's own machine.
    const isLocal = ['localhost', '127.0.0.1', '[::1]'].includes(new URL(config.baseUrl).hostname);
    if (config.nodeEnv !== 'development' || !isLocal) return null;
    return await seedDemo(db, { password: config.demoPassword, bcryptCost: config.bcryptCost });
  } finally {
    await db.destroy();
  }
}

function runPrimary(config: Config, logger: Logger, demoLogins: readonly DemoLogin[] | null): void {
  let isStopping = false;
  let quickDeaths = 0;
  const startedAt = new Map<number, number>();
  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker.id, performance.now());
  };
  for (let index = 0; index < config.webConcurrency; index += 1) fork();
  cluster.on('exit', (worker, code) => {
    if (isStopping) return;
    const problem = (Object.keys(cannotListenExitCodes) as ListenProblem[]).find((name) => cannotListenExitCodes[name] === code);
    if (problem) {
      // The port cannot be had: another worker would fail alike, and "ready" would be a lie.
      isStopping = true;
      console.error(listenProblemLine(problem, config.port));
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exit(1);
    }
    // The first death is replaced at once (a worker killed from outside, say). A worker that dies again
    // right after starting will die again: wait longer each time (1 s, 2 s, … up to 30 s).
    const livedMs = performance.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    quickDeaths = livedMs < 10_000 ? quickDeaths + 1 : 0;
    const delayMs = quickDeaths <= 1 ? 0 : Math.min(1000 * 2 ** (quickDeaths - 2), 30_000);
    logger.error({ pid: worker.process.pid, code, restartInMs: delayMs }, 'worker died; starting another');
    setTimeout(() => {
      if (!isStopping) fork();
    }, delayMs);
  });
  const stop = (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal }, 'stopping workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    const check = setInterval(() => {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        clearInterval(check);
        process.exit(0);
      }
    }, 100);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // Ready once a worker listens, not when it is started: a worker may find the port taken.
  cluster.once('listening', () => announce(config, logger, demoLogins));
}

async function runWorker(config: Config, logger: Logger): Promise<void> {
  const db = createDatabase({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile, logger });
  const sessionStore = new KnexSessionStore(db);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  const i18n = createI18n(localesDirectory);
  const app = createApp({ db, config, logger, mailer, sessionStore, clock: systemClock, i18n });
  // Each process runs jobs unless told not to (RUN_JOBS=false, when `npm run worker` runs them).
  const jobs = config.runsJobs ? createJobRunner(jobContextOn(db, { mailer, i18n, logger, clock: systemClock, forgetsLinks: config.isProduction, filesDirectory: config.filesDirectory, imapMailboxes: config.imapMailboxes, links: createLinks(createPathTo(routeTable()), config.baseUrl) })) : undefined;
  jobs?.start();
  // Express 5 calls back with the error too (a port in use): without this, "listening" was logged while another program answered.
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.port, (error?: Error) => (error ? reject(error) : resolve(listening)));
  }).catch((error: unknown) => stopForListenError(error, config.port, logger));
  const closing = prepareGracefulClose(server);
  logger.info({ port: config.port, pid: process.pid }, 'listening');

  stopOnSignals(logger, 'finishing requests in flight, then stopping', async () => {
    // The runner stops taking jobs at once, while requests drain: a job taken late could be
    // killed by the platform's stop timeout after sending its mail but before marking it sent.
    await Promise.all([closing.close(shutdownGraceMs), jobs?.stop()]);
    mailer.close();
    await db.destroy();
  });
}

/** A worker's exit codes for "the port cannot be had": the primary says why and stops instead of starting another. */
const cannotListenExitCodes = { EADDRINUSE: 78, EACCES: 77 } as const;
type ListenProblem = keyof typeof cannotListenExitCodes;

function listenProblemLine(problem: ListenProblem, port: number): string {
  return problem === 'EADDRINUSE' ? `Port ${port} is already in use; set PORT to a free port.` : `Port ${port} needs privileges this process does not have; set PORT to a port above 1023.`;
}

/**
 * A port that is taken or not allowed stops the process with one clear line on stderr and a
 * non-zero exit code; any other error goes on as it is.
 */
function stopForListenError(error: unknown, port: number, logger: Logger): never {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
  logger.fatal({ port, code }, listenProblemLine(code, port));
  // Of several workers each finds the port taken: the primary says it once (runPrimary).
  if (!cluster.isPrimary) process.exit(cannotListenExitCodes[code]);
  console.error(listenProblemLine(code, port));
  process.exit(1);
}

function announce(config: Config, logger: Logger, demoLogins: readonly DemoLogin[] | null): void {
  logger.info({ url: config.baseUrl }, 'eBOK is ready');
  if (!demoLogins) return;
  const lines = [
    '',
    `eBOK is running. Demo tenant: ${config.baseUrl}/demo/login`,
    `Demo logins (password: ${config.demoPassword === 'demo1234' ? 'demo1234' : 'the DEMO_PASSWORD you set'}):`,
    ...demoLogins.map((entry) => `  ${config.baseUrl}/${entry.tenant}/login   ${entry.login.padEnd(11)} ${entry.description}`),
    '',
  ];
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
