import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { KnexSessionStore } from '../src/db/session-store.js';
import { createI18n } from '../src/lib/i18n.js';
import { createMailer } from '../src/lib/mail.js';
import { localesDirectory } from '../src/lib/paths.js';
import { systemClock } from '../src/lib/time.js';
import { benchPassword, makeBenchTenant, openBenchDatabase } from './fixture.js';

/**
 * `npm run bench:queries`: the SQL statements each measured page runs, in production mode, on a fresh
 * database (SQLite, or BENCH_DATABASE_URL): the sign-in page for a new visitor, the client's dashboard,
 * the staff customer list and the staff start page. A page's count is the same on every run, unlike its speed.
 */
const { config, db } = await openBenchDatabase('queries');
const slug = await makeBenchTenant(db, 'queries');
const password = benchPassword;

const logger = pino({ level: 'silent' });
const app = createApp({ db, config, logger, mailer: createMailer({ smtpUrl: undefined, from: 'bench@example.test', logger }), sessionStore: new KnexSessionStore(db), clock: systemClock, i18n: createI18n(localesDirectory) });

async function signedIn(login: string) {
  const agent = request.agent(app);
  const page = await agent.get(`/${slug}/login`);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  const response = await agent.post(`/${slug}/login`).type('form').send({ _csrf: token, login, password });
  if (response.status !== 303) throw new Error(`sign-in of ${login} failed with ${response.status}`);
  return agent;
}

/** The statements one GET runs, after one warm-up request (caches filled, the session's expiry already moved). */
async function statementsOf(agent: ReturnType<typeof request.agent> | ReturnType<typeof request>, url: string): Promise<string[]> {
  await agent.get(url);
  const statements: string[] = [];
  const record = (query: { sql: string }) => statements.push(query.sql);
  db.on('query', record);
  const response = await agent.get(url);
  db.off('query', record);
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return statements;
}

const pages: Array<[string, ReturnType<typeof request.agent> | ReturnType<typeof request>, string]> = [
  ['sign-in page, a new visitor', request(app), `/${slug}/login`],
  ['client dashboard, signed in', await signedIn('client'), `/${slug}/portal`],
  ['staff customer list, admin', await signedIn('admin'), `/${slug}/staff/customers`],
  ['staff start page, caretaker', await signedIn('caretaker'), `/${slug}/staff`],
  ['staff start page, admin', await signedIn('admin'), `/${slug}/staff`],
];
console.log(`eBOK queries per page (${config.databaseUrl ? 'mysql' : 'sqlite'})`);
for (const [name, agent, url] of pages) {
  const statements = await statementsOf(agent, url);
  const writes = statements.filter((sql) => /^\s*(insert|update|delete)/i.test(sql)).length;
  const settingsReads = statements.filter((sql) => /[`"\s]settings[`"\s]/i.test(sql)).length;
  console.log(`${name.padEnd(32)} ${String(statements.length).padStart(3)} statements, ${writes} writing, ${settingsReads} on the settings table`);
  if (process.env.BENCH_VERBOSE) for (const sql of statements) console.log(`    ${sql}`);
}
await db.destroy();
