import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { calleeName, chainCallsOf, describeFinding, filesUnder, lineOf, nodesOf, parseSource, sourceOf, tableNamedBy, type Finding, type Source } from './sources.js';

/**
 * What a process keeps of a tenant's configuration (its row, settings, ticket categories, when its urgent
 * announcements are in force) serves a request only under the configuration version that request read
 * (Scope.kept); a change must write a new one, or other processes would serve the old configuration for
 * minutes. Every verb that changes one of them calls noteConfigurationChanged
 * (models/tenant-configuration.ts) in the same function.
 */

const configurationTables = new Set(['settings', 'ticket_categories', 'announcements']);

/** Columns whose change is no change of the configuration: an announcement's e-mail copies claimed (announcement-copies.ts). */
const unrelatedColumns = new Set(['emails_sent_at']);

/** An update that sets only unrelated columns, written as an object literal. */
function setsOnlyUnrelatedColumns(call: ts.CallExpression): boolean {
  const values = call.arguments[0];
  if (calleeName(call) !== 'update' || !values || !ts.isObjectLiteralExpression(values)) return false;
  return values.properties.every((property) => ts.isPropertyAssignment(property) && unrelatedColumns.has(property.name.getText()));
}
const changingMethods = new Set(['update', 'delete', 'del', 'truncate', 'insert', 'insertQuery', 'upsert', 'merge', 'increment', 'decrement']);

/** What a query chain changes: a configuration table named down its receivers, or the tenant's row (tenantRow()). */
function configurationOf(call: ts.CallExpression): string | undefined {
  const calls = chainCallsOf(call);
  return calls.map(tableNamedBy).find((table) => table !== undefined && configurationTables.has(table)) ?? (calls.some((inner) => calleeName(inner) === 'tenantRow') ? 'tenants' : undefined);
}

/** The statement of the file that holds a node: the function (or constant) it is written in. */
function topLevelStatementOf(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current;
}

function unnotedChanges(source: Source): Finding[] {
  if (source.path === 'src/models/tenant-configuration.ts') return [];
  const findings: Finding[] = [];
  for (const node of nodesOf(source)) {
    if (!ts.isCallExpression(node) || !changingMethods.has(calleeName(node) ?? '') || setsOnlyUnrelatedColumns(node)) continue;
    const changed = configurationOf(node);
    if (!changed) continue;
    if (!topLevelStatementOf(node).getText(source.tree).includes('noteConfigurationChanged(')) {
      findings.push({ path: source.path, line: lineOf(source, node), message: `${calleeName(node)} on ${changed} without noteConfigurationChanged` });
    }
  }
  return findings;
}

describe('a change of the tenant configuration renews its version', () => {
  it('finds changes of settings, categories and the tenant row made without noting them, and lets noted ones and reads pass', () => {
    const sample = parseSource('src/models/sample.ts', [
      "export async function a(trx) { await trx.table('settings').where({ id }).update({ value: '1' }); }",
      "export async function b(trx) { await trx.insertQuery('ticket_categories', row); }",
      "export async function c(trx) { await trx.tenantRow().update({ name: 'x' }); }",
      "export async function d(trx) { await trx.table('settings').where({ id }).delete(); await noteConfigurationChanged(trx); }",
      "export async function e(scope) { return scope.table('settings').where({ id }).first(); }",
      "export async function f(trx) { await trx.table('ticket_categories as c').where('c.id', id).del(); }",
      "export async function g(trx) { await trx.insert('announcements', row); }",
      "export async function h(trx) { await trx.table('announcements').where({ id }).update({ emails_sent_at: now }); }",
    ].join('\n'));
    expect(unnotedChanges(sample).map(describeFinding)).toEqual([
      'src/models/sample.ts:1 update on settings without noteConfigurationChanged',
      'src/models/sample.ts:2 insertQuery on ticket_categories without noteConfigurationChanged',
      'src/models/sample.ts:3 update on tenants without noteConfigurationChanged',
      'src/models/sample.ts:6 del on ticket_categories without noteConfigurationChanged',
      'src/models/sample.ts:7 insert on announcements without noteConfigurationChanged',
    ]);
  });

  it('is noted by every verb in src that changes one of them', () => {
    const changers = filesUnder('src').filter((file) => unnotedChanges(parseSource(file, sourceOf(file).text.replaceAll('noteConfigurationChanged(', 'forgotten('))).length > 0);
    // The verbs the check has to watch are there (it would pass vacuously should the pattern stop matching).
    expect(changers).toEqual(expect.arrayContaining(['src/models/settings.ts', 'src/models/ticket-category-editing.ts', 'src/models/billing-details.ts', 'src/models/provider-details.ts', 'src/models/group.ts', 'src/models/announcement.ts']));
    expect(filesUnder('src').flatMap((file) => unnotedChanges(sourceOf(file))).map(describeFinding)).toEqual([]);
  });
});
