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

const translators = new WeakMap<I18n, Map<Locale, TFunction>>();

/**
 * The t of one language for pages: i18n.getFixedT(locale), made once per instance and language,
 * with the text of a plain key (no options, or undefined ones: no interpolation, count or context) kept after its first
 * lookup, as the resources never change after createI18n (issue 20: i18next's lookup was a tenth of
 * a page's time). A call with options goes to i18next as it is.
 */
export function translatorFor(i18n: I18n, locale: Locale): TFunction {
  let ofInstance = translators.get(i18n);
  if (!ofInstance) translators.set(i18n, (ofInstance = new Map()));
  const known = ofInstance.get(locale);
  if (known) return known;
  const fixed = i18n.getFixedT(locale);
  const plainTexts = new Map<string, unknown>();
  const translate = ((key: unknown, ...rest: unknown[]) => {
    if (typeof key !== 'string' || rest.some((argument) => argument !== undefined)) return (fixed as unknown as (...args: unknown[]) => unknown)(key, ...rest);
    let text = plainTexts.get(key);
    if (text === undefined) plainTexts.set(key, (text = fixed(key)));
    return text;
  }) as unknown as TFunction;
  ofInstance.set(locale, translate);
  return translate;
}
