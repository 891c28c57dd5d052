import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/db/knex.js';
import { KnexSessionStore } from '../src/db/session-store.js';
import { createI18n } from '../src/lib/i18n.js';
import { createMailer } from '../src/lib/mail.js';
import { localesDirectory } from '../src/lib/paths.js';
import { systemClock } from '../src/lib/time.js';

/**
 * The app process of `npm run bench:export`, in production mode on the database the bench filled
 * (BENCH_DATA_DIRECTORY for SQLite, or BENCH_DATABASE_URL), alone in its process so that its RSS is
 * the app's. Prints its port when it listens.
 */
const config = loadConfig(
  { NODE_ENV: 'production', BASE_URL: 'http://127.0.0.1', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret', BCRYPT_COST: '4', LOG_LEVEL: 'silent', DATABASE_URL: process.env.BENCH_DATABASE_URL },
  { dataDirectory: process.env.BENCH_DATA_DIRECTORY! },
);
const db = createDatabase({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
const logger = pino({ level: 'silent' });
const app = createApp({ db, config, logger, mailer: createMailer({ smtpUrl: undefined, from: 'bench@example.test', logger }), sessionStore: new KnexSessionStore(db), clock: systemClock, i18n: createI18n(localesDirectory) });
const server = app.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as { port: number }).port })));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
