import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError } from '../lib/errors.js';
import { cookieOf, setTenantCookie } from './cookies.js';
import { sessionTimeouts } from './session-timeouts.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The visitor's form token before sign-in: `<token>.<HMAC-SHA256 of tenant and token>`. */
export const csrfCookieName = 'ebok.csrf';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The visitor's cookie token once this request has read or made it (csrfToken). */
      visitorCsrfToken?: string;
      /** The form token as this response shows it, and the token it masks (maskedCsrfToken). */
      maskedCsrfToken?: { token: string; masked: string };
    }
  }
}

/**
 * The form token of this request. A session that has one keeps using it, and a signed-in session
 * gets one (beginSession makes it at sign-in). A visitor who has not signed in gets theirs in a
 * signed cookie instead, so that showing the sign-in form (or any public form) writes no session
 * row: the token is bound to the browser by the cookie and to the tenant by the signature.
 */
export function csrfToken(req: Request): string {
  if (req.session?.csrfToken) return req.session.csrfToken;
  if (req.session?.userId) return (req.session.csrfToken = newCsrfToken());
  return visitorCsrfToken(req);
}

/** A fresh random token. */
export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The visitor's token, from their cookie when its signature holds, else a new one. The cookie is
 * set again with every page that shows a form, so it lasts as long as an idle session would.
 */
function visitorCsrfToken(req: Request): string {
  if (req.visitorCsrfToken) return req.visitorCsrfToken;
  const token = csrfTokenOfCookie(req) ?? newCsrfToken();
  req.visitorCsrfToken = token;
  if (req.res && !req.res.headersSent) setTenantCookie(req, req.res, csrfCookieName, `${token}.${signatureOf(req, token)}`, sessionTimeouts.idleMilliseconds);
  return token;
}

/** Whether this request has a form token already (the session's, or a cookie that is the app's own), without making one. */
export function hasCsrfToken(req: Request): boolean {
  return Boolean(req.session?.csrfToken ?? csrfTokenOfCookie(req));
}

/** The token of the visitor's cookie, if the cookie was signed by this app for this tenant. */
function csrfTokenOfCookie(req: Request): string | undefined {
  const value = cookieOf(req, csrfCookieName);
  const separator = value?.lastIndexOf('.') ?? -1;
  if (!value || separator <= 0 || !req.tenant) return undefined;
  const token = value.slice(0, separator);
  return sameString(value.slice(separator + 1), signatureOf(req, token)) ? token : undefined;
}

/** HMAC-SHA256 with the session secret over the tenant and the token: a cookie of one tenant is worthless at another. */
function signatureOf(req: Request, token: string): string {
  return createHmac('sha256', req.deps.config.sessionSecret).update(`csrf:${req.tenant?.id ?? 0}:${token}`).digest('base64url');
}

/**
 * Refuses every unsafe request whose `_csrf` field does not match the request's token (403). A
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

/**
 * Whether a token sent with a form is this request's: the session's when the session has one,
 * otherwise the one in the visitor's signed cookie (a double submit: a page of another site can
 * neither read that cookie nor make one the signature accepts).
 */
export function csrfTokenMatches(req: Request, sent: unknown): boolean {
  // A signed-in session has its own token (csrfToken makes it): the visitor's cookie is never enough there.
  const expected = req.session?.userId ? req.session.csrfToken : (req.session?.csrfToken ?? csrfTokenOfCookie(req));
  return typeof sent === 'string' && typeof expected === 'string' && sameString(unmaskedCsrfToken(sent), expected);
}

/**
 * The token as a page shows it: a fresh random pad and the token XORed with it, so that no two
 * responses carry the same bytes. Pages are compressed, and a page that echoes what the requester
 * typed (a search) beside a constant secret lets an eavesdropper guess the secret from the
 * compressed sizes (BREACH); a masked token is never constant. One mask serves every form of a
 * response (a page has up to a dozen: the header's language and text-size forms, the start page's
 * own): what BREACH needs is a secret that differs between responses. A token that changes while
 * the response is drawn gets a mask of its own.
 */
export function maskedCsrfToken(req: Request): string {
  const token = csrfToken(req);
  if (req.maskedCsrfToken?.token === token) return req.maskedCsrfToken.masked;
  const bytes = Buffer.from(token);
  const pad = randomBytes(bytes.length);
  const masked = Buffer.concat([pad, xor(bytes, pad)]).toString('base64url');
  req.maskedCsrfToken = { token, masked };
  return masked;
}

/** The token a form sent, unmasked when it was masked (maskedCsrfToken); a plain token as it came. */
export function unmaskedCsrfToken(sent: string): string {
  if (sent.length <= plainTokenLength) return sent;
  const bytes = Buffer.from(sent, 'base64url');
  if (bytes.length % 2 !== 0) return '';
  const half = bytes.length / 2;
  return xor(bytes.subarray(half), bytes.subarray(0, half)).toString();
}

/** The length of a plain token (32 random bytes in base64url); a masked one is more than twice as long. */
const plainTokenLength = 43;

function xor(data: Buffer, pad: Buffer): Buffer {
  const out = Buffer.alloc(data.length);
  for (let index = 0; index < data.length; index += 1) out[index] = data[index]! ^ pad[index]!;
  return out;
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
