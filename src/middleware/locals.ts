import type { NextFunction, Request, Response } from 'express';
import type { i18n as I18n } from 'i18next';
import type { Role } from '../db/scope.js';
import { fullName } from '../models/user.js';
import { formatDateTime } from '../lib/time.js';
import { isSupportedLocale, supportedLocales, type Locale } from '../lib/i18n.js';
import { csrfToken } from './csrf.js';

/**
 * The language of a request: the user's choice, else the visitor's (session, or ?lang= after
 * sign-out), else the browser's (Accept-Language), else the tenant's default.
 */
export function chooseLocale(req: Request): Locale {
  if (isSupportedLocale(req.currentUser?.locale)) return req.currentUser.locale;
  if (isSupportedLocale(req.session?.locale)) return req.session.locale;
  // A page reached after sign-out carries the language in its address (nothing is stored).
  if (!req.currentUser && isSupportedLocale(req.query?.lang)) return req.query.lang;
  if (req.headers['accept-language']) {
    const accepted = req.acceptsLanguages(...supportedLocales);
    if (isSupportedLocale(accepted)) return accepted;
  }
  if (isSupportedLocale(req.tenant?.defaultLocale)) return req.tenant.defaultLocale;
  return 'pl';
}

/** Sets what every view may use: t, locale, the tenant, the user, the CSRF token (the flash is taken in renderPage). */
export function setViewLocals(i18n: I18n) {
  return function viewLocals(req: Request, res: Response, next: NextFunction): void {
    const locale = chooseLocale(req);
    req.locale = locale;
    Object.assign(res.locals, baseLocals(i18n, locale, req), {
      tenant: req.tenant,
      currentUser: req.currentUser,
      currentUserName: req.currentUser ? fullName(req.currentUser) : '',
      textSize: req.currentUser?.textSize ?? req.session?.textSize ?? 'default',
      csrfToken: () => csrfToken(req),
      currentPath: req.originalUrl,
      navigationFor: (layout: 'portal' | 'staff') => navigationFor(req.tenant?.slug ?? '', layout, req.currentUser?.role),
      formatDateTime: (date: Date) => formatDateTime(date, locale, req.tenant?.timeZone ?? 'Europe/Warsaw'),
    });
    next();
  };
}

/** Locals that even an error page outside any tenant needs. */
export function baseLocals(i18n: I18n, locale: Locale, req: Request) {
  return {
    t: i18n.getFixedT(locale),
    locale,
    locales: supportedLocales,
    requestId: req.requestId,
    tenant: undefined,
    currentUser: undefined,
    textSize: 'default',
    flash: undefined,
    csrfToken: undefined,
  };
}

type NavigationItem = { href: string; label: string };

/** The main menu of each signed-in layout, by role; later areas add their entries here. */
function navigationFor(slug: string, layout: 'portal' | 'staff', role: Role | undefined): NavigationItem[] {
  const items: NavigationItem[] = [{ href: `/${slug}/${layout}`, label: 'common:nav.dashboard' }];
  if (layout === 'staff' && (role === 'admin' || role === 'superadmin')) items.push({ href: `/${slug}/admin`, label: 'common:nav.admin' });
  if (layout === 'staff' && role === 'superadmin') items.push({ href: `/${slug}/admin/audit-log`, label: 'common:nav.auditLog' });
  items.push({ href: `/${slug}/account`, label: 'common:nav.account' });
  return items;
}
