import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { watchAvailability, type DatabaseAvailability } from './db/availability.js';
import { redactUrl } from './lib/logger.js';
import { createPathTo, type PathTo } from './lib/urls.js';
import { checkSteps } from './middleware/loaders.js';
import { formRouteOf, menuOf, postOnlyRoutes, sectionsOf } from './middleware/routing.js';
import { publicDirectory, viewsDirectory } from './lib/paths.js';
import { createViewEngine } from './lib/views.js';
import type { AppDeps } from './middleware/context.js';
import { createAssets } from './middleware/assets.js';
import { compressText } from './middleware/compression.js';
import { refuseMultipart, verifyCsrfToken } from './middleware/csrf.js';
import { receiveUploads } from './middleware/uploads.js';
import { handleErrors, notFound, noteErrorAfterResponse } from './middleware/errors.js';
import { requirePasswordChange } from './middleware/guards.js';
import { setViewLocals } from './middleware/locals.js';
import { rememberLastVisited, signedInPagesOf } from './middleware/last-visited.js';
import { holdForUrgentAnnouncement } from './middleware/urgent-announcements.js';
import { loadSessionUser, sessionCookieName, sessionTimeouts } from './middleware/session-user.js';
import { saveSessionBeforeResponding } from './middleware/session-save.js';
import { tenantCookieOptions } from './middleware/cookies.js';
import { loadTenant } from './middleware/tenant.js';
import { routeTable, type RouteDefinition } from './routes.js';

export type { AppDeps };

const tenantPrefix = '/:tenant';

/**
 * Builds the Express app from its dependencies; never listens and opens nothing itself.
 * @throws Error when a route in the table has no guard
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  const { i18n } = deps;
  const availability = watchAvailability(deps.db, deps.logger);
  const errorHandler = handleErrors(i18n, { showStack: !deps.config.isProduction, availability });
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.engine('ejs', createViewEngine({ isCached: deps.config.isProduction }));
  app.set('view engine', 'ejs');
  app.set('views', viewsDirectory);
  app.set('view cache', deps.config.isProduction);

  app.use(requestContext(deps));
  app.use(requestLogger(deps));
  app.use(securityHeaders());
  app.use(compressText());
  const assets = createAssets(publicDirectory, { isProduction: deps.config.isProduction });
  app.locals.asset = assets.urlOf;
  app.use('/assets', assets.serve);

  const table = routeTable();
  const pathTo = createPathTo(table);
  app.locals.pathTo = pathTo;
  app.locals.menu = menuOf(table);
  app.locals.sections = sectionsOf(table);
  const tenantRouter = express.Router({ mergeParams: true });
  tenantRouter.use(loadTenant());
  tenantRouter.use(tenantPaths(pathTo));
  tenantRouter.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200 }));
  tenantRouter.use(sessions(deps, availability));
  tenantRouter.use(saveSessionBeforeResponding(errorHandler));
  tenantRouter.use(noStore);
  tenantRouter.use(loadSessionUser);
  tenantRouter.use(setViewLocals(i18n));
  tenantRouter.use(rememberLastVisited);
  tenantRouter.use(holdForUrgentAnnouncement);
  tenantRouter.use(verifyCsrfToken);
  mountRoutes(app, tenantRouter, table);
  app.locals.signedInPages = signedInPagesOf(table);
  app.use(tenantPrefix, tenantRouter);

  app.use(notFound);
  app.use(errorHandler);
  return app;
}

/**
 * Puts every route of the table on its router, its audience guard first. A route whose guard
 * is missing stops the start: nothing is reachable without a decision about who may reach it.
 */
export function mountRoutes(app: Express, tenantRouter: Router, table: RouteDefinition[]): void {
  for (const entry of table) {
    if (typeof entry.guard !== 'function' || !entry.guard.guardName) {
      throw new Error(`Route ${entry.method} ${entry.path} has no guard: every route in src/routes.ts needs one`);
    }
    checkSteps(entry.name, entry.steps);
  }
  // A reload path without parameters goes first, so that a page's /:userId does not take it for an id.
  mountFormReloads(tenantRouter, table, (path) => !path.includes(':'));
  for (const entry of table) {
    const isTenantRoute = entry.path === tenantPrefix || entry.path.startsWith(`${tenantPrefix}/`);
    const needsPasswordChecked = entry.audience !== 'public' && entry.audience !== 'operations' && !entry.isOpenDuringPasswordChange;
    // A route that takes files reads them once its guard and record steps have let the request through.
    const files = entry.uploads ? [receiveUploads(entry.uploads)] : [];
    const chain = [namedRoute(entry.name), ...(entry.uploads ? [] : [refuseMultipart]), entry.guard, ...(needsPasswordChecked ? [requirePasswordChange] : []), ...entry.steps, ...files, entry.handler];
    const router = isTenantRoute ? tenantRouter : app;
    const path = isTenantRoute ? entry.path.slice(tenantPrefix.length) || '/' : entry.path;
    if (entry.method === 'GET') router.get(path, ...chain);
    else router.post(path, ...chain);
  }
  mountFormReloads(tenantRouter, table, (path) => path.includes(':'));
}

/** Which route answers the request, for the menu to mark the section its page belongs to. */
function namedRoute(name: string) {
  return (_req: Request, res: Response, next: NextFunction) => {
    res.locals.routeName = name;
    next();
  };
}

/**
 * A refused form is shown at the address it was posted to; reloaded, that address is a GET. Each
 * POST-only path answers a GET, after the same guard and record steps as its POST, with a 303 to
 * its form's page (routing.ts formRouteOf), instead of a 404, and a reload never posts again.
 */
function mountFormReloads(tenantRouter: Router, table: RouteDefinition[], isMountedNow: (tenantPath: string) => boolean): void {
  for (const entry of postOnlyRoutes(table)) {
    if (!entry.path.startsWith(`${tenantPrefix}/`) || !isMountedNow(entry.path.slice(tenantPrefix.length))) continue;
    const form = formRouteOf(table, entry);
    const needsPasswordChecked = entry.audience !== 'public' && entry.audience !== 'operations' && !entry.isOpenDuringPasswordChange;
    const toForm = (req: Request, res: Response) => res.redirect(303, req.pathTo(form.name, req.params as Record<string, string>));
    tenantRouter.get(entry.path.slice(tenantPrefix.length), namedRoute(entry.name), entry.guard, ...(needsPasswordChecked ? [requirePasswordChange] : []), ...entry.steps, toForm);
  }
}

/** pathTo on this request's tenant, for controllers (req.pathTo) and views (pathTo). */
function tenantPaths(pathTo: PathTo) {
  return (req: Request, res: Response, next: NextFunction) => {
    const tenant = req.tenant!.slug;
    req.pathTo = (name, parameters = {}, query) => pathTo(name, { tenant, ...parameters }, query);
    res.locals.pathTo = req.pathTo;
    next();
  };
}

function requestContext(deps: AppDeps) {
  return (req: Request, res: Response, next: NextFunction) => {
    req.deps = deps;
    req.requestId = randomUUID();
    res.setHeader('X-Request-Id', req.requestId);
    next();
  };
}

/**
 * One line per request. A 500 carries its error (set by the error handler); a refusal and a 503
 * carry their reason only: an outage is thousands of 503s, and their one cause is logged once
 * (db/availability.ts).
 */
function requestLogger(deps: AppDeps) {
  return pinoHttp({
    logger: deps.logger,
    genReqId: (req) => (req as Request).requestId,
    serializers: {
      req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => (res.statusCode === 503 ? 'warn' : error || res.statusCode >= 500 ? 'error' : 'info'),
    customProps: (_req, res) => {
      const reason = (res as Response).locals?.logReason as string | undefined;
      return reason ? { reason } : {};
    },
    customErrorMessage: (_req, res) => (res.statusCode === 503 ? 'service unavailable' : 'request failed'),
    customErrorObject: (_req, res, _error, fields: Record<string, unknown>) => (res.statusCode === 503 ? { ...fields, err: undefined } : fields),
  });
}

function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
  });
}

/**
 * Sessions in the database, one cookie per tenant (its path is the tenant's), so signing in
 * to one provider's portal never touches another's. Idle timeout through a rolling cookie and
 * a server-side check; the absolute timeout is checked in session-user.ts.
 * `unset` stays 'keep': with 'destroy', a request whose session could not be read (the database
 * away for a moment) deleted that session at its end, signing the user out once it was back.
 * Sessions end only by sign-out (destroy), the timeouts and the refusals (regenerate).
 */
function sessions(deps: AppDeps, availability: DatabaseAvailability) {
  const cookie = (req: Request): session.CookieOptions => tenantCookieOptions(req, sessionTimeouts.idleMilliseconds);
  const middleware = session({
    name: sessionCookieName,
    secret: deps.config.sessionSecret,
    store: deps.sessionStore,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'keep',
    cookie: cookie as unknown as session.CookieOptions,
  });
  // express-session reports a failed write at the end of the response (the expiry not moved)
  // through the next of its own place in the chain, long after the request has left it: the
  // router would hand it past the error handler, to Express's last resort. It is noted here.
  return (req: Request, res: Response, next: NextFunction) =>
    middleware(req, res, (error?: unknown) => (error && res.headersSent ? noteErrorAfterResponse(error, req, availability) : next(error)));
}

/** Pages of a tenant carry personal data: no cache keeps them (the back button after sign-out). */
function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}
