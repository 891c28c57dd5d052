import type { RequestHandler } from 'express';
import type { Config } from '../config.js';
import type { Role } from '../db/scope.js';
import { guards, type Guard } from './guards.js';
import { isRecordStep, type RecordStep } from './loaders.js';

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
};

type Options = { isOpenDuringPasswordChange?: boolean; menu?: MenuEntry };

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
