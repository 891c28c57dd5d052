import type { i18n as I18n } from 'i18next';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import type { KnexSessionStore } from '../db/session-store.js';
import type { Actor, Scope } from '../db/scope.js';
import type { Logger } from '../lib/logger.js';
import type { Mailer } from '../lib/mail.js';
import type { Clock } from '../lib/time.js';
import type { Tenant } from '../models/tenant.js';
import type { TextSize, User } from '../models/user.js';

type AccountUser = User;
import type { Request } from 'express';
import { NotFoundError } from '../lib/errors.js';

/** What createApp receives; every request can reach it as req.deps. */
export type AppDeps = {
  db: Knex;
  config: Config;
  logger: Logger;
  mailer: Mailer;
  sessionStore: KnexSessionStore;
  clock: Clock;
  /** Translations, shared by pages and the e-mail sender (createI18n). */
  i18n: I18n;
};

export type FlashMessage = { type: 'success' | 'info' | 'error'; key: string };

declare module 'express-session' {
  interface SessionData {
    userId: number;
    tenantId: number;
    /** When the user signed in (ms), for the absolute timeout. */
    signedInAt: number;
    /** When the user was last seen (ms), for the idle timeout. */
    lastSeenAt: number;
    csrfToken: string;
    locale: string;
    textSize: TextSize;
    flash: FlashMessage;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      deps: AppDeps;
      tenant?: Tenant;
      currentUser?: AccountUser;
      locale: string;
      requestId: string;
    }
  }
}

export function tenantOf(req: Request): Tenant {
  if (!req.tenant) throw new Error('tenant middleware has not run for this route');
  return req.tenant;
}

export function currentUserOf(req: Request): User {
  if (!req.currentUser) throw new Error('a signed-in route was reached without a user: its guard is missing');
  return req.currentUser;
}

export function actorOf(user: User): Actor {
  return { id: user.id, tenantId: user.tenantId, role: user.role, customerId: user.customerId };
}

/** The scope a model verb needs: this request's database, tenant and actor. */
export function scopeOf(req: Request): Scope {
  const tenant = tenantOf(req);
  return { db: req.deps.db, tenantId: tenant.id, actor: req.currentUser ? actorOf(req.currentUser) : null };
}

/** Where a tenant's page lives: tenantPath(req, 'portal') gives /acme/portal. */
export function tenantPath(req: Request, suffix = ''): string {
  const slug = tenantOf(req).slug;
  return suffix ? `/${slug}/${suffix.replace(/^\//, '')}` : `/${slug}`;
}

export function setFlash(req: Request, type: FlashMessage['type'], key: string): void {
  req.session.flash = { type, key };
}

/**
 * A record id from the URL (`:customerId`, `:userId`…): a positive whole number in plain digits, or
 * the page is not found — "1e3", " 7" or "07" never reach a query.
 */
export function idParameter(req: Request, name: string): number {
  const value = String(req.params[name] ?? '');
  const id = Number(value);
  if (!/^[1-9]\d{0,9}$/.test(value) || id > 2_147_483_647) throw new NotFoundError(`${name} ${value} is not an id`);
  return id;
}
