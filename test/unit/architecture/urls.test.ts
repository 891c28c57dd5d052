import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parametersOf } from '../../../src/middleware/routing.js';
import { routeTable } from '../../../src/routes.js';
import { describeFinding, filesUnder, lineOf, nodesOf, parseSource, projectRoot, sourceOf, type Finding, type Source } from './sources.js';

/** Every URL comes from the route table by name: pathTo in views and controllers, links.absolute in e-mails. */

const routes = new Map(routeTable().map((route) => [route.name, parametersOf(route.path)]));
const audiences = ['operations', 'auth', 'account', 'portal', 'staff', 'admin', 'superadmin'];

type Text = { path: string; text: string };
const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** A view that builds an address by hand: from the tenant's slug, or a literal path other than an asset's. */
function handBuiltViewUrls(view: Text): Finding[] {
  const findings: Finding[] = [];
  const add = (index: number, message: string) => findings.push({ path: view.path, line: lineAt(view.text, index), message });
  for (const match of view.text.matchAll(/\bslug\b/g)) add(match.index, 'uses the tenant slug');
  for (const match of view.text.matchAll(/\b(?:href|action|src|formaction)\s*=\s*["']\/(?!assets\/)/g)) add(match.index, `starts an address with "/": ${match[0]}`);
  for (const tag of view.text.matchAll(/<%[\s\S]*?%>/g)) {
    for (const match of tag[0].matchAll(/['"`]\/(?!assets\/)/g)) add(tag.index + match.index, 'writes a path in a string');
  }
  return findings;
}

/** Code that puts the tenant's slug into a path itself: in a template or next to a string, with a slash. */
function slugPaths(source: Source): Finding[] {
  const mentionsSlug = (node: ts.Node) => /slug/i.test(node.getText());
  const isPathText = (node: ts.Node) => (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text.includes('/');
  const templateText = (node: ts.TemplateExpression) => [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('');
  const findings: Finding[] = [];
  for (const node of nodesOf(source)) {
    const isSlugTemplate = ts.isTemplateExpression(node) && templateText(node).includes('/') && node.templateSpans.some((span) => mentionsSlug(span.expression));
    const isSlugConcatenation = ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken && [node.left, node.right].some(isPathText) && mentionsSlug(node);
    if (isSlugTemplate || isSlugConcatenation) findings.push({ path: source.path, line: lineOf(source, node), message: `builds a path from the slug: ${node.getText()}` });
  }
  return findings;
}

/**
 * Where code may put the slug into a path itself, and why: the session cookie's path is the
 * tenant's (app.ts), and safeReturnPath compares a returned address with the tenant's prefix
 * rather than building one (validators/preferences.ts). pathTo itself lives in lib/urls.ts.
 */
const slugPathExceptions = ['src/middleware/cookies.ts', 'src/validators/preferences.ts'];

type RouteNameUse = { path: string; line: number; name: string; keys: string[] | undefined; needsTenant: boolean };

/**
 * The literal route names given to pathTo, req.pathTo or links.absolute, with the keys of an
 * inline parameters object (undefined when the parameters are not written out, or spread).
 */
function routeNameUses(file: Text): RouteNameUse[] {
  const uses: RouteNameUse[] = [];
  for (const match of file.text.matchAll(/\b(pathTo|absolute)\(\s*(['"`])([\w.]+)\2\s*(?:,\s*(\{[^{}]*\}))?/g)) {
    uses.push({ path: file.path, line: lineAt(file.text, match.index), name: match[3]!, keys: match[4] === undefined ? [] : keysOf(match[4]), needsTenant: match[1] === 'absolute' });
  }
  return uses;
}

/** The keys of an object literal written in the source, or undefined when it spreads another object. */
function keysOf(objectText: string): string[] | undefined {
  const statement = parseSource('object.ts', `(${objectText});`).tree.statements[0] as ts.ExpressionStatement;
  const object = (statement.expression as ts.ParenthesizedExpression).expression as ts.ObjectLiteralExpression;
  if (object.properties.some(ts.isSpreadAssignment)) return undefined;
  return object.properties.map((property) => property.name!.getText());
}

/** A use of a route by name that pathTo would refuse: no such route, a parameter missing, or one it does not take. */
function routeNameProblems(use: RouteNameUse): string[] {
  const where = `${use.path}:${use.line} ${use.name}`;
  const parameters = routes.get(use.name);
  if (!parameters) return [`${where} is not a route`];
  if (!use.keys) return [];
  const given = new Set(use.needsTenant ? use.keys : [...use.keys, 'tenant']);
  return [
    ...parameters.filter((parameter) => !given.has(parameter)).map((parameter) => `${where} needs :${parameter}`),
    ...[...given].filter((key) => !parameters.includes(key)).map((key) => `${where} takes no :${key}`),
  ];
}

/** Any string shaped like a route name (audience.resource.action) names a route, whoever it is passed to. */
function routeShapedStrings(file: Text): Array<{ path: string; line: number; name: string }> {
  const pattern = new RegExp(`(['"\`])((?:${audiences.join('|')})\\.[a-z][A-Za-z]*\\.[a-z][A-Za-z]*)\\1`, 'g');
  return [...file.text.matchAll(pattern)].map((match) => ({ path: file.path, line: lineAt(file.text, match.index), name: match[2]! }));
}

/** Route names written before their routes exist, and why: the landing page falls back to the dashboard until the tickets issue adds them. */
const namesOfRoutesToCome: string[] = [];

const read = (file: string): Text => ({ path: file, text: readFileSync(path.join(projectRoot, file), 'utf8') });
const views = filesUnder('views', '.ejs').map(read);
const code = filesUnder('src').map(read);

describe('addresses built from the route table', () => {
  describe('the rules', () => {
    it('find a view that writes an address by hand or from the slug', () => {
      const view = { path: 'views/sample.ejs', text: '<a href="/<%= tenant.slug %>/portal">x</a>\n<form action="/acme/login">\n<a href="<%= `/${base}/x` %>">\n<link href="/assets/app.css">' };
      expect(handBuiltViewUrls(view).map(describeFinding)).toEqual([
        'views/sample.ejs:1 uses the tenant slug',
        'views/sample.ejs:1 starts an address with "/": href="/',
        'views/sample.ejs:2 starts an address with "/": action="/',
        'views/sample.ejs:3 writes a path in a string',
      ]);
    });

    it('find code that puts the slug into a path by a template or a concatenation', () => {
      const sample = parseSource('src/controllers/sample.ts', "res.redirect(`/${tenant.slug}/portal`);\nconst to = '/' + req.tenant.slug + '/staff';\nconst label = `Tenant ${tenant.name}`;\n");
      expect(slugPaths(sample).map((finding) => finding.line)).toEqual([1, 2, 2]);
      expect(slugPaths(parseSource('src/models/sample.ts', 'throw new Error(`no tenant ${slug}`);'))).toEqual([]);
    });

    it('find a name that is not a route, a parameter missing and one the route does not take', () => {
      const uses = routeNameUses({ path: 'views/sample.ejs', text: "pathTo('staff.customers.shows')\npathTo('staff.customers.show', { id: customer.id })\nlinks.absolute('auth.invitations.edit', { token })\npathTo('staff.customers.show', { ...parameters })" });
      expect(uses.flatMap(routeNameProblems)).toEqual([
        'views/sample.ejs:1 staff.customers.shows is not a route',
        'views/sample.ejs:2 staff.customers.show needs :customerId',
        'views/sample.ejs:2 staff.customers.show takes no :id',
        'views/sample.ejs:3 auth.invitations.edit needs :tenant',
      ]);
    });
  });

  it('never writes an address by hand in a view', () => {
    expect(views.length).toBeGreaterThan(40);
    expect(views.flatMap(handBuiltViewUrls).map(describeFinding)).toEqual([]);
  });

  it('never puts the tenant slug into a path in code, but for the cookie path and the return-path check', () => {
    const files = filesUnder('src').filter((file) => !['src/lib/urls.ts', 'src/middleware/routing.ts', ...slugPathExceptions].includes(file));
    expect(files.flatMap((file) => slugPaths(sourceOf(file))).map(describeFinding)).toEqual([]);
    for (const file of slugPathExceptions) expect(slugPaths(sourceOf(file)), `${file} is still an exception`).not.toEqual([]);
  });

  it('names existing routes with the parameters they need in every pathTo and links.absolute', () => {
    const uses = [...views, ...code].flatMap(routeNameUses);
    expect(uses.length).toBeGreaterThan(80);
    expect(uses.flatMap(routeNameProblems)).toEqual([]);
  });

  it('names only existing routes in any string shaped like a route name', () => {
    const strings = [...views, ...code].flatMap(routeShapedStrings);
    const unknown = strings.filter((string) => !routes.has(string.name) && !namesOfRoutesToCome.includes(string.name));
    expect(unknown.map((string) => `${string.path}:${string.line} ${string.name}`)).toEqual([]);
    for (const name of namesOfRoutesToCome) expect(routes.has(name), `${name} exists now: take it off the list`).toBe(false);
  });
});
