import type { Request, Response } from 'express';
import { isSupportedLocale, type Locale } from '../lib/i18n.js';
import { textSizes, type TextSize } from '../models/user.js';
import { cookieOf, setTenantCookie } from './cookies.js';

/**
 * A visitor's language and text size live in cookies of the tenant, not in a session: choosing
 * them before sign-in writes no session row, and they stay chosen after sign-out. A signed-in
 * user's choices are kept on the account (controllers/auth/languages.ts, text-sizes.ts).
 */
const localeCookieName = 'ebok.locale';
const textSizeCookieName = 'ebok.text';
const oneYear = 365 * 24 * 60 * 60 * 1000;

/** The visitor's chosen language, if their cookie names one the app speaks. */
export function visitorLocaleOf(req: Request): Locale | undefined {
  const value = cookieOf(req, localeCookieName);
  return isSupportedLocale(value) ? value : undefined;
}

/** The visitor's chosen text size, if their cookie names one the app offers. */
export function visitorTextSizeOf(req: Request): TextSize | undefined {
  const value = cookieOf(req, textSizeCookieName);
  return (textSizes as readonly string[]).includes(value ?? '') ? (value as TextSize) : undefined;
}

export function rememberVisitorLocale(req: Request, res: Response, locale: Locale): void {
  setTenantCookie(req, res, localeCookieName, locale, oneYear);
}

export function rememberVisitorTextSize(req: Request, res: Response, textSize: TextSize): void {
  setTenantCookie(req, res, textSizeCookieName, textSize, oneYear);
}
