import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { agingBuckets } from '../../src/lib/aging.js';
import { reportColumns, reportIds } from '../../src/models/portlet-registry.js';
import { ownedTables, purgeKinds } from '../../src/models/purge-plan.js';
import { describe, expect, it } from 'vitest';
import { roles } from '../../src/db/scope.js';
import { supportedLocales } from '../../src/lib/i18n.js';
import { localesDirectory, projectRoot } from '../../src/lib/paths.js';
import { mailTemplates } from '../../src/models/outbox.js';
import { settingLevels } from '../../src/models/setting-registry.js';
import { ticketStatuses } from '../../src/models/ticket-status.js';
import { textSizes } from '../../src/models/user.js';
import { auditActionsInSource } from '../support/audit-actions.js';
import { billingCurrencies, billingDetailsFields } from '../../src/validators/billing-details.js';
import { correctionDirections } from '../../src/validators/ledger-entry.js';

type Messages = Map<string, string>;

const pluralSuffix = /_(zero|one|two|few|many|other)$/;
const namespaces = readdirSync(path.join(localesDirectory, 'pl'))
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.replace(/\.json$/, ''));

/** Every message of a language as 'namespace:dotted.key' → text. */
function messagesOf(locale: string): Messages {
  const messages: Messages = new Map();
  const walk = (prefix: string, value: unknown): void => {
    if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(prefix.endsWith(':') ? `${prefix}${key}` : `${prefix}.${key}`, child);
    } else {
      messages.set(prefix, value as string);
    }
  };
  for (const file of readdirSync(path.join(localesDirectory, locale)).filter((name) => name.endsWith('.json'))) {
    walk(`${file.replace(/\.json$/, '')}:`, JSON.parse(readFileSync(path.join(localesDirectory, locale, file), 'utf8')));
  }
  return messages;
}

const messages = Object.fromEntries(supportedLocales.map((locale) => [locale, messagesOf(locale)])) as Record<string, Messages>;
const withoutPlurals = (keys: Iterable<string>) => [...new Set([...keys].map((key) => key.replace(pluralSuffix, '')))].sort();

/** A key is there as itself or as a plural (key_one … key_other), as i18next resolves it. */
function hasKey(locale: string, key: string): boolean {
  const found = messages[locale]!;
  return found.has(key) || (found.has(`${key}_one`) && found.has(`${key}_other`));
}

function sourceFiles(directory: string, extension: string): string[] {
  return readdirSync(path.join(projectRoot, directory), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(extension))
    .map((file) => path.join(projectRoot, directory, file));
}

/**
 * Every quoted 'namespace:key' literal in the views and the source, keyed by where it was seen; a
 * template literal's key built at run time (`settings:source.${level}`) is seen as its prefix.
 */
function keysUsedInCode(): Map<string, string> {
  const literal = new RegExp(`['"\`]((?:${namespaces.join('|')}):[A-Za-z0-9_.]*)(?:['"\`]|\\$\\{)`, 'g');
  const used = new Map<string, string>();
  // The CLI speaks English only, and its command names ('audit:verify') look like keys.
  const translated = sourceFiles('src', '.ts').filter((file) => !file.startsWith(path.join(projectRoot, 'src', 'cli')));
  for (const file of [...sourceFiles('views', '.ejs'), ...translated]) {
    for (const match of readFileSync(file, 'utf8').matchAll(literal)) used.set(match[1]!, path.relative(projectRoot, file));
  }
  return used;
}

/**
 * Keys built at run time ('common:roles.' + role) cannot be found by a search, so each prefix
 * the code uses is expanded here from the values the code can give it.
 */
const dynamicKeys: Record<string, string[]> = {
  'common:roles.': [...roles],
  // views/admin/announcements: the kind of an announcement's audience.
  'announcements:audience.': ['all', 'group', 'customer', 'account'],
  'payments:entry.heading.': ['invoice', 'payment', 'correction'],
  'payments:entry.title.': ['invoice', 'payment', 'correction'],
  'payments:kind.': ['invoice', 'payment', 'correction'],
  'payments:status.': ['pending', 'approved', 'rejected'],
  'payments:method.': ['transfer', 'cash', 'card', 'other'],
  'billingDetails:fields.': [...billingDetailsFields],
  'billingDetails:currency.': [...billingCurrencies],
  'payments:correction.direction.': [...correctionDirections],
  'common:language.': [...supportedLocales, 'label'],
  'common:textSize.': [...textSizes, 'label'],
  'auth:link.': ['expired', 'used', 'unknown'],
  'errors:': [403, 404, 409, 422, 429, 500, 503].flatMap((status) => [`${status}.title`, `${status}.text`]),
  // form.ts only asks whether a message starts with 'validation:'.
  'validation:': [],
  // presenters/audit-entries.ts shows 'audit:' + action with its first dot made an underscore.
  'audit:': auditActionsInSource().map((action) => action.replace('.', '_')),
  // presenters/audit-entries.ts names the kinds of record the audit log looks up, and the CSV export's columns.
  'admin:auditLog.subjects.': ['user', 'customer', 'group', 'tenant', 'job', 'ticket', 'ticket_category', 'ledger_entry', 'import', 'mail_intake', 'announcement', 'purge_request'],
  'admin:auditLog.csv.': ['sequence', 'when', 'who', 'action', 'actionCode', 'subject', 'details', 'ip'],
  // presenters/audit-entries.ts, detailsText: the names of the details the models record (an unknown one is shown as recorded).
  'admin:auditLog.detailNames.': ['fields', 'role', 'from', 'to', 'rows', 'slug', 'name', 'membersMoved', 'requestId', 'action', 'subject', 'subjectType', 'actor', 'assigneeId', 'customerId', 'source', 'messageId', 'isOnBehalf', 'ticketId', 'costLineId', 'kind', 'approved', 'customer', 'customers', 'messages', 'documentId', 'files', 'created', 'changed', 'unchanged', 'errors', 'audience', 'isUrgent', 'sendsEmail', 'isScheduled', 'readingsCleared', 'targetId', 'counts', 'tables', 'isKnownLogin', 'seconds', 'route'],
  // presenters/audit-entries.ts, detailsText: the recorded codes it shows in words.
  'admin:auditLog.detailValues.': ['true', 'false', 'manual', 'import'],
  // controllers/staff/_cost-line-page.ts names the fields of a cost line both people changed.
  'pricing:fields.': ['kind', 'description', 'quantity', 'unitPrice', 'vatRate'],
  // views/staff/dashboards/_audit-verification.ejs: the kinds of break that lib/audit-chain.ts finds.
  'dashboard:staffHome.auditVerification.break.': ['edited', 'missing', 'out-of-place'],
  // presenters/mail-intake.ts: the states of a kept e-mail message.
  'mailIntake:statuses.': ['received', 'filed', 'unmatched', 'failed', 'discarded'],
  // presenters/mail-intake.ts: the known reasons a message could not be filed, as models/ticket-mail-intake.ts records them.
  'mailIntake:failures.': ['noSender', 'empty', 'tooLarge', 'mayNotReply', 'noCategory'],
  // lib/mail-templates.ts: each message's subject and body.
  'mail:': mailTemplates.flatMap((template) => [`${template}.subject`, `${template}.body`]),
  // models/ticket-notifications.ts: a status e-mail names the new status, translated as the message is written (statusKey).
  'tickets:status.': [...ticketStatuses],
  // presenters/purges.ts: the tables a purge removes rows of (purge-plan.ts), the kinds of target and the states of a request.
  'purge:tables.': [...new Set(['customers', ...ownedTables.map((owned) => owned.table)])],
  'purge:kinds.': [...purgeKinds],
  'purge:statuses.': ['requested', 'run', 'cancelled'],
  // presenters/settings.ts, sourceText: where a value in force comes from.
  'settings:source.': [...settingLevels, 'default', 'here', 'namedGroup'],
  // presenters/client-reports.ts and the report controllers: each report's columns, its files' names, the periods.
  'portlets:columns.': reportIds.flatMap((id) => reportColumns[id].map((column) => `${id}.${column}`)),
  'portlets:fileNames.': [...reportIds],
  // models/client-reports.ts: the client's aging report names its buckets as the staff's aging does.
  'reports:bucket.': [...agingBuckets],
  'portlets:period.': ['thisMonth', 'lastMonthsCount', 'thisYear', 'range'],
  // views/admin/group-portlets/_report-settings.ejs: the periods and orders a report portlet may have.
  'portlets:group.periods.': ['thisMonth', 'lastMonths', 'thisYear', 'range'],
  'portlets:group.sorts.': ['newest', 'oldest', 'largest', 'currentFirst', 'overdueFirst'],
  // presenters/data-imports.ts and views/admin/imports: the kinds, states and outcomes of an import (M7).
  'imports:kinds.': ['customers', 'invoices', 'payments'],
  'imports:formats.columns.': ['customers', 'invoices', 'payments'],
  'imports:status.': ['queued', 'checking', 'writing', 'done', 'refused', 'failed'],
  'imports:outcome.': ['dryRun', 'real'].flatMap((mode) => ['done', 'refused', 'failed'].map((status) => `${mode}.${status}`)),
  // models/import-run.ts: a file that cannot be read, by the reason of lib/csv-reading.ts CsvFileError.
  'imports:file.': ['empty', 'header', 'quotes', 'encoding'],
};


describe('locales', () => {
  it('has the same files in every language', () => {
    for (const locale of supportedLocales) {
      expect(readdirSync(path.join(localesDirectory, locale)).sort(), locale).toEqual(readdirSync(path.join(localesDirectory, 'pl')).sort());
    }
  });

  it('has the same keys in Polish and English, plural forms aside', () => {
    expect(withoutPlurals(messages.en!.keys())).toEqual(withoutPlurals(messages.pl!.keys()));
  });

  it('has no empty or non-text messages', () => {
    for (const locale of supportedLocales) {
      for (const [key, text] of messages[locale]!) {
        expect(typeof text, `${locale} ${key}`).toBe('string');
        expect(text.trim(), `${locale} ${key}`).not.toBe('');
      }
    }
  });

  it('gives each plural every form its language needs', () => {
    for (const locale of supportedLocales) {
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      const plurals = withoutPlurals([...messages[locale]!.keys()].filter((key) => pluralSuffix.test(key)));
      for (const key of plurals) {
        for (const category of categories) expect(messages[locale]!.has(`${key}_${category}`), `${locale} ${key}_${category}`).toBe(true);
      }
    }
  });

  it('uses the same placeholders in every language', () => {
    const placeholders = (locale: string, key: string) =>
      [...new Set([...messages[locale]!].filter(([name]) => name.replace(pluralSuffix, '') === key).flatMap(([, text]) => text.match(/{{\s*\w+\s*}}/g) ?? []))].sort();
    for (const key of withoutPlurals(messages.pl!.keys())) expect(placeholders('en', key), key).toEqual(placeholders('pl', key));
  });

  it('never puts a full stop right after a company name, which often ends with one (sp. z o.o.)', () => {
    for (const locale of supportedLocales) {
      for (const [key, text] of messages[locale]!) expect(text, `${locale} ${key}`).not.toMatch(/{{\s*(tenant|customer)\s*}}\./);
    }
  });

  it('translates every key that the views and the source use, in every language', () => {
    const used = keysUsedInCode();
    expect(used.size).toBeGreaterThan(30);
    const missing: string[] = [];
    for (const [key, file] of used) {
      if (key.endsWith('.') || key.endsWith(':')) {
        if (!(key in dynamicKeys)) missing.push(`${key} (built at run time in ${file}: list its values in dynamicKeys)`);
        continue;
      }
      for (const locale of supportedLocales) if (!hasKey(locale, key)) missing.push(`${locale} ${key} (${file})`);
    }
    expect(missing).toEqual([]);
  });

  it('translates every key built at run time, in every language', () => {
    expect(Object.entries(dynamicKeys).filter(([prefix, endings]) => prefix !== 'validation:' && endings.length === 0)).toEqual([]);
    const missing = Object.entries(dynamicKeys).flatMap(([prefix, endings]) =>
      supportedLocales.flatMap((locale) => endings.map((ending) => `${prefix}${ending}`).filter((key) => !hasKey(locale, key)).map((key) => `${locale} ${key}`)),
    );
    expect(missing).toEqual([]);
  });

  it('uses every key it translates: a message no view or source file asks for is removed from both languages', () => {
    const used = keysUsedInCode();
    const built = new Set(Object.entries(dynamicKeys).flatMap(([prefix, endings]) => endings.map((ending) => `${prefix}${ending}`)));
    const unused = withoutPlurals(messages.en!.keys()).filter((key) => !used.has(key) && !built.has(key));
    expect(unused).toEqual([]);
  });
});

describe('Polish length messages', () => {
  it('use the right plural form for the limit', async () => {
    const { createI18n } = await import('../../src/lib/i18n.js');
    const { localesDirectory } = await import('../../src/lib/paths.js');
    const t = createI18n(localesDirectory).getFixedT('pl');
    expect(t('validation:tooShort', { min: 2, count: 2 })).toBe('To pole musi mieć co najmniej 2 znaki.');
    expect(t('validation:tooShort', { min: 8, count: 8 })).toBe('To pole musi mieć co najmniej 8 znaków.');
    expect(t('validation:tooLong', { max: 1, count: 1 })).toBe('To pole może mieć najwyżej 1 znak.');
    expect(t('validation:tooLong', { max: 24, count: 24 })).toBe('To pole może mieć najwyżej 24 znaki.');
  });
});
