import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { routeTable } from '../../../src/routes.js';
import { calleeName, chainCallsOf, describeFinding, filesUnder, lineOf, nodesOf, parseSource, sourceOf, tableNamedBy, type Finding, type Source } from './sources.js';

/**
 * The audit log is only ever appended to (D3): no code of the app updates or deletes its rows, so
 * no route can reach such a query. logEvent (models/audit.ts) is the one writer, and inserts only.
 * A purge keeps the rows (they hold ids only); it may clear a row's IP address, which is outside
 * the hashed content: an update that sets nothing but `ip` is allowed.
 */

const auditTables = new Set(['audit_log', 'audit_chain_heads']);
const changingMethods = new Set(['update', 'delete', 'del', 'truncate', 'insert', 'insertQuery', 'upsert', 'merge', 'increment', 'decrement']);
/** SQL written as text that changes the audit log. */
const changingSql = /\b(update\s+`?audit_log|delete\s+from\s+`?audit_log|truncate\s+(table\s+)?`?audit_log|drop\s+table\s+`?audit_log|insert\s+into\s+`?audit_log)/i;

/** The audit table a query chain starts from: table('audit_log') or insertQuery('audit_log', …) somewhere down its receivers. */
function auditTableOf(call: ts.CallExpression): string | undefined {
  return chainCallsOf(call).map(tableNamedBy).find((table) => table !== undefined && auditTables.has(table));
}

const setsOnlyTheIp = (call: ts.CallExpression) => {
  const [values] = call.arguments;
  return values !== undefined && ts.isObjectLiteralExpression(values) && values.properties.length === 1 && values.properties[0]!.name?.getText() === 'ip';
};

/** Each change of an audit table in a file, but the appending that logEvent does. */
function auditTableChanges(source: Source): Finding[] {
  const findings: Finding[] = [];
  for (const node of nodesOf(source)) {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) && changingSql.test(node.text)) {
      findings.push({ path: source.path, line: lineOf(source, node), message: 'changes audit_log in SQL text' });
    }
    if (!ts.isCallExpression(node) || !changingMethods.has(calleeName(node) ?? '') || !ts.isPropertyAccessExpression(node.expression) && calleeName(node) !== 'insertQuery') continue;
    const table = auditTableOf(node);
    if (!table) continue;
    const method = calleeName(node)!;
    const isAppend = source.path === 'src/models/audit.ts' && (method === 'insertQuery' || (table === 'audit_chain_heads' && method === 'update'));
    const isIpCleared = table === 'audit_log' && method === 'update' && setsOnlyTheIp(node);
    if (!isAppend && !isIpCleared) findings.push({ path: source.path, line: lineOf(source, node), message: `${method} on ${table}` });
  }
  return findings;
}

describe('the audit log is append-only', () => {
  it('finds an update, a delete and SQL text that change audit_log, and lets logEvent append and a purge clear an IP', () => {
    const sample = parseSource('src/models/sample.ts', [
      "await scope.table('audit_log').where({ id }).update({ details: null });",
      "await trx.table('audit_log').where('sequence', '>', 3).del();",
      "await scope.raw('DELETE FROM audit_log WHERE id = ?', [id]);",
      "await scope.table('audit_log').where({ actor_id: id }).update({ ip: null });",
      "await scope.table('audit_log').where({ id }).first();",
    ].join('\n'));
    expect(auditTableChanges(sample).map(describeFinding)).toEqual([
      'src/models/sample.ts:1 update on audit_log',
      'src/models/sample.ts:2 del on audit_log',
      'src/models/sample.ts:3 changes audit_log in SQL text',
    ]);
    const logEvent = parseSource('src/models/audit.ts', "await scope.insertQuery('audit_log', rows);\nawait scope.table('audit_chain_heads').update({ last_sequence: 2 });");
    expect(auditTableChanges(logEvent)).toEqual([]);
    const elsewhere = parseSource('src/models/other.ts', "await scope.insertQuery('audit_log', rows);");
    expect(auditTableChanges(elsewhere).map(describeFinding)).toEqual(['src/models/other.ts:1 insertQuery on audit_log']);
  });

  it('is changed nowhere in src but by logEvent appending to it', () => {
    expect(filesUnder('src').flatMap((file) => auditTableChanges(sourceOf(file))).map(describeFinding)).toEqual([]);
  });

  it('has no route that posts to the audit log: its pages and export are GETs', () => {
    const auditRoutes = routeTable().filter((route) => route.path.includes('audit') || route.name.includes('audit') || route.name.includes('Audit'));
    expect(auditRoutes.length).toBeGreaterThan(0);
    expect(auditRoutes.filter((route) => route.method !== 'GET').map((route) => route.name)).toEqual([]);
  });
});
