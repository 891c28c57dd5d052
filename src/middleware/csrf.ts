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

/** Refuses every unsafe request whose `_csrf` field does not match the session's token (403). */
export function verifyCsrfToken(req: Request, _res: Response, next: NextFunction): void {
  if (safeMethods.has(req.method)) return next();
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
  const expected = req.session?.csrfToken;
  if (typeof sent === 'string' && typeof expected === 'string' && sameString(sent, expected)) return next();
  next(new ForbiddenError('missing or wrong CSRF token', { messageKey: 'errors:csrf' }));
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
