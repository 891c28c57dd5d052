import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createDatabase } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { KnexSessionStore } from '../../src/db/session-store.js';
import { createI18n } from '../../src/lib/i18n.js';
import { createMailer, type Mailer } from '../../src/lib/mail.js';
import { localesDirectory } from '../../src/lib/paths.js';
import { jobContextOn } from '../../src/jobs/kind.js';
import { createJobRunner } from '../../src/jobs/runner.js';
import type { AppDeps } from '../../src/middleware/context.js';
import { createLinks, type Links, type PathTo } from '../../src/lib/urls.js';

export type DatabaseKind = 'sqlite' | 'mysql';

/** A controllable clock: real time plus an offset that tests move forward. */
export type TestClock = { now(): Date; advance(milliseconds: number): void; reset(): void };

export type TestEnvironment = {
  kind: DatabaseKind;
  db: Knex;
  app: Express;
  deps: AppDeps;
  config: Config;
  mailer: Mailer;
  clock: TestClock;
  /** Absolute links to the app's pages, as e-mails carry them (model verbs that e-mail take them). */
  links: Links;
  /**
   * Runs the jobs due now (the outbox's e-mail among them), once, as a worker would; returns how
   * many succeeded. On MySQL other test files run jobs too, so one of them may send this file's mail.
   */
  deliverMail(): Promise<number>;
  close(): Promise<void>;
};

/** The databases this run covers: SQLite always, MySQL/MariaDB when TEST_MYSQL_URL is set. */
export function databaseKinds(): DatabaseKind[] {
  return inject('mysqlUrl') ? ['sqlite', 'mysql'] : ['sqlite'];
}

export function makeTestClock(): TestClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (milliseconds) => {
      offset += milliseconds;
    },
    reset: () => {
      offset = 0;
    },
  };
}

export function testConfig(overrides: Record<string, string> = {}, dataDirectory = os.tmpdir()): Config {
  return loadConfig(
    { NODE_ENV: 'test', BCRYPT_COST: '4', SESSION_SECRET: 'test-secret-that-is-long-enough-0123456789', LOG_LEVEL: 'silent', BASE_URL: 'http://localhost:3000', ...overrides },
    { dataDirectory },
  );
}

/** Opens a real database of the kind (a new SQLite file, or the run's MySQL database) and builds the app on it. */
export async function createTestEnvironment(kind: DatabaseKind, overrides: Record<string, string> = {}): Promise<TestEnvironment> {
  let directory: string | undefined;
  let db: Knex;
  if (kind === 'mysql') {
    db = createDatabase({ databaseUrl: inject('mysqlUrl')!, poolMax: 5 });
  } else {
    directory = mkdtempSync(path.join(os.tmpdir(), 'ebok-test-'));
    db = createDatabase({ sqliteFile: path.join(directory, 'test.sqlite') });
    await migrateToLatest(db);
  }
  const config = testConfig(overrides, directory ?? os.tmpdir());
  const logger = pino({ level: 'silent' });
  const mailer = createMailer({ smtpUrl: undefined, from: 'eBOK <no-reply@ebok.test>', logger });
  const clock = makeTestClock();
  const sessionStore = new KnexSessionStore(db);
  const i18n = createI18n(localesDirectory);
  const deps: AppDeps = { db, config, logger, mailer, sessionStore, clock: clock.now, i18n };
  const app = createApp(deps);
  const jobs = createJobRunner(jobContextOn(db, { mailer, i18n, logger, clock: clock.now, forgetsLinks: false }));
  return {
    kind,
    db,
    app,
    deps,
    config,
    mailer,
    clock,
    links: createLinks(app.locals.pathTo as PathTo, config.baseUrl),
    deliverMail: () => jobs.runDue(),
    async close() {
      mailer.close();
      await db.destroy();
      if (directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a suite once per database kind, each with its own app. The suite reads the environment
 * from the object it is given, filled in before its tests run.
 */
export function describeOnEachDatabase(title: string, suite: (env: TestEnvironment) => void): void {
  for (const kind of databaseKinds()) {
    describe(`${title} [${kind}]`, () => {
      const env = { kind } as TestEnvironment;
      beforeAll(async () => {
        Object.assign(env, await createTestEnvironment(kind));
      });
      afterAll(async () => {
        await env.close?.();
      });
      suite(env);
    });
  }
}

/**
 * Like describeOnEachDatabase, with configuration of its own for the suite's app (FILES_DIR, say),
 * made fresh for each database by `overrides`.
 */
export function describeOnEachDatabaseWith(title: string, overrides: () => Record<string, string>, suite: (env: TestEnvironment) => void): void {
  for (const kind of databaseKinds()) {
    describe(`${title} [${kind}]`, () => {
      const env = { kind } as TestEnvironment;
      beforeAll(async () => {
        Object.assign(env, await createTestEnvironment(kind, overrides()));
      });
      afterAll(async () => {
        await env.close?.();
      });
      suite(env);
    });
  }
}
