import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { calleeName, describeFinding, enclosingFunctionName, filesUnder, lineOf, literalText, nodesOf, parseSource, sourceOf, type Finding, type Source } from './sources.js';

/**
 * Models and controllers reach the database only through the scope (src/db/scope.ts), and a
 * request never acts as system work; each aggregate has one base query (src/models/visibility.ts).
 */

/** What opens a way round the scope: a knex handle, a scope built by hand, or system work. */
const handleOpeners = ['openScope', 'openSystemWork', 'openInstallation', 'createDatabase', 'systemActor'];

/** Every way a file reaches the database other than through a scope it was given. */
function databaseHandleUses(source: Source): Finding[] {
  const findings: Finding[] = [];
  const add = (node: ts.Node, message: string) => findings.push({ path: source.path, line: lineOf(source, node), message });
  for (const imported of source.imports) {
    if (imported.specifier === 'knex' && !imported.isTypeOnly) findings.push({ path: source.path, line: imported.line, message: 'imports a value from knex' });
    // The scope's module is the way in; the rest of src/db (knex, installation, health) opens or holds handles.
    const isOtherDatabaseModule = imported.target?.startsWith('src/db/') && imported.target !== 'src/db/scope.ts';
    if (isOtherDatabaseModule && !imported.isTypeOnly) findings.push({ path: source.path, line: imported.line, message: `imports a value from ${imported.target}` });
  }
  for (const node of nodesOf(source)) {
    if (ts.isIdentifier(node) && handleOpeners.includes(node.text) && !ts.isImportSpecifier(node.parent)) add(node, `uses ${node.text}`);
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'db') add(node, 'reaches .db');
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['db', 'knex', 'trx'].includes(node.expression.text)) add(node, `calls ${node.expression.text}(…)`);
    if (ts.isTypeReferenceNode(node) && ['Knex', 'Knex.Transaction'].includes(node.typeName.getText())) add(node, `holds a ${node.typeName.getText()} handle`);
  }
  return findings;
}

/**
 * What request code may open, and why: context.ts builds each request's scope (a user or a visitor,
 * never system) and the tenants registry for finding the tenant, and asks the database whether it
 * is ready; the app's dependencies (AppDeps) carry the database for that.
 */
const requestCodeExceptions: Record<string, string[]> = {
  'src/middleware/context.ts': [
    // It notes a failed query for the outage log (one line when the database goes, one when it returns).
    'imports a value from src/db/availability.ts',
    'imports a value from src/db/health.ts',
    'imports a value from src/db/installation.ts',
    'uses openScope',
    'uses openInstallation',
    'reaches .db',
    'holds a Knex handle',
  ],
};

const aggregateTables = ['customers', 'users', 'customer_change_requests', 'groups', 'tickets'];

/** Queries of an aggregate's table that do not start from its base query, and tables named at run time. */
function aggregateTableQueries(source: Source): Finding[] {
  const findings: Finding[] = [];
  for (const node of nodesOf(source)) {
    if (!ts.isCallExpression(node) || calleeName(node) !== 'table' || !ts.isPropertyAccessExpression(node.expression)) continue;
    const table = literalText(node.arguments[0]);
    const line = lineOf(source, node);
    if (table === undefined) findings.push({ path: source.path, line, message: `names a table at run time: ${node.getText()}` });
    else if (aggregateTables.includes(table.split(/\s+/)[0]!)) findings.push({ path: source.path, line, message: `queries ${table} without its base query` });
  }
  return findings;
}

/** Calls of the two ways to see accounts beyond the actor's reach, by file and function. */
function authenticationCalls(source: Source): string[] {
  return nodesOf(source)
    .filter((node): node is ts.CallExpression => ts.isCallExpression(node) && ['accountsForAuthentication', 'accountsWithOwnCustomer', 'authenticatedAs'].includes(calleeName(node) ?? ''))
    .map((call) => `${source.path} ${enclosingFunctionName(call) ?? '(top level)'} ${calleeName(call)}`);
}

/**
 * Who may read every account of the tenant (accountsForAuthentication) or act as a user a
 * credential has proved (authenticatedAs), and why. Anything else reads accounts through
 * visibleAccounts, so a record out of the actor's reach is 404.
 */
const authenticationCallers = [
  // Sign-in: the login is looked up before anyone is known; a wrong password is counted on the account.
  'src/models/authentication.ts findUserForSignIn accountsForAuthentication',
  'src/models/authentication.ts checkPassword accountsForAuthentication',
  'src/models/authentication.ts authenticate authenticatedAs',
  // The password proved the user: portal access is asked as the user, and a link's sign-in recorded as them.
  'src/models/authentication.ts hasPortalAccess authenticatedAs',
  'src/models/authentication.ts admitAfterLink authenticatedAs',
  // A session names its user by id: who it is, as stored now (a lock acts at once), with a client's own
  // customer beside it, remembered for the request as that client's (the session proved who it is).
  'src/models/authentication.ts findSessionUser accountsWithOwnCustomer',
  'src/models/authentication.ts findSessionUser authenticatedAs',
  // A one-time link's token is the visitor's proof: its account is read with it, then acted as.
  'src/models/password-token.ts inspectPasswordToken accountsForAuthentication',
  'src/models/password-token.ts usePasswordToken authenticatedAs',
  // A visitor asks for a reset by login or e-mail: every matching account gets a link, the page says the same.
  'src/models/password-reset.ts requestPasswordReset accountsForAuthentication',
  // Logins are unique in the tenant whoever can see the other account.
  'src/models/user.ts isLoginTaken accountsForAuthentication',
  'src/models/customer-registration.ts freeLogin accountsForAuthentication',
  // An address shared with an account out of the actor's reach is warned about (counted), never named.
  'src/models/shared-email.ts checkSharedEmail accountsForAuthentication',
  // An e-mail's sender address, from the tenant's own mailbox, names the account its message is filed as (T9).
  'src/models/ticket-mail-intake.ts handleMail authenticatedAs',
].sort();

const modelAndControllerFiles = [...filesUnder('src/models'), ...filesUnder('src/controllers')];
const requestFiles = [...filesUnder('src/controllers'), ...filesUnder('src/middleware')];

describe('the database behind the scope', () => {
  describe('the rule against raw handles', () => {
    it('finds a value imported from knex, a call of db and a knex handle in a parameter', () => {
      const sample = parseSource('src/models/sample.ts', "import { knex, type Knex } from 'knex';\nexport const list = (db: Knex) => db('users');\n");
      expect(databaseHandleUses(sample).map(describeFinding)).toEqual([
        'src/models/sample.ts:1 imports a value from knex',
        'src/models/sample.ts:2 holds a Knex handle',
        'src/models/sample.ts:2 calls db(…)',
      ]);
    });

    it('finds scope.db, req.deps.db and a scope or system work opened by hand', () => {
      const sample = parseSource(
        'src/controllers/staff/sample.ts',
        "import { openScope } from '../../db/scope.js';\nimport { openSystemWork } from '../../db/installation.js';\nconst a = scope.db; const b = req.deps.db;\nopenScope(b, options); openSystemWork(b, clock, 'why');\n",
      );
      expect(databaseHandleUses(sample).map((finding) => finding.message)).toEqual(['imports a value from src/db/installation.ts', 'reaches .db', 'reaches .db', 'uses openScope', 'uses openSystemWork']);
    });

    it('allows import type from knex, query builder types and words in comments', () => {
      const sample = parseSource('src/models/sample.ts', "import type { Knex } from 'knex';\nimport type { SystemWork } from '../db/installation.js';\nimport { lockRow } from '../db/scope.js';\n// never openScope here, nor scope.db\nexport const q = (query: Knex.QueryBuilder) => query;\n");
      expect(databaseHandleUses(sample)).toEqual([]);
    });
  });

  it('keeps models and controllers off the raw database handle', () => {
    expect(modelAndControllerFiles.length).toBeGreaterThan(30);
    const findings = modelAndControllerFiles.flatMap((file) => databaseHandleUses(sourceOf(file)));
    expect(findings.map(describeFinding)).toEqual([]);
  });

  it('never lets a request open system work or a scope of its own, but in the request context', () => {
    const findings = requestFiles
      .flatMap((file) => databaseHandleUses(sourceOf(file)))
      .filter((finding) => !(requestCodeExceptions[finding.path] ?? []).includes(finding.message));
    expect(findings.map(describeFinding)).toEqual([]);
  });

  it('uses each exception of the request context, so none is left behind after the code changes', () => {
    for (const [file, allowed] of Object.entries(requestCodeExceptions)) {
      const messages = databaseHandleUses(sourceOf(file)).map((finding) => finding.message);
      for (const message of allowed) expect(messages, file).toContain(message);
    }
  });

  describe('the rule of one base query per aggregate', () => {
    it('finds a query of an aggregate table, with or without an alias, and a table named at run time', () => {
      const sample = parseSource('src/models/sample.ts', "scope.table('customers');\nscope.table(\"users as caretakers\");\nscope.table(name);\nscope.table('outbox');\n");
      expect(aggregateTableQueries(sample).map(describeFinding)).toEqual([
        'src/models/sample.ts:1 queries customers without its base query',
        'src/models/sample.ts:2 queries users as caretakers without its base query',
        'src/models/sample.ts:3 names a table at run time: scope.table(name)',
      ]);
    });

    it('names the function that reads accounts for authentication', () => {
      const sample = parseSource('src/models/sample.ts', 'export async function peek(scope) {\n  return accountsForAuthentication(scope).first();\n}\nconst act = (scope) => scope.authenticatedAs(user);\n');
      expect(authenticationCalls(sample)).toEqual(['src/models/sample.ts peek accountsForAuthentication', 'src/models/sample.ts act authenticatedAs']);
    });
  });

  it('queries customers, accounts, change requests and groups only in visibility.ts', () => {
    const files = filesUnder('src').filter((file) => !file.startsWith('src/db/') && file !== 'src/models/visibility.ts');
    expect(files.flatMap((file) => aggregateTableQueries(sourceOf(file))).map(describeFinding)).toEqual([]);
  });

  it('reads accounts for authentication and acts as a proved user only in the authentication verbs', () => {
    const files = filesUnder('src').filter((file) => file !== 'src/db/scope.ts' && file !== 'src/models/visibility.ts');
    const calls = files.flatMap((file) => authenticationCalls(sourceOf(file))).sort();
    expect([...new Set(calls)]).toEqual(authenticationCallers);
  });
});
