import type { NextFunction, Request, Response } from 'express';
import type { i18n as I18n } from 'i18next';
import { fullName } from '../models/user.js';
import { isSupportedLocale, supportedLocales, translatorFor, type Locale } from '../lib/i18n.js';
import { presentationFor } from '../presenters/presentation.js';
import { maskedCsrfToken } from './csrf.js';
import { visitorLocaleOf, visitorTextSizeOf } from './visitor-preferences.js';
import type { Layout, MenuItem } from './routing.js';
import { menuCountsPreparer, type MenuCounts } from './menu-counts.js';

/**
 * The language of a request: the user's choice, else the visitor's (their cookie, or ?lang= after
 * sign-out), else the browser's (Accept-Language), else the tenant's default.
 */
export function chooseLocale(req: Request): Locale {
  if (isSupportedLocale(req.currentUser?.locale)) return req.currentUser.locale;
  const visitorLocale = req.tenant ? visitorLocaleOf(req) : undefined;
  if (visitorLocale) return visitorLocale;
  // A page reached after sign-out carries the language in its address (nothing is stored).
  if (!req.currentUser && isSupportedLocale(req.query?.lang)) return req.query.lang;
  if (req.headers['accept-language']) {
    const accepted = req.acceptsLanguages(...supportedLocales);
    if (isSupportedLocale(accepted)) return accepted;
  }
  if (isSupportedLocale(req.tenant?.defaultLocale)) return req.tenant.defaultLocale;
  return 'pl';
}

/**
 * Sets what every view may use: t, locale, the tenant, the user, the CSRF token (the flash is taken in
 * renderPage), and the reader's formatting (textOf, timeOf, formatDate, formatDateTime, moneyOf: dates
 * in the tenant's time zone).
 */
export function setViewLocals(i18n: I18n) {
  return function viewLocals(req: Request, res: Response, next: NextFunction): void {
    const locale = chooseLocale(req);
    req.locale = locale;
    const base = baseLocals(i18n, locale, req);
    Object.assign(res.locals, base, presentationFor(base.t, locale, req.tenant?.timeZone ?? 'Europe/Warsaw'), {
      tenant: req.tenant,
      currentUser: req.currentUser,
      currentUserName: req.currentUser ? fullName(req.currentUser) : '',
      textSize: req.currentUser?.textSize ?? visitorTextSizeOf(req) ?? 'default',
      csrfToken: () => maskedCsrfToken(req),
      currentPath: req.originalUrl,
      navigationFor: (layout: Layout) => navigationFor(req, layout, res.locals.menuCounts as MenuCounts | undefined),
      prepareLayout: menuCountsPreparer(req, res),
    });
    next();
  };
}

/** Locals that even an error page outside any tenant needs. */
export function baseLocals(i18n: I18n, locale: Locale, req: Request) {
  return {
    t: translatorFor(i18n, locale),
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

/** An entry of the menu; count: how many things wait there (shown beside the label), when it counts any. */
type NavigationItem = { href: string; label: string; isCurrent: boolean; count?: number; overdueCount?: number };

/**
 * The main menu of a signed-in layout: the route table's menu entries of that layout whose guard
 * lets the user's role in (src/routes.ts, menuOf), and that this installation has.
 */
function navigationFor(req: Request, layout: Layout, counts: MenuCounts = {}): NavigationItem[] {
  const role = req.currentUser?.role;
  if (!role) return [];
  const menu = req.app.locals.menu as MenuItem[];
  const shown = menu.filter((entry) => entry.layouts.includes(layout) && entry.roles.includes(role) && (entry.isShownWhen?.(req.deps.config) ?? true) && (!entry.isCountedOnly || counts[entry.name] !== undefined));
  const path = req.originalUrl.split('?')[0]!;
  const items = shown.map((entry) => ({ name: entry.name, href: req.pathTo(entry.name), label: entry.label, isCurrent: false, count: counts[entry.name], overdueCount: counts[`${entry.name}:overdue`] }));
  // The page's own section (routing.ts sectionOf: the customer form is under Customers); a page no
  // route names (an error page) falls back to the longest menu address the address starts with.
  const routeName = req.res?.locals.routeName as string | undefined;
  const section = routeName ? (req.app.locals.sections as Record<Layout, Map<string, string>>)[layout].get(routeName) : undefined;
  const current = section
    ? items.find((item) => item.name === section)
    : items.filter((item) => path === item.href || path.startsWith(`${item.href}/`)).sort((a, b) => b.href.length - a.href.length)[0];
  if (current) current.isCurrent = true;
  return items.map(({ name: _name, ...item }) => item);
}
