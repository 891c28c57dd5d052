import type { RequestHandler } from 'express';
import * as accountPasswords from './controllers/account-passwords.js';
import * as accounts from './controllers/accounts.js';
import * as auditLog from './controllers/audit-log.js';
import * as dashboards from './controllers/dashboards.js';
import * as health from './controllers/health.js';
import * as home from './controllers/home.js';
import * as passwordSetups from './controllers/password-setups.js';
import * as preferences from './controllers/preferences.js';
import * as sessions from './controllers/sessions.js';
import { createPassport } from './middleware/auth.js';
import { guards, type Guard } from './middleware/guards.js';

/**
 * Who a route is for. Each audience has one guard, put first on each of its routes:
 * operations and public are open, account needs any signed-in user, portal a client,
 * staff a caretaker or above, admin an admin or above, superadmin a superadmin.
 */
export const audienceGuards = {
  operations: guards.operations,
  public: guards.anyone,
  account: guards.signedIn,
  portal: guards.client,
  staff: guards.staff,
  admin: guards.admin,
  superadmin: guards.superadmin,
} as const satisfies Record<string, Guard>;

export type Audience = keyof typeof audienceGuards;

export type RouteDefinition = {
  method: 'GET' | 'POST';
  path: string;
  audience: Audience;
  guard: Guard;
  handlers: RequestHandler[];
  /** Open to a user who must first change their password (the password page, sign-out). */
  isOpenDuringPasswordChange: boolean;
};

type Options = { isOpenDuringPasswordChange?: boolean };

function route(method: RouteDefinition['method'], path: string, audience: Audience, handler: RequestHandler | RequestHandler[], options: Options = {}): RouteDefinition {
  return {
    method,
    path,
    audience,
    guard: audienceGuards[audience],
    handlers: Array.isArray(handler) ? handler : [handler],
    isOpenDuringPasswordChange: options.isOpenDuringPasswordChange ?? false,
  };
}

const duringPasswordChange: Options = { isOpenDuringPasswordChange: true };

/** THE route table: every URL of the application, one per line. Builds no connections. */
export function routeTable(): RouteDefinition[] {
  const authenticator = createPassport();
  return [
    route('GET', '/healthz', 'operations', health.live),
    route('GET', '/readyz', 'operations', health.ready),

    route('GET', '/:tenant', 'public', home.show),
    route('GET', '/:tenant/login', 'public', sessions.newSession),
    route('POST', '/:tenant/login', 'public', sessions.createSession(authenticator)),
    route('POST', '/:tenant/language', 'public', preferences.updateLanguage),
    route('POST', '/:tenant/text-size', 'public', preferences.updateTextSize),
    route('GET', '/:tenant/password-setup/:token', 'public', passwordSetups.show),
    route('POST', '/:tenant/password-setup/:token', 'public', passwordSetups.update),
    // public: invitations and password resets (A7, A11)

    route('POST', '/:tenant/logout', 'account', sessions.destroySession, duringPasswordChange),
    route('GET', '/:tenant/account', 'account', accounts.show),
    // account: profile and preferences (A9, A10)
    route('GET', '/:tenant/account/password', 'account', accountPasswords.edit, duringPasswordChange),
    route('POST', '/:tenant/account/password', 'account', accountPasswords.update, duringPasswordChange),

    route('GET', '/:tenant/portal', 'portal', dashboards.portal),
    // portal: company data and change requests (A13)

    route('GET', '/:tenant/staff', 'staff', dashboards.staff),
    // staff: customers (D1, A2)
    // staff: a customer's client accounts and invitations (A3, A7)
    // staff: customer change requests (A13)

    route('GET', '/:tenant/admin', 'admin', dashboards.admin),
    // admin: customers (D1)
    // admin: accounts panel (A4)
    // admin: groups (A5)
    // admin: settings (A6, D5) and the development mailbox

    route('GET', '/:tenant/admin/audit-log', 'superadmin', auditLog.index),
  ];
}

/** One JSON-ready line per route, as `npm run routes` prints it. */
export function describeRoutes(table: RouteDefinition[]): Array<{ method: string; path: string; audience: Audience; guard: string }> {
  return table.map((entry) => ({ method: entry.method, path: entry.path, audience: entry.audience, guard: entry.guard.guardName }));
}
