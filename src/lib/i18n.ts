import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type i18n as I18n, type TFunction } from 'i18next';

export const supportedLocales = ['pl', 'en'] as const;
export type Locale = (typeof supportedLocales)[number];

export function isSupportedLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (supportedLocales as readonly string[]).includes(value);
}

/**
 * Loads every locales/<language>/<area>.json as namespace <area>; keys read 'auth:signIn.title'.
 * Called once by createApp (reading files is not done at import).
 */
export function createI18n(localesDirectory: string): I18n {
  const resources: Record<string, Record<string, unknown>> = {};
  const namespaces = new Set<string>();
  for (const locale of supportedLocales) {
    resources[locale] = {};
    for (const file of readdirSync(path.join(localesDirectory, locale)).filter((name) => name.endsWith('.json'))) {
      const namespace = file.replace(/\.json$/, '');
      namespaces.add(namespace);
      resources[locale]![namespace] = JSON.parse(readFileSync(path.join(localesDirectory, locale, file), 'utf8'));
    }
  }
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    ns: [...namespaces],
    defaultNS: 'common',
    fallbackLng: 'en',
    supportedLngs: [...supportedLocales],
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  } as Parameters<I18n['init']>[0]);
  return instance;
}

export type Translate = TFunction;
