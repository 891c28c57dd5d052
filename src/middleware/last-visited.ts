import type { NextFunction, Request, Response } from 'express';
import type { Role } from '../db/scope.js';
import { findProfile, rememberVisitedPath } from '../models/profile.js';
import { settingsInForce } from '../models/settings.js';
import type { User } from '../models/user.js';
import type { RouteDefinition } from './routing.js';
import { safeReturnPath } from '../validators/preferences.js';
import { scopeOf, tenantOf } from './context.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** users.last_visited_path as loaded with the user (session-user.ts), so an unchanged page is not written again. */
      lastVisitedPath?: string | null;
    }
  }
}

/** The longest address kept (the column's size); a longer one is simply not remembered. */
const longestPath = 500;

type SignedInPage = { name: string; pattern: RegExp; roles: readonly Role[] };

/**
 * The signed-in GET pages of a route table, as patterns on the part after the tenant, with the
 * roles that may open each (its guard's). createApp builds the list once and keeps it in app.locals.
 */
export function signedInPagesOf(table: readonly RouteDefinition[]): SignedInPage[] {
  return table
    .filter((route) => route.method === 'GET' && route.path.startsWith('/:tenant/') && route.guard.rolesServed.length > 0 && !/[*{]/.test(route.path))
    .map((route) => {
      const rest = route.path.slice('/:tenant'.length).replace(/[.+?^$()[\]|\\]/g, '\\$&');
      return { name: route.name, pattern: new RegExp(`^${rest.replace(/:\w+/g, '[^/]+')}$`), roles: route.guard.rolesServed };
    });
}

function pagesOf(req: Request): SignedInPage[] {
  return req.app.locals.signedInPages as SignedInPage[];
}

/**
 * Whether an address is a page of this tenant that the role may open today: a page of the route
 * table in one of the role's audiences. Sign-in, one-time links and anything removed since are not.
 */
export function isPageFor(req: Request, path: string, role: Role): boolean {
  const slug = tenantOf(req).slug;
  if (path.length > longestPath || safeReturnPath(path, slug, '') !== path) return false;
  const rest = path.slice(slug.length + 1).split('?')[0]!;
  return pagesOf(req).some((page) => page.roles.includes(role) && page.pattern.test(rest));
}

/**
 * Remembers the last page a signed-in user saw (A10): only a GET that renders a page with 200,
 * so redirects, errors and form submissions never count, and only when it differs from the one
 * stored, so an ordinary page view writes nothing. Written before the page is sent.
 */
export function rememberLastVisited(req: Request, res: Response, next: NextFunction): void {
  const user = req.currentUser;
  if (req.method !== 'GET' || !user || user.mustChangePassword) return next();
  const render = res.render.bind(res) as (view: string, options?: object, callback?: (error: Error, html: string) => void) => void;
  const renderAfterRemembering = (view: string, options?: object, callback?: (error: Error, html: string) => void): void => {
    // Only the path is kept: a query string from a link someone sent must not steer the next sign-in.
    const path = req.originalUrl.split('?')[0]!;
    if (res.statusCode !== 200 || path === req.lastVisitedPath || !isPageFor(req, path, user.role)) return render(view, options, callback);
    rememberVisitedPath(scopeOf(req), user.id, path)
      .then(() => {
        req.lastVisitedPath = path;
      })
      .catch((error: unknown) => req.log?.warn({ err: error }, 'last visited page not remembered'))
      .finally(() => render(view, options, callback));
  };
  res.render = renderAfterRemembering as Response['render'];
  next();
}

/** The ticket list of the user's side, once the tickets issue has added it to the route table. */
function ticketListPath(req: Request, user: User): string | undefined {
  const name = user.role === 'client' ? 'portal.tickets.index' : 'staff.tasks.index';
  return pagesOf(req).some((page) => page.name === name) ? req.pathTo(name) : undefined;
}

/** Where a user belongs: clients in the portal, staff in the staff panel. */
export function dashboardPathFor(req: Request, user: Pick<User, 'role'>): string {
  return req.pathTo(user.role === 'client' ? 'portal.dashboards.show' : 'staff.dashboards.show');
}

/**
 * Where a user goes after signing in with no page asked for (A10): the last page visited while
 * it is still a page they may open, the ticket list (the dashboard until tickets exist), or the
 * dashboard.
 */
export async function landingPathFor(req: Request, user: User): Promise<string> {
  const dashboard = dashboardPathFor(req, user);
  // The account's settings are kept between requests; the user's row is read only for the last page.
  const landingPage = (await settingsInForce(scopeOf(req), { accountId: user.id }))['account.landing_page'].value;
  if (landingPage === 'last') {
    const { lastVisitedPath } = await findProfile(scopeOf(req), user.id);
    if (lastVisitedPath && isPageFor(req, lastVisitedPath, user.role)) return lastVisitedPath;
  }
  if (landingPage === 'tickets') return ticketListPath(req, user) ?? dashboard;
  return dashboard;
}
