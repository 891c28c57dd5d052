import type { RequestHandler } from 'express';
import type { Config } from '../config.js';
import type { Role } from '../db/scope.js';
import { guards, type Guard } from './guards.js';
import { isRecordStep, type RecordStep } from './loaders.js';
import type { UploadLimits } from './uploads.js';

/**
 * Who a route is for. Each audience has one guard, put first on each of its routes:
 * operations and public are open, account needs any signed-in user, portal a client,
 * staff a caretaker or above, admin an admin or above, superadmin a superadmin.
 */
export const audienceGuards = {
  operations: guards.operations,
  public: guards.anyone,
  account: guards.signedIn,
  portal: guards.client,
  staff: guards.staff,
  admin: guards.admin,
  superadmin: guards.superadmin,
} as const satisfies Record<string, Guard>;

export type Audience = keyof typeof audienceGuards;

/** An entry of a signed-in layout's main menu, drawn from the route table (layouts/portal, layouts/staff). */
export type MenuEntry = {
  label: string;
  /** Where in the menu, smallest first. */
  order: number;
  /** A page that exists only in some installations (the development mailbox). */
  isShownWhen?: (config: Config) => boolean;
  /** A page only some people have, shown when the menu counts something for them (an approver's tickets to approve). */
  isCountedOnly?: boolean;
};

export type RouteDefinition = {
  /** What views, redirects and e-mails call it: pathTo(name, params). */
  name: string;
  method: 'GET' | 'POST';
  path: string;
  audience: Audience;
  guard: Guard;
  /** The records the route loads through the actor and the policy checks it makes, in order. */
  steps: RecordStep[];
  handler: RequestHandler;
  /** Open to a user who must first change their password (the password page, sign-out). */
  isOpenDuringPasswordChange: boolean;
  menu: MenuEntry | undefined;
  /**
   * A POST route whose path has no page of its own: the GET route of its form, where a GET of the
   * path leads (a reload after a refused form). Without it, formRouteOf finds one.
   */
  form: string | undefined;
  /** The menu entry a page belongs to (the customer form to Customers). Without it, sectionOf finds one. */
  section: string | undefined;
  /** A POST route that takes files in a multipart form, with its limits (middleware/uploads.ts). */
  uploads: UploadLimits | undefined;
};

type Options = { isOpenDuringPasswordChange?: boolean; menu?: MenuEntry; form?: string; section?: string; uploads?: UploadLimits };

/**
 * One line of the route table: its name, method, path and audience, then what it loads and checks
 * (load.customer, allow('manageAccounts')) and the controller action.
 */
export function route(
  name: string,
  method: RouteDefinition['method'],
  path: string,
  audience: Audience,
  ...rest: [RequestHandler] | [RequestHandler, Options] | [RecordStep[], RequestHandler] | [RecordStep[], RequestHandler, Options]
): RouteDefinition {
  const steps = Array.isArray(rest[0]) ? rest[0] : [];
  const handler = (Array.isArray(rest[0]) ? rest[1] : rest[0]) as RequestHandler;
  const options = ((Array.isArray(rest[0]) ? rest[2] : rest[1]) ?? {}) as Options;
  for (const step of steps) if (!isRecordStep(step)) throw new Error(`route ${name}: ${String(step)} is not a load or allow step`);
  return {
    name,
    method,
    path,
    audience,
    guard: audienceGuards[audience],
    steps,
    handler,
    isOpenDuringPasswordChange: options.isOpenDuringPasswordChange ?? false,
    menu: options.menu,
    form: options.form,
    section: options.section,
    uploads: options.uploads,
  };
}

export type Layout = 'portal' | 'staff';
/** A page of a layout's menu: the route's name, its entry, and the roles its guard lets in. */
export type MenuItem = MenuEntry & { name: string; layouts: readonly Layout[]; roles: readonly Role[] };

const layoutsOf: Record<Audience, readonly Layout[]> = {
  operations: [],
  public: [],
  account: ['portal', 'staff'],
  portal: ['portal'],
  staff: ['staff'],
  admin: ['staff'],
  superadmin: ['staff'],
};

/** The menus of the signed-in layouts, drawn from the routes that have an entry, in their order. */
export function menuOf(table: readonly RouteDefinition[]): MenuItem[] {
  return table
    .filter((entry) => entry.menu)
    .map((entry) => ({ ...entry.menu!, name: entry.name, layouts: layoutsOf[entry.audience], roles: entry.guard.rolesServed }))
    .sort((a, b) => a.order - b.order);
}

/** The `:name` parameters of a path, the tenant's included. */
export function parametersOf(path: string): string[] {
  return [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
}

/** One JSON-ready line per route, as `npm run routes` prints it. */
export function describeRoutes(table: readonly RouteDefinition[]) {
  return table.map((entry) => ({
    name: entry.name,
    method: entry.method,
    path: entry.path,
    audience: entry.audience,
    guard: entry.guard.guardName,
    steps: entry.steps.map((step) => step.description),
  }));
}

/** The segments of a path: '/:tenant/admin/customers' is [':tenant', 'admin', 'customers']. */
const segmentsOf = (path: string) => path.split('/').filter(Boolean);

/** How many leading segments two paths share. */
function sharedSegments(a: string, b: string): number {
  const [first, second] = [segmentsOf(a), segmentsOf(b)];
  let count = 0;
  while (count < first.length && count < second.length && first[count] === second[count]) count += 1;
  return count;
}

const resourceOf = (name: string) => name.split('.').slice(0, 2).join('.');

/**
 * The POST routes whose path answers no GET: a browser left there by a refused form (422 shown at
 * the POST's address) reloads it as GET, or re-posts it. Each is given the page of its form.
 */
export function postOnlyRoutes(table: readonly RouteDefinition[]): RouteDefinition[] {
  const pagePaths = new Set(table.filter((entry) => entry.method === 'GET').map((entry) => entry.path));
  return table.filter((entry) => entry.method === 'POST' && !pagePaths.has(entry.path));
}

/**
 * The GET route a POST-only path leads to: the route's own `form`, else the `new` of a `create`
 * and the `edit` of an `update`, else the page whose path shares the most with it (a page above it
 * first: /admin/accounts/:userId for /admin/accounts/:userId/lock), among pages whose parameters
 * the path has.
 * @throws Error when there is no such page (a route table that cannot answer the reload)
 */
export function formRouteOf(table: readonly RouteDefinition[], entry: RouteDefinition): RouteDefinition {
  const pages = table.filter((candidate) => candidate.method === 'GET' && candidate.audience === entry.audience || candidate.method === 'GET' && candidate.audience === 'public' && candidate.path === '/:tenant');
  const parameters = new Set(parametersOf(entry.path));
  const usable = pages.filter((page) => parametersOf(page.path).every((parameter) => parameters.has(parameter)));
  const named = entry.form ?? { create: 'new', update: 'edit', destroy: 'edit' }[entry.name.split('.')[2]!];
  const byName = entry.form ? table.find((page) => page.name === entry.form) : usable.find((page) => page.name === `${resourceOf(entry.name)}.${named}`);
  if (byName) return byName;
  if (entry.form) throw new Error(`route ${entry.name}: its form ${entry.form} is not a route`);
  const isAbove = (page: RouteDefinition) => entry.path.startsWith(`${page.path}/`);
  const ranked = [...usable].sort((a, b) => sharedSegments(b.path, entry.path) - sharedSegments(a.path, entry.path) || Number(isAbove(b)) - Number(isAbove(a)));
  if (!ranked[0]) throw new Error(`route ${entry.name}: no page of its audience for a GET of ${entry.path}`);
  return ranked[0];
}

/**
 * The menu entry a page of a signed-in layout belongs to: its route's `section`, else its own entry,
 * else the menu entry of the same resource (admin.customers.edit is under staff.customers.index), else the entry whose
 * path is the longest start of the page's path.
 */
export function sectionOf(table: readonly RouteDefinition[], entry: RouteDefinition, layout: Layout): string | undefined {
  if (entry.section) return entry.section;
  const entries = menuOf(table).filter((item) => item.layouts.includes(layout) && entry.guard.rolesServed.every((role) => item.roles.includes(role)));
  const pathOf = (name: string) => table.find((candidate) => candidate.name === name)!.path;
  // A menu entry's own page is its own section (Administration is admin.dashboards, not the staff's dashboard).
  if (entries.some((item) => item.name === entry.name)) return entry.name;
  const resource = entry.name.split('.')[1];
  const sameResource = entries.find((item) => item.name.split('.')[1] === resource);
  if (sameResource) return sameResource.name;
  const above = entries.filter((item) => entry.path === pathOf(item.name) || entry.path.startsWith(`${pathOf(item.name)}/`));
  return above.sort((a, b) => pathOf(b.name).length - pathOf(a.name).length)[0]?.name;
}

/**
 * The menu entry of every page, per layout, worked out once when the app is built. A POST that
 * answers with a page (a refused form, a conflict) belongs where its form does.
 */
export function sectionsOf(table: readonly RouteDefinition[]): Record<Layout, Map<string, string>> {
  const sections = { portal: new Map<string, string>(), staff: new Map<string, string>() };
  const pageOf = (entry: RouteDefinition) => {
    if (entry.method === 'GET') return entry;
    try {
      return formRouteOf(table, entry);
    } catch {
      return entry;
    }
  };
  for (const entry of table) {
    for (const layout of layoutsOf[entry.audience]) {
      const section = sectionOf(table, pageOf(entry), layout);
      if (section) sections[layout].set(entry.name, section);
    }
  }
  return sections;
}
