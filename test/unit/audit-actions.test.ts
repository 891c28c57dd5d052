import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/lib/i18n.js';
import { localesDirectory } from '../../src/lib/paths.js';
import { supportedLocales } from '../../src/lib/i18n.js';
import { actionKeyOf, actionText } from '../../src/presenters/audit-entries.js';
import { translate } from '../../src/presenters/presentation.js';
import { auditActionsIn, auditActionsInSource } from '../support/audit-actions.js';

const i18n = createI18n(localesDirectory);
const parse = (text: string) => ts.createSourceFile('sample.ts', text, ts.ScriptTarget.Latest, true);

describe('the actions of the audit log', () => {
  it('finds an action however the source gives it: a literal, either side of a condition, a table of actions', () => {
    const sample = parse(`
      await logEvent(trx, { action: 'account.updated', subjectType: 'user' });
      await logEvent(trx, { action: isActive ? 'customer.activated' : 'customer.deactivated' });
      const auditActionOfUse = { setup: 'user.password_link_used', reset: 'user.password_reset' };
      const other = { kind: 'mail.send', label: 'admin:auditLog.title' };
    `);
    expect(auditActionsIn(sample).sort()).toEqual(['account.updated', 'customer.activated', 'customer.deactivated', 'user.password_link_used', 'user.password_reset']);
  });

  it('reads the actions of today’s source, those written through conditions and tables among them', () => {
    const actions = auditActionsInSource();
    expect(actions).toEqual(expect.arrayContaining(['tenant.created', 'customer.activated', 'customer.deactivated', 'user.invitation_used', 'user.password_reset', 'audit.exported']));
  });

  for (const locale of supportedLocales) {
    it(`names every action the source writes in ${locale === 'pl' ? 'Polish' : 'English'}`, () => {
      const t = i18n.getFixedT(locale);
      const missing = auditActionsInSource().filter((action) => !i18n.exists(actionKeyOf(action), { lng: locale, fallbackLng: false }) || t(actionKeyOf(action)) === '');
      expect(missing).toEqual([]);
    });
  }

  it('shows an action that has no translation yet as readable words, not as a key', () => {
    const t = i18n.getFixedT('en');
    expect(translate(t, actionText('account.details_changed'))).toBe('account: details changed');
    expect(translate(t, actionText('customer.updated'))).toBe('Customer data changed');
    expect(translate(i18n.getFixedT('pl'), actionText('customer.updated'))).toBe('Zmieniono dane klienta');
  });
});
