import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { KnexSessionStore } from '../src/db/session-store.js';
import { openSystemWork } from '../src/db/installation.js';
import { createI18n } from '../src/lib/i18n.js';
import { createMailer } from '../src/lib/mail.js';
import { localesDirectory } from '../src/lib/paths.js';
import { systemClock } from '../src/lib/time.js';
import { findAnyTenantBySlug } from '../src/models/tenant.js';
import { benchPassword, makeBenchTenant, openBenchDatabase } from './fixture.js';

/**
 * `npm run bench:start-page`: the admin's staff start page over BENCH_START_CUSTOMERS (100,000)
 * customers with BENCH_START_ENTRIES (200,000) approved invoices, half of them overdue, on a fresh
 * database (SQLite, or BENCH_DATABASE_URL): each statement of the first view and of a second one
 * with its time, slowest first, and the page's time.
 */
const customers = Number(process.env.BENCH_START_CUSTOMERS ?? 100_000);
const entries = Number(process.env.BENCH_START_ENTRIES ?? 200_000);

const { config, db } = await openBenchDatabase('start');
const slug = await makeBenchTenant(db, 'start');
const system = openSystemWork(db, systemClock, 'bench start page');
const tenant = (await findAnyTenantBySlug(system, slug))!;
const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
const started = performance.now();
const firstId = Number((await db('customers').max({ id: 'id' }))[0]!.id ?? 0) + 1;
for (let start = 0; start < customers; start += 500) {
  const batch = Array.from({ length: Math.min(500, customers - start) }, (_, offset) => ({ tenant_id: tenant.id, name: `Klient ${start + offset}`, customer_number: `S/${start + offset}`, is_active: true, created_at: now, updated_at: now }));
  await db('customers').insert(batch);
}
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
for (let start = 0; start < entries; start += 250) {
  const batch = Array.from({ length: Math.min(250, entries - start) }, (_, offset) => {
    const index = start + offset;
    const due = index % 2 === 0 ? day(index % 200) : day(-30);
    return { tenant_id: tenant.id, customer_id: firstId + (index % customers), kind: 'invoice', status: 'approved', amount: 10_000 + (index % 997), currency: 'PLN', document_number: `FV/${index}`, entry_date: day(220), due_date: due, source: 'import', entered_at: now };
  });
  await db('ledger_entries').insert(batch);
}
console.log(`${customers} customers and ${entries} invoices inserted in ${((performance.now() - started) / 1000).toFixed(1)} s (${config.databaseUrl ? 'MySQL/MariaDB' : 'SQLite'})`);

const logger = pino({ level: 'silent' });
const app = createApp({ db, config, logger, mailer: createMailer({ smtpUrl: undefined, from: 'bench@example.test', logger }), sessionStore: new KnexSessionStore(db), clock: systemClock, i18n: createI18n(localesDirectory) });
const agent = request.agent(app);
const page = await agent.get(`/${slug}/login`);
const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
await agent.post(`/${slug}/login`).type('form').send({ _csrf: token, login: 'admin', password: benchPassword });

for (const view of ['first view', 'second view', 'third view']) {
  const timings = new Map<string, { sql: string; started: number; milliseconds?: number }>();
  const onQuery = (query: { __knexQueryUid: string; sql: string }) => timings.set(query.__knexQueryUid, { sql: query.sql, started: performance.now() });
  const onResponse = (_response: unknown, query: { __knexQueryUid: string }) => {
    const timing = timings.get(query.__knexQueryUid);
    if (timing) timing.milliseconds = performance.now() - timing.started;
  };
  db.on('query', onQuery).on('query-response', onResponse);
  const viewStarted = performance.now();
  const response = await agent.get(`/${slug}/staff`);
  const total = performance.now() - viewStarted;
  db.off('query', onQuery).off('query-response', onResponse);
  if (response.status !== 200) throw new Error(`the start page answered ${response.status}`);
  console.log(`${view}: ${total.toFixed(0)} ms, ${timings.size} statements`);
  for (const { sql, milliseconds } of [...timings.values()].sort((a, b) => (b.milliseconds ?? 0) - (a.milliseconds ?? 0)).slice(0, Number(process.env.BENCH_START_SHOWN ?? 6))) {
    console.log(`  ${(milliseconds ?? 0).toFixed(1).padStart(8)} ms  ${sql.replace(/\s+/g, ' ').slice(0, 150)}`);
  }
}
await db.destroy();
