import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * The project's own source read as text and parsed (TypeScript's parser, already a dependency:
 * comments and strings never pass for code), for the architecture tests. Paths are relative to
 * the project and written with forward slashes: 'src/models/user.ts'.
 */

export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** One import or re-export: where from, and whether it brings in values or types only. */
export type Import = {
  specifier: string;
  /** The imported file for a relative specifier ('./user.js' is src/models/user.ts); undefined for a package. */
  target: string | undefined;
  /** `import type {…}`, or every name marked `type`: nothing of it exists at run time. */
  isTypeOnly: boolean;
  /** The value names it brings in ('*' for a namespace, 'default'); empty when type-only. */
  valueNames: string[];
  line: number;
};

export type Source = { path: string; text: string; tree: ts.SourceFile; imports: Import[] };

/** A finding of a rule: where, and what. */
export type Finding = { path: string; line: number; message: string };

export const describeFinding = (finding: Finding) => `${finding.path}:${finding.line} ${finding.message}`;

/** Every file under a folder of the project whose name ends with the extension, sorted. */
export function filesUnder(folder: string, extension = '.ts'): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(projectRoot, folder), { withFileTypes: true })) {
    const relativePath = `${folder}/${entry.name}`;
    if (entry.isDirectory()) files.push(...filesUnder(relativePath, extension));
    else if (entry.name.endsWith(extension)) files.push(relativePath);
  }
  return files.sort();
}

const parsed = new Map<string, Source>();

/** A file of the project, parsed once per test file. */
export function sourceOf(relativePath: string): Source {
  let source = parsed.get(relativePath);
  if (!source) {
    source = parseSource(relativePath, readFileSync(path.join(projectRoot, relativePath), 'utf8'));
    parsed.set(relativePath, source);
  }
  return source;
}

/** Parses a text as if it were the file at the path (how the rules are tried on bad samples). */
export function parseSource(relativePath: string, text: string): Source {
  const tree = ts.createSourceFile(relativePath, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const source: Source = { path: relativePath, text, tree, imports: [] };
  for (const statement of tree.statements) {
    const imported = importOf(source, statement);
    if (imported) source.imports.push(imported);
  }
  return source;
}

function importOf(source: Source, statement: ts.Statement): Import | undefined {
  if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier) return undefined;
  const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
  const valueNames = ts.isImportDeclaration(statement) ? importedValues(statement) : exportedValues(statement);
  return { specifier, target: resolveImport(source.path, specifier), isTypeOnly: valueNames.length === 0, valueNames, line: lineOf(source, statement) };
}

function importedValues(statement: ts.ImportDeclaration): string[] {
  const clause = statement.importClause;
  if (!clause) return ['(side effects)'];
  if (clause.isTypeOnly) return [];
  const names = clause.name ? ['default'] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push('*');
  if (bindings && ts.isNamedImports(bindings)) {
    for (const element of bindings.elements) if (!element.isTypeOnly) names.push((element.propertyName ?? element.name).text);
  }
  return names;
}

function exportedValues(statement: ts.ExportDeclaration): string[] {
  if (statement.isTypeOnly) return [];
  const clause = statement.exportClause;
  if (!clause || ts.isNamespaceExport(clause)) return ['*'];
  return clause.elements.filter((element) => !element.isTypeOnly).map((element) => (element.propertyName ?? element.name).text);
}

/** The project file a relative specifier names (compiled names end in .js, the sources in .ts). */
export function resolveImport(fromPath: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return path.posix.join(path.posix.dirname(fromPath), specifier).replace(/\.js$/, '.ts');
}

export function lineOf(source: Source, node: ts.Node): number {
  return source.tree.getLineAndCharacterOfPosition(node.getStart(source.tree)).line + 1;
}

/** Every node of the file, depth first. */
export function nodesOf(source: Source): ts.Node[] {
  const nodes: ts.Node[] = [];
  const visit = (node: ts.Node) => {
    nodes.push(node);
    ts.forEachChild(node, visit);
  };
  visit(source.tree);
  return nodes;
}

/** The name of the function a node is in: a declared function, a method, or an arrow or function expression given to a variable. */
export function enclosingFunctionName(node: ts.Node): string | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if ((ts.isFunctionDeclaration(current) || ts.isMethodDeclaration(current)) && current.name) return current.name.getText();
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && ts.isVariableDeclaration(current.parent)) return current.parent.name.getText();
  }
  return undefined;
}

/** A string literal's text (quotes or a template without substitutions), else undefined. */
export function literalText(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

/** The name a call is made by: `f(…)` is f, `a.b.f(…)` is f. */
export function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/**
 * The calls down a query chain's receivers, the call itself first: `scope.table('x').where(…).update(…)`
 * gives update, where and table (through `await`, `!` and parentheses).
 */
export function chainCallsOf(call: ts.CallExpression): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  for (let node: ts.Expression = call; ; ) {
    if (ts.isCallExpression(node)) {
      calls.push(node);
      node = node.expression;
    } else if (ts.isPropertyAccessExpression(node) || ts.isNonNullExpression(node) || ts.isParenthesizedExpression(node) || ts.isAwaitExpression(node)) node = node.expression;
    else return calls;
  }
}

/** The table a call names as its first argument ('users as u' names users), if it is a literal. */
export function tableNamedBy(call: ts.CallExpression): string | undefined {
  return literalText(call.arguments[0])?.split(/\s+/)[0];
}

/**
 * The import cycles of a graph (file → the files it imports), each written as the path round
 * it, the first file repeated at the end: one cycle per edge that closes one in a depth-first walk.
 */
export function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const cycles: string[][] = [];
  const walk = (file: string) => {
    state.set(file, 'open');
    trail.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...trail.slice(trail.indexOf(next)), next]);
      else if (!state.has(next)) walk(next);
    }
    trail.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) walk(file);
  return cycles;
}
