import path from 'node:path';
import ejs from 'ejs';
import { createI18n } from '../../src/lib/i18n.js';
import { localesDirectory, viewsDirectory } from '../../src/lib/paths.js';
import { presentationFor } from '../../src/presenters/presentation.js';

const i18n = createI18n(localesDirectory);

/**
 * Renders one partial of views/partials through EJS with the helpers every page gets (src/middleware/locals.ts):
 * t, textOf, timeOf, formatDate, formatDateTime and moneyOf for a language and the tenant's time zone.
 */
export function renderPartial(name: string, data: Record<string, unknown>, locale: 'pl' | 'en' = 'en', timeZone = 'Europe/Warsaw'): Promise<string> {
  const t = i18n.getFixedT(locale);
  const locals = { t, locale, ...presentationFor(t, locale, timeZone), ...data };
  return ejs.renderFile(path.join(viewsDirectory, 'partials', `${name}.ejs`), locals);
}
