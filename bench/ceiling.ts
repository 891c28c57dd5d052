import os from 'node:os';
import path from 'node:path';
import express from 'express';
import type { Knex } from 'knex';
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/db/knex.js';
import { projectRoot } from '../src/lib/paths.js';

/**
 * The ceiling the pages are measured against (issue 20, item 2): a TechEmpower-style "fortunes" page,
 * Express 5 and EJS, one query for all rows of a small table through knex on the app's database and
 * pool size (the same factory), one row added in memory, sorted, rendered. Its table, bench_fortunes,
 * is made when it starts and dropped when it stops: it is no part of the app's schema or migrations.
 */
const config = loadConfig(process.env, { dataDirectory: process.env.DATA_DIR ?? os.tmpdir() });
const db = createDatabase({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
await createFortunes(db);

type Fortune = { id: number; message: string };
const app = express();
app.set('view engine', 'ejs');
app.set('views', path.join(projectRoot, 'bench', 'views'));
app.set('view cache', true);
app.get('/fortunes', async (_req, res) => {
  const fortunes: Fortune[] = await db('bench_fortunes').select('id', 'message');
  fortunes.push({ id: 0, message: 'Additional fortune added at request time.' });
  fortunes.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  res.render('fortunes', { fortunes });
});
const server = app.listen(config.port, '127.0.0.1');

process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void db.schema
    .dropTableIfExists('bench_fortunes')
    .finally(() => db.destroy())
    .finally(() => process.exit(0));
});

async function createFortunes(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('bench_fortunes');
  await knex.schema.createTable('bench_fortunes', (table) => {
    table.integer('id').primary();
    table.string('message', 200).notNullable();
  });
  const messages = [
    'fortune: No such file or directory',
    "A computer scientist is someone who fixes things that aren't broken.",
    'After enough decimal places, nobody gives a damn.',
    'A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1',
    'A computer program does what you tell it to do, not what you want it to do.',
    'Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen',
    'Any program that runs right is obsolete.',
    'A list is only as strong as its weakest link. — Donald Knuth',
    'Feature: A bug with seniority.',
    'Computers make very fast, very accurate mistakes.',
    '<script>alert("This should not be displayed in a browser alert box.");</script>',
    'フレームワークのベンチマーク',
  ];
  await knex('bench_fortunes').insert(messages.map((message, index) => ({ id: index + 1, message })));
}
