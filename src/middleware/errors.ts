import type { NextFunction, Request, Response } from 'express';
import type { i18n as I18n } from 'i18next';
import type { DatabaseAvailability } from '../db/availability.js';
import { AppError, NotFoundError, ServiceUnavailableError, TooManyRequestsError } from '../lib/errors.js';
import { redactUrl } from '../lib/logger.js';
import { renderPage } from '../lib/render.js';
import { baseLocals, chooseLocale } from './locals.js';
import { hasCsrfToken } from './csrf.js';

const pagesByStatus = new Set([403, 404, 409, 422, 429, 500, 503]);

/** The catch-all after every route: whatever was not answered is the ordinary 404 page. */
export function notFound(req: Request, _res: Response, next: NextFunction): void {
  next(new NotFoundError(`no route for ${req.method} ${redactUrl(req.path)}`));
}

/**
 * The one error handler. Typed errors become their page; a database that cannot be reached
 * becomes 503; anything else is shown as 500 with the request id only (the stack trace too,
 * outside production). Each request is logged once, by the request logger in app.ts: this
 * handler gives that line its error (a 500) or its reason (a refusal, a 503).
 */
export function handleErrors(i18n: I18n, options: { showStack: boolean; availability: DatabaseAvailability }) {
  return function errorHandler(error: unknown, req: Request, res: Response, next: NextFunction): void {
    if (res.headersSent) return failedAfterResponse(error, req, res, next, options.availability);
    const known = toKnownError(error, options.availability);
    const status = known?.status ?? 500;
    if (status === 500) res.err = error instanceof Error ? error : new Error(String(error));
    else res.locals.logReason = known?.message;

    if (!res.locals.t) Object.assign(res.locals, baseLocals(i18n, chooseLocale(req), req));
    if (!req.tenant) res.locals.tenant = undefined;
    // An error page offers forms (language, sign-out) only to a request that has a form token
    // already (its session's or its cookie's): a refused request must not be handed a new one.
    if (!hasCsrfToken(req)) res.locals.csrfToken = undefined;
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

/**
 * An error after the response has gone out: the session's expiry could not be moved as the page
 * ended, say. A finished response stands and its connection stays open (Express's last resort
 * would destroy the socket and print the stack); only a response cut in the middle is handed on.
 */
function failedAfterResponse(error: unknown, req: Request, res: Response, next: NextFunction, availability: DatabaseAvailability): void {
  if (!res.writableEnded) return next(error);
  noteErrorAfterResponse(error, req, availability);
}

/** Logs an error that came after its response (once per outage when it is the database's). */
export function noteErrorAfterResponse(error: unknown, req: Request, availability: DatabaseAvailability): void {
  if (!availability.noteFailure(error)) req.log?.error({ err: error }, 'failed after the response was sent');
}

function toKnownError(error: unknown, availability: DatabaseAvailability): AppError | undefined {
  if (error instanceof AppError) return error;
  if (availability.noteFailure(error)) return new ServiceUnavailableError('database unavailable', { cause: error });
  const status = (error as { status?: unknown; type?: unknown }).status;
  // Errors from body-parser and friends carry a 4xx status (malformed or too large): a bad form.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new (class extends AppError {
      readonly status = status === 404 ? 404 : 422;
    })((error as Error).message);
  }
  return undefined;
}
