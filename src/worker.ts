import { loadConfigOrExit } from './config.js';
import { createDatabase } from './db/knex.js';
import { waitForCurrentSchema } from './db/prepare.js';
import { jobContextOn } from './jobs/kind.js';
import { createLinks, createPathTo } from './lib/urls.js';
import { routeTable } from './routes.js';
import { createJobRunner } from './jobs/runner.js';
import { createI18n } from './lib/i18n.js';
import { createLogger } from './lib/logger.js';
import { stopOnSignals } from './lib/stop-signals.js';
import { createMailer } from './lib/mail.js';
import { localesDirectory } from './lib/paths.js';
import { systemClock } from './lib/time.js';

/**
 * `npm run worker`: runs background jobs and serves nothing, beside any number of web processes
 * (which then run with RUN_JOBS=false, or run jobs too: each job runs once either way). On
 * SIGTERM or SIGINT it takes no further job, finishes the one in hand and exits with 0.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel });
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  const db = createDatabase({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile, logger });
  await waitForCurrentSchema(db, logger);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  const jobs = createJobRunner(jobContextOn(db, { mailer, i18n: createI18n(localesDirectory), logger, clock: systemClock, forgetsLinks: config.isProduction, filesDirectory: config.filesDirectory, imapMailboxes: config.imapMailboxes, links: createLinks(createPathTo(routeTable()), config.baseUrl) }));
  jobs.start();
  logger.info({ pid: process.pid }, 'running jobs');

  stopOnSignals(logger, 'finishing the job in hand, then stopping', async () => {
    await jobs.stop();
    mailer.close();
    await db.destroy();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
