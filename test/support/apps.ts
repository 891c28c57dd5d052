import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { createApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { KnexSessionStore } from '../../src/db/session-store.js';
import { createI18n } from '../../src/lib/i18n.js';
import { createMailer } from '../../src/lib/mail.js';
import type { Logger } from '../../src/lib/logger.js';
import { localesDirectory } from '../../src/lib/paths.js';
import type { AppDeps } from '../../src/middleware/context.js';
import { testConfig } from './environment.js';

/**
 * The app on a database the test opened itself (one that is down, not migrated, or written by
 * another process), with the same dependencies as createTestEnvironment, or the given logger (to
 * read what it logs). close() leaves the database to whoever opened it.
 */
export function createAppOnDatabase(db: Knex, options: { config?: Record<string, string>; logger?: Logger } = {}): { app: Express; config: Config; close(): void } {
  const config = testConfig(options.config);
  const logger = options.logger ?? pino({ level: 'silent' });
  const mailer = createMailer({ smtpUrl: undefined, from: 'eBOK <no-reply@ebok.test>', logger });
  const deps: AppDeps = { db, config, logger, mailer, sessionStore: new KnexSessionStore(db), clock: () => new Date(), i18n: createI18n(localesDirectory) };
  return { app: createApp(deps), config, close: () => mailer.close() };
}

/** The app on a port of its own (127.0.0.1), counting the connections it accepts; close() ends them too. */
export async function listenCountingConnections(app: Express): Promise<{ baseUrl: string; connections(): number; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  let connections = 0;
  server.on('connection', () => (connections += 1));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A session cookie for a session id, signed with the app's secret the way express-session signs
 * it: what a browser that had been given this session would send.
 */
export function signedSessionCookie(sessionId: string, secret: string): string {
  const signature = createHmac('sha256', secret).update(sessionId).digest('base64').replace(/=+$/, '');
  return `ebok.sid=${encodeURIComponent(`s:${sessionId}.${signature}`)}`;
}

/** The SQL statements a database runs while `work` runs (knex's query event), to show what a request wrote. */
export async function statementsDuring(db: Knex, work: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const record = (query: { sql: string }) => statements.push(query.sql);
  db.on('query', record);
  try {
    await work();
  } finally {
    db.off('query', record);
  }
  return statements;
}

export const isWrite = (sql: string) => /^\s*(insert|update|delete|replace)\b/i.test(sql);
