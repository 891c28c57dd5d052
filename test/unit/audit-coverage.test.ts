import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { filesUnder, parseSource, sourceOf, type Source } from './architecture/sources.js';

/**
 * Every model verb that changes data leaves a row in the audit log (issue 18, D3), or is on the
 * list below with the reason it need not. Read from the sources (TypeScript's parser), so a verb
 * added on any branch is checked after the merge.
 *
 * A function *writes* when it calls a query builder's insertQuery, insert, update, delete, del,
 * upsert, merge, increment or decrement, or uses a function of its own module that does. It
 * *logs* when it calls logEvent, or uses a function that logs: of its own module, or an exported
 * verb of another model it imports (a verb that writes and then hands over to saveSettings is
 * logged by it). "Uses" is any mention of the name, so a helper passed as a callback counts.
 */

const writeMethods = new Set(['insertQuery', 'insert', 'update', 'delete', 'del', 'upsert', 'merge', 'increment', 'decrement']);
/** Receivers whose update or delete is not the database's: a request's memo (a Map) and a hash being fed. */
const notDatabase = /(^|\.)memo$|^createHash\(/;

/**
 * Exported model verbs that write without an audit row, as 'file verb', each with its reason.
 * Bookkeeping of the mechanisms (sessions, throttles, the outbox, job leases, read marks) and
 * work done inside a verb that logs (its helpers exported for one caller) belong here; a change
 * of who may do what, or of money, does not. An entry that no longer writes without logging fails.
 */
const notAudited: Record<string, string> = {
  // A read receipt is itself the record of who read what and when (the staff's read list shows it).
  'src/models/announcement-readings.ts markAnnouncementRead': 'a read receipt, itself the record of who read the announcement and when',
  // The chain's own head, written with the tenant (tenant.created) and moved by logEvent itself.
  'src/models/audit.ts startAuditChain': 'the audit chain head itself, started in the transaction that logs tenant.created',
  // Parts of a verb that logs, exported for that one caller.
  'src/models/customer.ts createCustomer': 'a step of registerCustomer, which logs customer.created',
  'src/models/group.ts createDefaultGroup': 'a step of createTenant, which logs tenant.created',
  'src/models/ticket-category.ts createDefaultTicketCategories': 'a step of createTenant, which logs tenant.created',
  'src/models/ticket-history.ts insertTicketMessage': 'a ticket\'s conversation, written by the ticket verbs that log (ticket.replied, ticket.noted, ticket.filed)',
  'src/models/purge-plan.ts deletePurgeRows': 'a step of the purge verbs, which log purge.run with the counts',
  'src/models/ticket-history.ts recordTicketEvent': 'a ticket\'s own history, written by the ticket verbs that log the change',
  'src/models/password-token.ts issuePasswordToken': 'a one-time link, issued by the invitation and reset verbs that log sending it',
  'src/models/user.ts voidPasswordTokens': 'voids links inside the password, role and e-mail changes, which log the change',
  'src/models/import-handler.ts insertRows': 'the rows of an import run, whose outcome performImport logs (import.completed)',
  'src/models/stored-file.ts storeFiles': 'file contents, stored by the verbs that log what they belong to (document.added, ticket.filed)',
  'src/models/stored-file.ts withFilesRemovedOnFailure': 'removes the files of a verb that failed: nothing happened to log',
  'src/models/stored-file.ts deleteStoredFile': 'file clean-up after the record that held the file is gone',
  'src/models/ledger-allocation.ts allocateCustomer': 'which payment settles which invoice, recomputed from approved entries whose approval is logged',
  'src/models/ledger-allocation.ts allocateCustomers': 'allocateCustomer for an import\'s customers at once, whose outcome performImport logs (import.completed)',
  'src/models/tenant-configuration.ts noteConfigurationChanged': 'a new version of the tenant\'s configuration, written by the verbs that change it, which log the change',
  'src/models/tenant-configuration.ts startConfigurationVersion': 'a step of createTenant, which logs tenant.created',
  // The state of an import run; its outcome is logged by performImport (import.checked, completed, refused).
  'src/models/data-import.ts startImport': 'an import run waiting for its job; its outcome is logged',
  'src/models/data-import.ts recordCommandLineImport': 'an import run from the command line; its outcome is logged',
  'src/models/data-import.ts failImport': 'an import run whose job failed: nothing was imported',
  'src/models/data-import.ts forgetImportFile': 'the uploaded file of a finished import run is deleted',
  // Bookkeeping of the mechanisms: nothing about who may do what, or money.
  'src/models/audit-verification.ts recordAuditVerification': 'the latest result of the nightly verification: a record about the log, not an event in it',
  'src/models/idempotency.ts doOnce': 'idempotency keys of repeated requests',
  'src/models/job.ts claimJob': 'job leases',
  'src/models/job.ts completeJob': 'job leases',
  'src/models/job.ts deleteFinishedJobs': 'housekeeping of finished jobs',
  'src/models/job.ts enqueueSystemJob': 'queues background work; the work logs what it changes',
  'src/models/job.ts enqueueTenantJob': 'queues background work; the work logs what it changes',
  'src/models/job.ts failJob': 'job retries and failures, shown on the failed jobs page',
  'src/models/job.ts renewLease': 'job leases',
  'src/models/login-throttle.ts recordLinkGuess': 'throttle counters of one-time links',
  'src/models/login-throttle.ts recordResetRequest': 'throttle counters of reset requests (the request itself is logged)',
  'src/models/sign-in-attempts.ts checkUnderThrottle': 'throttle counters of sign-ins (authenticate logs the outcome)',
  'src/models/mail-intake.ts claimIntake': 'leases on incoming e-mail; filing it is logged (mail.filed)',
  'src/models/mail-intake.ts keepMessage': 'an incoming e-mail kept for filing; filing it is logged',
  'src/models/mail-intake.ts markIntakeFailed': 'bookkeeping of an incoming e-mail that could not be read',
  'src/models/mail-intake.ts noteIntakeOutcome': 'bookkeeping of an incoming e-mail, beside the logged filing',
  'src/models/outbox.ts enqueueMail': 'the outbox: e-mail waiting to be sent, written by verbs that log',
  'src/models/outbox.ts markMailFailed': 'outbox bookkeeping',
  'src/models/outbox.ts markMailSent': 'outbox bookkeeping',
  'src/models/outbox.ts recordMailFailure': 'outbox bookkeeping',
  'src/models/profile.ts rememberVisitedPath': 'the last page visited, for the landing-page preference',
  'src/models/user.ts updatePreferences': 'language, text size and landing page: no rights, no money',
  'src/models/user.ts upgradePasswordHash': 'the same password rehashed at a higher cost on sign-in (user.signed_in is logged)',
};

type ModelFunction = { path: string; name: string; isExported: boolean; body: ts.Node; writesDirectly: boolean; logsDirectly: boolean; uses: Set<string> };

/** The top-level functions of a model: declared ones and arrow or function expressions given to a const. */
function functionsOf(source: Source): ModelFunction[] {
  const functions: ModelFunction[] = [];
  const add = (name: string, body: ts.Node, isExported: boolean) => functions.push({ path: source.path, name, isExported, body, ...scan(body) });
  for (const statement of source.tree.statements) {
    const isExported = ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) add(statement.name.text, statement.body, isExported);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const value = declaration.initializer;
        if (ts.isIdentifier(declaration.name) && value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value))) add(declaration.name.text, value.body, isExported);
      }
    }
  }
  return functions;
}

function scan(body: ts.Node): Pick<ModelFunction, 'writesDirectly' | 'logsDirectly' | 'uses'> {
  let writesDirectly = false;
  let logsDirectly = false;
  const uses = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && writeMethods.has(node.expression.name.text) && !notDatabase.test(node.expression.expression.getText())) writesDirectly = true;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'logEvent') logsDirectly = true;
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) uses.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(body);
  return { writesDirectly, logsDirectly, uses };
}

/** The local name → 'file name' of what a model imports from other models. */
function importedVerbs(source: Source): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of source.tree.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause?.namedBindings || !ts.isNamedImports(statement.importClause.namedBindings)) continue;
    const target = source.imports.find((imported) => imported.specifier === (statement.moduleSpecifier as ts.StringLiteral).text)?.target;
    if (!target) continue;
    for (const element of statement.importClause.namedBindings.elements) names.set(element.name.text, `${target} ${(element.propertyName ?? element.name).text}`);
  }
  return names;
}

/**
 * The exported verbs of the sources that write but do not log, as 'file verb' (the allowlist's
 * form): the writing is followed within a module, the logging across models until nothing changes.
 */
export function unauditedWriters(sources: Source[]): string[] {
  const byKey = new Map<string, ModelFunction>();
  const localOf = new Map<string, Map<string, ModelFunction>>();
  const importsOf = new Map<string, Map<string, string>>();
  for (const source of sources) {
    const functions = functionsOf(source);
    localOf.set(source.path, new Map(functions.map((fn) => [fn.name, fn])));
    importsOf.set(source.path, importedVerbs(source));
    for (const fn of functions) byKey.set(`${fn.path} ${fn.name}`, fn);
  }
  const writes = new Set<string>();
  const logs = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [key, fn] of byKey) {
      const locals = [...fn.uses].map((name) => localOf.get(fn.path)!.get(name)).filter((other): other is ModelFunction => other !== undefined && other !== fn);
      const imported = [...fn.uses].map((name) => importsOf.get(fn.path)!.get(name)).filter((other): other is string => other !== undefined);
      if (!writes.has(key) && (fn.writesDirectly || locals.some((other) => writes.has(`${other.path} ${other.name}`)))) {
        writes.add(key);
        changed = true;
      }
      const logsThrough = locals.some((other) => logs.has(`${other.path} ${other.name}`)) || imported.some((other) => logs.has(other));
      if (!logs.has(key) && (fn.logsDirectly || logsThrough)) {
        logs.add(key);
        changed = true;
      }
    }
  }
  return [...byKey].filter(([key, fn]) => fn.isExported && writes.has(key) && !logs.has(key)).map(([key]) => key).sort();
}

const models = () => filesUnder('src/models').map(sourceOf);

describe('the audit coverage of model verbs', () => {
  it('finds a verb that writes without logging, directly or through a helper of its module, and passes one that logs', () => {
    const sample = parseSource('src/models/sample.ts', [
      "import { logEvent } from './audit.js';",
      "import { saveSettings } from './other.js';",
      'export async function lockQuietly(scope, id) { await scope.table("users").where({ id }).update({ is_locked: true }); }',
      'export async function lockLogged(scope, id) { await scope.table("users").where({ id }).update({ is_locked: true }); await logEvent(scope, { action: "user.locked" }); }',
      'async function removeRow(scope, id) { await scope.table("users").where({ id }).delete(); }',
      'export const removeQuietly = (scope, id) => scope.transaction((trx) => removeRow(trx, id));',
      'const record = (scope) => logEvent(scope, { action: "user.deactivated" });',
      'export async function removeLogged(scope, id) { await removeRow(scope, id); await record(scope); }',
      'export async function saveThrough(scope, id) { await scope.insertQuery("settings", { id }); await saveSettings(scope); }',
      'export async function findUser(scope, id) { scope.memo?.delete("user"); return scope.table("users").where({ id }).first(createHash("sha256").update(id)); }',
    ].join('\n'));
    const other = parseSource('src/models/other.ts', "import { logEvent } from './audit.js';\nexport async function saveSettings(scope) { await scope.table('settings').del(); await logEvent(scope, { action: 'settings.changed' }); }");
    expect(unauditedWriters([sample, other])).toEqual(['src/models/sample.ts lockQuietly', 'src/models/sample.ts removeQuietly']);
  });

  it('leaves no model verb that changes data without an audit row, but for the listed ones', () => {
    const missing = unauditedWriters(models()).filter((key) => !(key in notAudited));
    const explained = missing.map((key) => `${key.replace(' ', ': ')} changes data and writes no audit row (logEvent): log the event, or list it in notAudited with the reason`);
    expect(explained).toEqual([]);
  });

  it('keeps no listed verb that is audited now or gone', () => {
    const writers = new Set(unauditedWriters(models()));
    const stale = Object.keys(notAudited).filter((key) => !writers.has(key));
    expect(stale.map((key) => `${key}: no longer writes without logging, take it off notAudited`)).toEqual([]);
  });

  it('gives every listed verb a reason', () => {
    expect(Object.entries(notAudited).filter(([, reason]) => reason.trim().length < 10).map(([key]) => key)).toEqual([]);
  });
});
