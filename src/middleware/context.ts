import type { i18n as I18n } from 'i18next';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import type { KnexSessionStore } from '../db/session-store.js';
import { watchAvailability } from '../db/availability.js';
import { databaseReadiness, type Readiness } from '../db/health.js';
import { openInstallation, type Installation } from '../db/installation.js';
import { openScope, visitor, type RequestActor, type Scope, type UserActor } from '../db/scope.js';
import type { Logger } from '../lib/logger.js';
import type { Mailer } from '../lib/mail.js';
import type { Clock } from '../lib/time.js';
import { createLinks, type Links, type PathParameters, type PathTo, type QueryParameters } from '../lib/urls.js';
import { actorFor } from '../models/authentication.js';
import { findCustomer, type Customer } from '../models/customer.js';
import type { Tenant } from '../models/tenant.js';
import type { User } from '../models/user.js';

type AccountUser = User;
import type { Request, Response } from 'express';
import { safeReturnPath } from '../validators/preferences.js';
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
      /** The path of a named route on this request's tenant (set once the tenant is known). */
      pathTo: (name: string, parameters?: PathParameters, query?: QueryParameters) => string;
      /** This request's scope, kept while the actor stays the same (scopeOf). */
      scopeCache?: Scope<RequestActor>;
      /** What this request's scopes work out once (scope.memo). */
      memo?: Map<string, unknown>;
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

export function actorOf(user: User): UserActor {
  return { kind: 'user', ...actorFor(user) };
}

/**
 * The scope a model verb needs: this request's tenant, its actor (the signed-in user, else a
 * visitor: a request never acts as system) and the app's clock. One per request and actor, so
 * that what the scope works out once (the settings in force) is not worked out again.
 */
export function scopeOf(req: Request): Scope<RequestActor> {
  const tenant = tenantOf(req);
  const user = req.currentUser;
  const cached = req.scopeCache;
  const isCurrent = cached && (user ? cached.actor.kind === 'user' && cached.actor.id === user.id && cached.actor.role === user.role : cached.actor.kind === 'visitor');
  if (cached && isCurrent) return cached;
  req.memo ??= new Map();
  req.scopeCache = openScope<RequestActor>(req.deps.db, { tenantId: tenant.id, actor: user ? actorOf(user) : visitor, clock: req.deps.clock, memo: req.memo });
  return req.scopeCache;
}

/** The tenants registry, for finding the request's tenant. */
export function installationOf(req: Request): Installation {
  return openInstallation(req.deps.db, req.deps.clock);
}

/** The signed-in client's own customer: a client is never shown another one, whatever the address says. */
export async function clientCustomerOf(req: Request): Promise<Customer> {
  const customerId = currentUserOf(req).customerId;
  if (!customerId) throw new NotFoundError('this client account has no customer');
  return findCustomer(scopeOf(req), customerId);
}

/** Whether the app's database answers with a current schema (the readiness probe). */
export function readinessOf(req: Request): Promise<Readiness> {
  return databaseReadiness(req.deps.db);
}

/** Takes note of a failed query for the outage log; whether it was the database being unreachable. */
export function noteDatabaseFailure(req: Request, error: unknown): boolean {
  return watchAvailability(req.deps.db, req.deps.logger).noteFailure(error);
}

/** Absolute links to this installation for e-mails sent while serving the request. */
export function linksOf(req: Request): Links {
  return createLinks(req.app.locals.pathTo as PathTo, req.deps.config.baseUrl);
}

/** Back to the page a form was on (its returnTo), when that is a page of this tenant; else the tenant's start. */
export function backToPage(req: Request, res: Response, returnTo: unknown): void {
  res.redirect(303, safeReturnPath(returnTo, tenantOf(req).slug, req.pathTo('auth.homes.show')));
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
