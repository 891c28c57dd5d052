import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../../src/routes.js';
import { calleeName, filesUnder, literalText, parseSource, projectRoot, resolveImport, sourceOf, type Source } from './sources.js';

/**
 * Controllers are small nouns with the seven actions, each routed by one line of src/routes.ts
 * whose name is the controller's folder, resource and action: `staff.customerAccounts.index` is
 * `index` of src/controllers/staff/customer-accounts.ts.
 */

const actions = ['index', 'show', 'new', 'create', 'edit', 'update', 'destroy'];

/** A route line as written in src/routes.ts: its name, and the controller and action it hands to. */
type RouteLine = { name: string; controller: string; action: string; isFactory: boolean };

/** The route lines of a route table's source: `route('name', …, controller.action)` or `controller.action(…)` for a factory. */
function routeLinesOf(source: Source): RouteLine[] {
  const controllerOf = new Map<string, string>();
  for (const statement of source.tree.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const bindings = statement.importClause?.namedBindings;
    const target = resolveImport(source.path, (statement.moduleSpecifier as ts.StringLiteral).text);
    if (bindings && ts.isNamespaceImport(bindings) && target) controllerOf.set(bindings.name.text, target);
  }
  const lines: RouteLine[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && calleeName(node) === 'route') lines.push(routeLineOf(node, controllerOf));
    ts.forEachChild(node, visit);
  };
  visit(source.tree);
  return lines;
}

function routeLineOf(call: ts.CallExpression, controllerOf: ReadonlyMap<string, string>): RouteLine {
  const handlerIndex = call.arguments[4] && ts.isArrayLiteralExpression(call.arguments[4]) ? 5 : 4;
  const handler = call.arguments[handlerIndex]!;
  const isFactory = ts.isCallExpression(handler);
  const reference = isFactory ? handler.expression : handler;
  const [alias, action] = ts.isPropertyAccessExpression(reference) ? [reference.expression.getText(), reference.name.text] : ['', reference.getText()];
  return { name: literalText(call.arguments[0]) ?? call.arguments[0]!.getText(), controller: controllerOf.get(alias) ?? `(not a controller: ${alias})`, action, isFactory };
}

/** The name a route to this action of this controller file has: folder, resource in camelCase, action. */
function routeNameFor(controller: string, action: string): string {
  const [folder, file] = controller.replace(/^src\/controllers\//, '').replace(/\.ts$/, '').split('/');
  return `${folder}.${file!.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase())}.${action}`;
}

const routesSource = sourceOf('src/routes.ts');
const routeLines = routeLinesOf(routesSource);
const table = routeTable();
const routableControllers = filesUnder('src/controllers').filter((file) => !path.basename(file).startsWith('_'));
const modules = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  for (const file of routableControllers) modules.set(file, (await import(pathToFileURL(path.join(projectRoot, file)).href)) as Record<string, unknown>);
});

describe('controllers and the route table', () => {
  it('reads a route line of the table, its factory actions included', () => {
    const sample = parseSource(
      'src/routes.ts',
      "import * as customers from './controllers/staff/customers.js';\nimport * as sessions from './controllers/auth/sessions.js';\n" +
        "route('staff.customers.show', 'GET', '/:tenant/staff/customers/:customerId', 'staff', [load.customer], customers.show);\n" +
        "route('auth.sessions.create', 'POST', '/:tenant/login', 'public', sessions.create(createPassport()));\n",
    );
    expect(routeLinesOf(sample)).toEqual([
      { name: 'staff.customers.show', controller: 'src/controllers/staff/customers.ts', action: 'show', isFactory: false },
      { name: 'auth.sessions.create', controller: 'src/controllers/auth/sessions.ts', action: 'create', isFactory: true },
    ]);
    expect(routeNameFor('src/controllers/staff/customer-account-invitations.ts', 'create')).toBe('staff.customerAccountInvitations.create');
  });

  it('reads every route of the table from its source', () => {
    expect(routeLines.map((line) => line.name)).toEqual(table.map((route) => route.name));
  });

  it('names each route after its controller: folder, resource and action', () => {
    const misnamed = routeLines.filter((line) => line.name !== routeNameFor(line.controller, line.action));
    expect(misnamed.map((line) => `${line.name} is ${line.controller} ${line.action}`)).toEqual([]);
  });

  it('hands each route to an action of a controller, the very function it exports', () => {
    for (const [index, line] of routeLines.entries()) {
      const exported = modules.get(line.controller)?.[line.action];
      expect(actions, line.name).toContain(line.action);
      expect(typeof exported, `${line.name}: ${line.controller} exports no ${line.action}`).toBe('function');
      // A factory (sessions.create(authenticator)) makes the handler; any other action is the handler.
      if (!line.isFactory) expect(table[index]!.handler, line.name).toBe(exported);
    }
  });

  it('routes every controller file and every action it exports, and nothing else is exported', () => {
    const routed = new Set(routeLines.map((line) => `${line.controller} ${line.action}`));
    expect(routableControllers.length).toBeGreaterThan(30);
    for (const file of routableControllers) {
      const exported = Object.keys(modules.get(file)!);
      expect(exported.length, `${file} is not routed`).toBeGreaterThan(0);
      for (const name of exported) expect(routed.has(`${file} ${name}`), `${file} exports ${name}, which no route uses`).toBe(true);
    }
  });
});
