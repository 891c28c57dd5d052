import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { loadConfig, type Config } from '../src/config.js';
import { createDatabase } from '../src/db/knex.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { openSystemWork } from '../src/db/installation.js';
import { systemClock } from '../src/lib/time.js';
import { createCustomer } from '../src/models/customer.js';
import { createTenant } from '../src/models/tenant.js';
import { createUser } from '../src/models/user.js';

export const benchPassword = 'bench-password';

/**
 * The app's configuration in production mode and its migrated database, fresh for a bench run:
 * SQLite in a folder of its own, or the database of BENCH_DATABASE_URL.
 */
export async function openBenchDatabase(prefix: string): Promise<{ config: Config; db: Knex }> {
  const dataDirectory = mkdtempSync(path.join(os.tmpdir(), `ebok-${prefix}-`));
  const config = loadConfig(
    { NODE_ENV: 'production', BASE_URL: 'http://127.0.0.1', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret', BCRYPT_COST: '4', LOG_LEVEL: 'silent', DATABASE_URL: process.env.BENCH_DATABASE_URL },
    { dataDirectory },
  );
  const db = createDatabase({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
  await migrateToLatest(db);
  return { config, db };
}

/**
 * The tenant every bench run measures, made with the model verbs on a migrated database: a
 * caretaker's customer with one client ("client"), a customer without a caretaker, an admin
 * ("admin") and the superadmin ("owner"), all with the bench password.
 * @returns the tenant's slug
 */
export async function makeBenchTenant(db: Knex, prefix: string): Promise<string> {
  const system = openSystemWork(db, systemClock, 'bench fixture');
  const slug = `${prefix}${Date.now()}`;
  const { tenant } = await createTenant(system, { slug, name: 'Bench sp. z o.o.', admin: { login: 'owner', email: 'owner@bench.example', password: benchPassword } }, { bcryptCost: 4 });
  const scope = system.scopeFor(tenant.id);
  const person = (login: string, role: 'admin' | 'caretaker' | 'client', customerId?: number) =>
    createUser(scope, { login, firstName: login, lastName: 'Bench', role, customerId: customerId ?? null, password: benchPassword }, { bcryptCost: 4 });
  const caretaker = await person('caretaker', 'caretaker');
  const customer = await createCustomer(scope, { name: 'Alfa sp. z o.o.', caretakerId: caretaker.id });
  await createCustomer(scope, { name: 'Beta s.r.o.' });
  await person('client', 'client', customer.id);
  await person('admin', 'admin');
  return slug;
}
