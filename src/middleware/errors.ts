import type { NextFunction, Request, Response } from 'express';
import type { i18n as I18n } from 'i18next';
import { AppError, NotFoundError, ServiceUnavailableError, TooManyRequestsError, isDatabaseUnavailable } from '../lib/errors.js';
import { redactUrl } from '../lib/logger.js';
import { renderPage } from '../lib/render.js';
import { baseLocals, chooseLocale } from './locals.js';

const pagesByStatus = new Set([403, 404, 409, 422, 429, 500, 503]);

/** The catch-all after every route: whatever was not answered is the ordinary 404 page. */
export function notFound(req: Request, _res: Response, next: NextFunction): void {
  next(new NotFoundError(`no route for ${req.method} ${redactUrl(req.path)}`));
}

/**
 * The one error handler. Typed errors become their page; a database that cannot be reached
 * becomes 503; anything else is logged in full and shown as 500 with the request id only
 * (the stack trace too, outside production).
 */
export function handleErrors(i18n: I18n, options: { showStack: boolean }) {
  return function errorHandler(error: unknown, req: Request, res: Response, next: NextFunction): void {
    if (res.headersSent) return next(error);
    const known = toKnownError(error);
    const status = known?.status ?? 500;
    if (status >= 500) req.log?.error({ err: error }, 'request failed');
    else req.log?.info({ status, reason: (error as Error).message }, 'request refused');

    if (!res.locals.t) Object.assign(res.locals, baseLocals(i18n, chooseLocale(req), req));
    if (!req.tenant) res.locals.tenant = undefined;
    // An error page offers forms (language, sign-out) only where a session already exists:
    // a refused request must not start one.
    if (!req.session?.csrfToken) res.locals.csrfToken = undefined;
    if (known instanceof TooManyRequestsError) res.setHeader('Retry-After', String(known.retryAfterSeconds));
    res.setHeader('Cache-Control', 'no-store');
    const view = `errors/${pagesByStatus.has(status) ? status : 500}`;
    renderPage(res, view, {
      title: res.locals.t(`errors:${status}.title`),
      messageKey: known?.messageKey,
      stack: options.showStack && status >= 500 && error instanceof Error ? error.stack : undefined,
    }, status);
  };
}

function toKnownError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) return new ServiceUnavailableError('database unavailable', { cause: error });
  const status = (error as { status?: unknown; type?: unknown }).status;
  // Errors from body-parser and friends carry a 4xx status (malformed or too large): a bad form.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new (class extends AppError {
      readonly status = status === 404 ? 404 : 422;
    })((error as Error).message);
  }
  return undefined;
}
