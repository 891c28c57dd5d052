import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDatabase } from '../src/db/knex.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { openSystemWork } from '../src/db/installation.js';
import { systemClock } from '../src/lib/time.js';
import { findAnyTenantBySlug } from '../src/models/tenant.js';
import type { DatabaseAt } from './processes.js';
import { seedLarge } from '../seeds/large.js';

/** The password of every seeded login: `npm run seed:large`'s default (DEMO_PASSWORD), so that a tenant seeded by hand is measured as it is. */
export const largePassword = process.env.DEMO_PASSWORD || 'demo1234';
export const largeSlug = 'large';

/** What the scenarios pick from at random: logins, tickets and customers of the large tenant. */
export type Targets = {
  slug: string;
  clientLogins: string[];
  caretakerLogins: string[];
  /** Tickets with 20 messages or more, each with a caretaker it is assigned to. */
  longTickets: Array<{ id: number; login: string }>;
  customers: Array<{ name: string; taxId: string | null; customerNumber: string | null }>;
  customerNumbers: string[];
  customerCount: number;
  /** The cost of the seeded password hashes: what each sign-in pays, and what the app is configured with. */
  bcryptCost: number;
  databaseVersion: string;
};

/**
 * The database of a bench at one scale, seeded once: SQLite in a folder kept between runs (a fresh
 * one for the quick run), or the MySQL/MariaDB database of the URL (for a second scale, a database
 * of its own beside it, `<name>_scale0_1`, made when absent).
 */
export async function prepareDatabase(options: { databaseUrl: string | undefined; dataDirectory: string | undefined; scale: number; isQuick: boolean; isSecondScale: boolean; bcryptCost: number }): Promise<DatabaseAt & { seededIn: number | null; isTemporary: boolean }> {
  const isTemporary = options.isQuick && !(options.dataDirectory && !options.isSecondScale);
  const dataDirectory = options.dataDirectory && !options.isSecondScale ? options.dataDirectory : isTemporary ? mkdtempSync(path.join(os.tmpdir(), 'ebok-bench-quick-')) : path.join(os.tmpdir(), `ebok-bench-scale${options.scale}`);
  mkdirSync(dataDirectory, { recursive: true });
  const databaseUrl = options.databaseUrl && options.isSecondScale ? await siblingDatabase(options.databaseUrl, options.scale) : options.databaseUrl;
  const db = createDatabase({ databaseUrl, sqliteFile: path.join(dataDirectory, 'ebok.sqlite') });
  try {
    await migrateToLatest(db);
    const system = openSystemWork(db, systemClock, 'bench');
    if (await findAnyTenantBySlug(system, largeSlug)) return { databaseUrl, dataDirectory, seededIn: null, isTemporary };
    console.log(`seeding the large tenant at scale ${options.scale}…`);
    const seeded = await seedLarge(db, { scale: options.scale, password: largePassword, bcryptCost: options.bcryptCost, onProgress: (line) => console.log(`  ${line}`) });
    console.log(`seeded in ${seeded.seconds.toFixed(1)} s: ${Object.entries(seeded.counts).map(([name, count]) => `${count} ${name}`).join(', ')}`);
    return { databaseUrl, dataDirectory, seededIn: seeded.seconds, isTemporary };
  } finally {
    await db.destroy();
  }
}

async function siblingDatabase(databaseUrl: string, scale: number): Promise<string> {
  const url = new URL(databaseUrl);
  const name = `${url.pathname.replace(/^\//, '')}_scale${String(scale).replace('.', '_')}`;
  const db = createDatabase({ databaseUrl });
  try {
    await db.raw(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4`);
  } finally {
    await db.destroy();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

/** Reads what the scenarios need from the seeded tenant, a random sample of each. */
export async function findTargets(database: DatabaseAt, sample: number): Promise<Targets> {
  const db = createDatabase({ databaseUrl: database.databaseUrl, sqliteFile: path.join(database.dataDirectory, 'ebok.sqlite') });
  try {
    const system = openSystemWork(db, systemClock, 'bench targets');
    const tenant = (await findAnyTenantBySlug(system, largeSlug))!;
    const scope = system.scopeFor(tenant.id);
    const random = db.raw(database.databaseUrl ? 'rand()' : 'random()');
    const logins = (role: string) => scope.table('users').where({ role, is_active: true }).orderBy(random).limit(sample).pluck('login') as Promise<string[]>;
    const withTwentyMessages = scope.table('ticket_messages').groupBy('ticket_id').havingRaw('count(*) >= 20').select('ticket_id');
    const longTickets = scope
      .table('tickets as t')
      .join('users as u', (join) => join.on('u.tenant_id', 't.tenant_id').andOn('u.id', 't.assignee_id'))
      .where('u.role', 'caretaker')
      .whereIn('t.id', withTwentyMessages)
      .orderBy(random)
      .limit(sample)
      .select('t.id', 'u.login');
    const customers = scope.table('customers').where('is_active', true).orderBy(random).limit(sample).select('name', 'tax_id as taxId', 'customer_number as customerNumber');
    const numbers = scope.table('customers').whereNotNull('customer_number').orderBy('id').limit(1000).pluck('customer_number');
    const [clientLogins, caretakerLogins, tickets, customerRows, customerNumbers, counted, hash] = await Promise.all([
      logins('client'),
      logins('caretaker'),
      longTickets,
      customers,
      numbers,
      scope.table('customers').count({ count: '*' }).first(),
      scope.table('users').where('role', 'client').first('password_hash'),
    ]);
    return {
      slug: largeSlug,
      clientLogins,
      caretakerLogins,
      longTickets: tickets as Targets['longTickets'],
      customers: customerRows as Targets['customers'],
      customerNumbers: customerNumbers as string[],
      customerCount: Number((counted as { count: number }).count),
      bcryptCost: Number(/^\$2[aby]\$(\d+)\$/.exec(String(hash?.password_hash))?.[1] ?? 12),
      databaseVersion: await databaseVersion(db, Boolean(database.databaseUrl)),
    };
  } finally {
    await db.destroy();
  }
}

async function databaseVersion(db: Knex, isMysql: boolean): Promise<string> {
  if (!isMysql) return `SQLite ${((await db.raw('select sqlite_version() as version')) as Array<{ version: string }>)[0]!.version}`;
  const [rows] = (await db.raw('select version() as version')) as [Array<{ version: string }>];
  const version = rows[0]!.version;
  return /mariadb/i.test(version) ? `MariaDB ${version.replace(/-MariaDB.*/i, '')}` : `MySQL ${version}`;
}
