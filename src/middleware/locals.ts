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
      navigationFor: (layout: 'portal' | 'staff') => navigationFor(req.tenant?.slug ?? '', layout, req.currentUser?.role, req.originalUrl, req.deps.config.hasDevelopmentMailbox),
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

type NavigationItem = { href: string; label: string; isCurrent: boolean };

/** The main menu of each signed-in layout, by role; later areas add their entries here. */
function navigationFor(slug: string, layout: 'portal' | 'staff', role: Role | undefined, currentPath: string, hasMailbox: boolean): NavigationItem[] {
  const isAdmin = role === 'admin' || role === 'superadmin';
  const entries: Array<[string, string, boolean]> = layout === 'portal'
    ? [
        ['portal', 'common:nav.dashboard', true],
        ['portal/company', 'common:nav.company', true],
      ]
    : [
        ['staff', 'common:nav.dashboard', true],
        ['staff/customers', 'common:nav.customers', true],
        ['staff/change-requests', 'common:nav.changeRequests', true],
        ['admin', 'common:nav.admin', isAdmin],
        ['admin/accounts', 'common:nav.accounts', isAdmin],
        ['admin/groups', 'common:nav.groups', isAdmin],
        ['admin/settings', 'common:nav.settings', isAdmin],
        // The development mailbox (controllers/mailbox.ts) does not exist in production.
        ['admin/mailbox', 'common:nav.mailbox', isAdmin && hasMailbox],
        ['admin/audit-log', 'common:nav.auditLog', role === 'superadmin'],
        ['admin/jobs', 'common:nav.failedJobs', role === 'superadmin'],
      ];
  entries.push(['account', 'common:nav.account', true]);
  const path = currentPath.split('?')[0]!;
  const items = entries.filter(([, , isShown]) => isShown).map(([suffix, label]) => ({ href: `/${slug}/${suffix}`, label, isCurrent: false }));
  // The current entry is the longest one the address starts with (a customer's page is under Customers).
  const current = items.filter((item) => path === item.href || path.startsWith(`${item.href}/`)).sort((a, b) => b.href.length - a.href.length)[0];
  if (current) current.isCurrent = true;
  return items;
}
