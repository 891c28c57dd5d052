import { createServer } from 'node:http';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { KnexSessionStore } from '../src/db/session-store.js';
import { createI18n } from '../src/lib/i18n.js';
import { createMailer } from '../src/lib/mail.js';
import { localesDirectory } from '../src/lib/paths.js';
import { systemClock } from '../src/lib/time.js';
import { makeBenchTenant, openBenchDatabase } from './fixture.js';

/**
 * The process under load: the real app on a fresh database (SQLite, or BENCH_DATABASE_URL),
 * with the bench tenant (fixture.ts), beside a bare node:http server that marks the stack's ceiling.
 * Prints one JSON line with both ports when ready.
 */
const { config, db } = await openBenchDatabase('bench');
const slug = await makeBenchTenant(db, 'bench');

const logger = pino({ level: 'silent' });
const app = createApp({
  db,
  config,
  logger,
  mailer: createMailer({ smtpUrl: undefined, from: 'bench@example.test', logger }),
  sessionStore: new KnexSessionStore(db),
  clock: systemClock,
  i18n: createI18n(localesDirectory),
});
const appServer = app.listen(0, '127.0.0.1');
const ceiling = createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
await Promise.all([new Promise((resolve) => appServer.once('listening', resolve)), new Promise((resolve) => ceiling.once('listening', resolve))]);
const portOf = (server: { address(): unknown }) => (server.address() as { port: number }).port;
console.log(JSON.stringify({ appPort: portOf(appServer), ceilingPort: portOf(ceiling), slug, database: config.databaseUrl ? 'mysql' : 'sqlite' }));
