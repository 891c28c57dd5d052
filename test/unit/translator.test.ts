import { describe, expect, it } from 'vitest';
import { createI18n, translatorFor } from '../../src/lib/i18n.js';
import { localesDirectory } from '../../src/lib/paths.js';

describe('the pages’ t (translatorFor)', () => {
  const i18n = createI18n(localesDirectory);

  it('gives the same texts as i18next, plain keys, interpolation and plurals alike', () => {
    for (const locale of ['pl', 'en'] as const) {
      const fixed = i18n.getFixedT(locale);
      const t = translatorFor(i18n, locale);
      for (let round = 0; round < 2; round += 1) {
        expect(t('common:pagination.positionOpen', { page: 3 })).toBe(fixed('common:pagination.positionOpen', { page: 3 }));
        expect(t('common:pagination.position', { page: 2, pages: 9 })).toBe(fixed('common:pagination.position', { page: 2, pages: 9 }));
        expect(t('auth:signIn.title')).toBe(fixed('auth:signIn.title'));
        expect(t('auth:signIn.title', undefined)).toBe(fixed('auth:signIn.title'));
        expect(t('no:such.key')).toBe('such.key');
      }
    }
    expect(translatorFor(i18n, 'pl')('auth:signIn.title')).not.toBe(translatorFor(i18n, 'en')('auth:signIn.title'));
  });

  it('is made once per instance and language, and a second instance has its own', () => {
    expect(translatorFor(i18n, 'pl')).toBe(translatorFor(i18n, 'pl'));
    expect(translatorFor(i18n, 'pl')).not.toBe(translatorFor(i18n, 'en'));
    expect(translatorFor(createI18n(localesDirectory), 'pl')).not.toBe(translatorFor(i18n, 'pl'));
  });
});
