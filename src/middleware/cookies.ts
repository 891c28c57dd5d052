import type { CookieOptions, Request, Response } from 'express';

/**
 * The options every cookie of a tenant shares with the session cookie: its path is the tenant's
 * (one provider's portal never sees another's cookies), HttpOnly, SameSite=Lax, and Secure
 * whenever the installation is served over TLS and this request came that way.
 */
export function tenantCookieOptions(req: Request, maxAgeMilliseconds?: number): CookieOptions {
  return {
    path: `/${req.tenant?.slug ?? ''}`,
    httpOnly: true,
    sameSite: 'lax',
    secure: req.deps.config.baseUrl.startsWith('https:') && req.secure,
    ...(maxAgeMilliseconds === undefined ? {} : { maxAge: maxAgeMilliseconds }),
  };
}

/**
 * The value of one cookie the request carries, or undefined. Read from the header itself (the
 * app has no cookie parser: express-session reads its own cookie), the first of that name.
 */
export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== name) continue;
    const value = part.slice(separator + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Sets a cookie of this request's tenant (tenantCookieOptions). */
export function setTenantCookie(req: Request, res: Response, name: string, value: string, maxAgeMilliseconds?: number): void {
  res.cookie(name, value, tenantCookieOptions(req, maxAgeMilliseconds));
}
