import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError } from '../lib/errors.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The session's CSRF token, made on first use: only pages that show a form start a session.
 */
export function csrfToken(req: Request): string {
  if (!req.session.csrfToken) req.session.csrfToken = randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

/**
 * Refuses every unsafe request whose `_csrf` field does not match the session's token (403). A
 * multipart form's fields are read only by a route that takes files: its token is checked there,
 * before the first file is written (middleware/uploads.ts), and any other route refuses a
 * multipart request (refuseMultipart), so no route runs without the check.
 */
export function verifyCsrfToken(req: Request, _res: Response, next: NextFunction): void {
  if (safeMethods.has(req.method)) return next();
  if (/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) {
    req.isCsrfLeftToUploads = true;
    return next();
  }
  if (csrfTokenMatches(req, (req.body as Record<string, unknown> | undefined)?._csrf)) return next();
  next(new ForbiddenError('missing or wrong CSRF token', { messageKey: 'errors:csrf' }));
}

/** Whether a token sent with a form is the session's. */
export function csrfTokenMatches(req: Request, sent: unknown): boolean {
  const expected = req.session?.csrfToken;
  return typeof sent === 'string' && typeof expected === 'string' && sameString(sent, expected);
}

/** The first step of every route that takes no files: a multipart request there has shown no token that was checked. */
export function refuseMultipart(req: Request, _res: Response, next: NextFunction): void {
  if (req.isCsrfLeftToUploads) return next(new ForbiddenError('a multipart request to a route that takes no files', { messageKey: 'errors:csrf' }));
  next();
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
