import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { projectRoot } from '../../src/lib/paths.js';

const actionShape = /^[a-z][a-z_]*\.[a-z][a-z_]*$/;

/**
 * Every action the source writes to the audit log, read from the source itself so that an action
 * added later (on any branch) is found: the strings in what a property `action` is given
 * (`action: 'user.locked'`, `action: isActive ? 'customer.activated' : 'customer.deactivated'`),
 * and the values of a table of actions (`const auditActionOfUse = { setup: 'user.password_link_used' }`).
 */
export function auditActionsInSource(root = path.join(projectRoot, 'src')): string[] {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  const actions = new Set<string>();
  for (const file of files) {
    const text = readFileSync(path.join(root, file), 'utf8');
    if (!text.includes('action')) continue;
    for (const action of auditActionsIn(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true))) actions.add(action);
  }
  return [...actions].sort();
}

/** The actions one parsed file writes (see auditActionsInSource). */
export function auditActionsIn(tree: ts.SourceFile): string[] {
  const found: string[] = [];
  const strings = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && actionShape.test(node.text)) found.push(node.text);
    ts.forEachChild(node, strings);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'action') strings(node.initializer);
    else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && /auditAction/i.test(node.name.text) && node.initializer) strings(node.initializer);
    else ts.forEachChild(node, visit);
  };
  visit(tree);
  return found;
}
