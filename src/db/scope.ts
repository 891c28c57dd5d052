import type { Knex } from 'knex';
import { ForbiddenError, isDeadlock } from '../lib/errors.js';
import type { Clock } from '../lib/time.js';
import { deferToCommit, runWithCommitTasks } from './commit-tasks.js';
import { isMysql } from './knex.js';
import { forgetIfFailed, setNewest } from '../lib/bounded-map.js';

export const roles = ['client', 'caretaker', 'admin', 'superadmin'] as const;
export type Role = (typeof roles)[number];
export const staffRoles: readonly Role[] = ['caretaker', 'admin', 'superadmin'];

/** A person signed in through the browser. */
export type UserActor = {
  kind: 'user';
  id: number;
  tenantId: number;
  role: Role;
  customerId: number | null;
  /** A client who approves the tickets of their customer (T7); the account is reloaded on every request, so a change acts at once. */
  isApprover?: boolean;
  /**
   * A client who is their customer's primary contact (A12), read with the account this request. Left
   * out (an actor made without the account's row), the base queries ask the database instead.
   */
  isPrimaryContact?: boolean;
};
/** A request nobody has signed in to: the sign-in page, one-time links, password resets. It sees no tenant data. */
export type VisitorActor = { kind: 'visitor' };
/** An integration client of the accounting system (D6), once the API exists. */
export type ApiActor = { kind: 'api'; clientId: number; tenantId: number };
/** Work no person asked for (the CLI, seeds, jobs); it sees every row of its tenant and says why. */
export type SystemActor = { kind: 'system'; reason: string };

/** Who is acting. Never null: "nobody" is a visitor, who sees nothing, and system work names itself. */
export type Actor = UserActor | VisitorActor | ApiActor | SystemActor;
/** The actors a browser request can be: a request never acts as system. */
export type RequestActor = UserActor | VisitorActor;

/**
 * The tables whose rows belong to one tenant: tenant_id leads their keys, and a scope reaches them
 * only with its tenant's condition. (sessions and jobs have tenant_id too: null before sign-in, and
 * for system work.)
 */
export const tenantTables = ['users', 'customers', 'groups', 'settings', 'audit_log', 'audit_chain_heads', 'outbox', 'password_tokens', 'customer_change_requests', 'sessions', 'jobs', 'documents', 'stored_files', 'file_blobs', 'ticket_categories', 'ticket_counters', 'tickets', 'ticket_messages', 'ticket_events', 'ticket_search', 'ticket_message_search', 'ledger_entries', 'ledger_allocations', 'idempotency_keys', 'mail_intake', 'ticket_cost_lines', 'payment_reminders', 'imports', 'announcements', 'announcement_readings', 'purge_requests', 'audit_verifications', 'tenant_configuration_versions'] as const;
export type TenantTable = (typeof tenantTables)[number];
/** A tenant table, optionally with an alias for joins: 'users as caretakers'. */
export type TenantTableReference = TenantTable | `${TenantTable} as ${string}`;
/** Tables of the installation that no tenant owns; a scope may reach them by name. */
export const sharedTables = ['login_throttles'] as const;
export type SharedTable = (typeof sharedTables)[number];

/**
 * What every model verb receives: one tenant, one actor, and the app's clock. Models reach the
 * database only through it: tenant tables always carry the tenant's condition, the raw knex
 * handle stays inside (a private field), and "now" is the clock's.
 */
export type Scope<A extends Actor = Actor> = {
  readonly tenantId: number;
  readonly actor: A;
  readonly isMysql: boolean;
  /** Whether this scope runs inside a transaction (verbs that retry must not retry inside one). */
  readonly isTransaction: boolean;
  /** The current time, from the app's clock (tests move it). */
  now(): Date;
  /** A query on a tenant table, already limited to the scope's tenant. */
  table(reference: TenantTableReference): Knex.QueryBuilder;
  /** Inserts one row into a tenant table (tenant_id is filled in) and returns its id. */
  insert(table: TenantTable, row: Record<string, unknown>): Promise<number>;
  /** An insert into a tenant table (tenant_id filled in) to finish with onConflict and the like. */
  insertQuery(table: TenantTable, rows: Record<string, unknown> | Array<Record<string, unknown>>): Knex.QueryBuilder;
  /** The scope's own row of the tenants table. */
  tenantRow(): Knex.QueryBuilder;
  /** A select from a derived table made of this scope's own query (already tenant-limited): a capped count. */
  derived(query: Knex.QueryBuilder, alias: string): Knex.QueryBuilder;
  /**
   * This scope's own queries (already tenant-limited) in one statement by UNION ALL, each keeping its
   * order and limit: `(a) union all (b)` on MySQL; on SQLite, which allows no parentheses there, each
   * from a derived table. Rows of a union come in no order.
   */
  unionAll(queries: readonly Knex.QueryBuilder[]): Knex.QueryBuilder;
  /** A table of the installation that no tenant owns (sign-in counters). */
  shared(table: SharedTable): Knex.QueryBuilder;
  /** An SQL expression to use inside a scoped query (`version + 1`), never a query of its own. */
  raw(sql: string, bindings?: readonly Knex.RawBinding[]): Knex.Raw;
  /** Runs work in a transaction, or joins the one this scope is in; then the work deferred to its end. */
  transaction<T>(work: (scope: Scope<A>) => Promise<T>): Promise<T>;
  /**
   * Defers work to the end of this scope's transaction, just before it commits (the audit chain
   * appends there). @returns false outside a transaction a scope opened (the caller runs it at once)
   */
  deferToCommit(task: () => Promise<void>): boolean;
  /** State shared by every scope of one transaction (what waits for its end), undefined outside one. */
  readonly transactionState: Map<string, unknown> | undefined;
  /**
   * The same tenant acting as the user a credential has just proved (a password, a one-time
   * link). Only the authentication verbs use it; a test lists them.
   */
  authenticatedAs(user: Omit<UserActor, 'kind'>): Scope<UserActor>;
  /**
   * Values worked out once per request (the settings in force): shared by the request's scopes,
   * absent for other work and inside a transaction, which must read what is stored now; emptied
   * when a transaction the request opened commits, since it may have changed what was worked out.
   */
  readonly memo: Map<string, unknown> | undefined;
  /**
   * The tenant's configuration (its row, settings, ticket categories, when its urgent announcements are
   * in force: read by nearly every page, changed seldom), worked out once per request as `memoised`
   * does, and across requests as this process kept it from an earlier one, when that read it under the
   * configuration version this request read with its signed-in user (rememberConfigurationVersion); else
   * the work's answer, kept for the requests after. Without a version read (a visitor), in a
   * transaction, or past keptMilliseconds, the work runs. A change writes a new version in its own
   * transaction (models/tenant-configuration.ts), so no process serves what was kept before it.
   */
  kept<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** The columns of a tenant table, read once per database (the schema changes only by migration, before the app starts). */
  columnsOf(table: TenantTable): Promise<string[]>;
};

type ScopeOptions<A extends Actor> = { tenantId: number; actor: A; clock: Clock; memo?: Map<string, unknown> };

/** Per transaction, what its scopes keep until its end (WeakMap: gone with the transaction). */
const transactionStates = new WeakMap<Knex.Transaction, Map<string, unknown>>();

type Kept = { version: string; value: Promise<unknown>; until: number };

/**
 * What Scope.kept keeps, per database handle (a process may open several: the tests do), by tenant and
 * key. At most keptLimit entries, the oldest giving way; each for keptMilliseconds at most, which bounds
 * how long a change made past the models (by hand, in SQL) can go unseen.
 */
const keptByDatabase = new WeakMap<Knex, Map<string, Kept>>();
const keptLimit = 20_000;
const keptMilliseconds = 5 * 60_000;
const configurationVersionKey = 'configuration-version';
/** Scope.columnsOf's answers, per knex client (the app's handle; a transaction's scope would read its own once). */
const columnsByClient = new WeakMap<object, Map<string, Promise<string[]>>>();

/** A value and everything in it made read-only: plain objects and arrays (a Buffer or a Date stays as it is). */
function frozen<T>(value: T): T {
  const isPlain = Array.isArray(value) || (value !== null && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value)));
  if (isPlain && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) frozen(inner);
  }
  return value;
}

/** The tenant's configuration version as this request read it (with its user): what Scope.kept goes by. */
export function rememberConfigurationVersion(scope: Scope, version: unknown): void {
  if (typeof version === 'string' && version !== '') scope.memo?.set(configurationVersionKey, version);
}

class DatabaseScope<A extends Actor> implements Scope<A> {
  readonly #db: Knex | Knex.Transaction;
  readonly #clock: Clock;
  readonly tenantId: number;
  readonly actor: A;
  readonly memo: Map<string, unknown> | undefined;

  constructor(db: Knex | Knex.Transaction, options: ScopeOptions<A>) {
    this.#db = db;
    this.#clock = options.clock;
    this.tenantId = options.tenantId;
    this.actor = options.actor;
    this.memo = options.memo;
  }

  get isMysql(): boolean {
    return isMysql(this.#db);
  }

  get isTransaction(): boolean {
    return Boolean(this.#db.isTransaction);
  }

  now(): Date {
    return this.#clock();
  }

  table(reference: TenantTableReference): Knex.QueryBuilder {
    const [table, alias] = reference.split(/\s+as\s+/i) as [string, string | undefined];
    if (!(tenantTables as readonly string[]).includes(table)) throw new Error(`${table} is not a tenant table`);
    return this.#db(reference).where(`${alias ?? table}.tenant_id`, this.tenantId);
  }

  async insert(table: TenantTable, row: Record<string, unknown>): Promise<number> {
    const [inserted] = await this.insertQuery(table, row);
    return Number(inserted);
  }

  insertQuery(table: TenantTable, rows: Record<string, unknown> | Array<Record<string, unknown>>): Knex.QueryBuilder {
    if (!(tenantTables as readonly string[]).includes(table)) throw new Error(`${table} is not a tenant table`);
    const withTenant = (row: Record<string, unknown>) => ({ ...row, tenant_id: this.tenantId });
    return this.#db(table).insert(Array.isArray(rows) ? rows.map(withTenant) : withTenant(rows));
  }

  tenantRow(): Knex.QueryBuilder {
    return this.#db('tenants').where('tenants.id', this.tenantId);
  }

  derived(query: Knex.QueryBuilder, alias: string): Knex.QueryBuilder {
    return this.#db.queryBuilder().from(query.as(alias));
  }

  unionAll(queries: readonly Knex.QueryBuilder[]): Knex.QueryBuilder {
    if (this.isMysql) return this.#db.queryBuilder().unionAll([...queries], true);
    const [first, ...rest] = queries.map((query, index) => this.#db.queryBuilder().from(query.as(`part_${index}`)));
    return first!.unionAll(rest, false);
  }

  shared(table: SharedTable): Knex.QueryBuilder {
    if (!(sharedTables as readonly string[]).includes(table)) throw new Error(`${table} is not a shared table`);
    return this.#db(table);
  }

  raw(sql: string, bindings: readonly Knex.RawBinding[] = []): Knex.Raw {
    return this.#db.raw(sql, bindings as Knex.RawBinding[]);
  }

  async transaction<T>(work: (scope: Scope<A>) => Promise<T>): Promise<T> {
    if (this.#db.isTransaction) return work(this);
    const result = await (this.#db as Knex).transaction((trx) => runWithCommitTasks(trx, () => work(new DatabaseScope(trx, { tenantId: this.tenantId, actor: this.actor, clock: this.#clock }))));
    // The transaction's scopes have no memo, so whatever it wrote (settings) is forgotten here, once committed.
    this.memo?.clear();
    return result;
  }

  kept<T>(key: string, work: () => Promise<T>): Promise<T> {
    return memoised(this, key, () => this.keptAcrossRequests(key, work));
  }

  private keptAcrossRequests<T>(key: string, work: () => Promise<T>): Promise<T> {
    const version = this.memo?.get(configurationVersionKey);
    if (this.#db.isTransaction || typeof version !== 'string') return work();
    const db = this.#db as Knex;
    let kept = keptByDatabase.get(db);
    if (!kept) keptByDatabase.set(db, (kept = new Map()));
    const name = `${this.tenantId}:${key}`;
    const now = performance.now();
    const known = kept.get(name);
    if (known && known.version === version && known.until > now) return known.value as Promise<T>;
    // Frozen: one answer now serves many requests, and none may change another's.
    const value = work().then(frozen);
    const entry: Kept = { version, value, until: now + keptMilliseconds };
    setNewest(kept, name, entry, keptLimit);
    forgetIfFailed(kept, name, entry, value);
    return value;
  }

  columnsOf(table: TenantTable): Promise<string[]> {
    const client = this.#db.client as object;
    let known = columnsByClient.get(client);
    if (!known) columnsByClient.set(client, (known = new Map()));
    let columns = known.get(table);
    if (!columns) {
      const reading = this.#db(table)
        .columnInfo()
        .then((info) => Object.keys(info));
      reading.catch(() => known.delete(table));
      known.set(table, (columns = reading));
    }
    return columns;
  }

  deferToCommit(task: () => Promise<void>): boolean {
    return this.#db.isTransaction ? deferToCommit(this.#db as Knex.Transaction, task) : false;
  }

  get transactionState(): Map<string, unknown> | undefined {
    if (!this.#db.isTransaction) return undefined;
    const trx = this.#db as Knex.Transaction;
    if (!transactionStates.has(trx)) transactionStates.set(trx, new Map());
    return transactionStates.get(trx);
  }

  authenticatedAs(user: Omit<UserActor, 'kind'>): Scope<UserActor> {
    if (user.tenantId !== this.tenantId) throw new Error(`user ${user.id} is not of tenant ${this.tenantId}`);
    return new DatabaseScope(this.#db, { tenantId: this.tenantId, actor: { kind: 'user', ...user }, clock: this.#clock, memo: this.memo });
  }
}

/** A scope on the database for one tenant and actor. Only src/db and middleware/context.ts open scopes. */
export function openScope<A extends Actor>(db: Knex | Knex.Transaction, options: ScopeOptions<A>): Scope<A> {
  return new DatabaseScope(db, options);
}

/** The actor of system work, with its reason ("cli tenant:create", "job mail.deliver"). */
export function systemActor(reason: string): SystemActor {
  return { kind: 'system', reason };
}

export const visitor: VisitorActor = { kind: 'visitor' };

/** The id of the person acting, for columns such as updated_by and the audit's actor: null for system work. */
export function actingUserId(actor: Actor): number | null {
  return actor.kind === 'user' ? actor.id : null;
}

export function isStaff(role: Role): boolean {
  return staffRoles.includes(role);
}

/** The rank used by guards: client < caretaker < admin < superadmin. */
export function roleRank(role: Role): number {
  return roles.indexOf(role);
}

/**
 * The signed-in user a verb acts for, where only a person can act (asking for a change, deciding one).
 * @throws ForbiddenError for any other actor
 */
export function signedInUser(scope: Scope): UserActor {
  if (scope.actor.kind !== 'user') throw new ForbiddenError(`${scope.actor.kind} work cannot do what only a signed-in user may`);
  return scope.actor;
}

/** Whether the actor is a signed-in admin or superadmin of the tenant. */
/**
 * What the request has worked out under this key already, else the work's answer, kept for the rest of
 * the request (scope.memo; a transaction's scope has none and works afresh, and a committed transaction
 * empties the request's). A failed answer is not kept. Keep a promise of a result, never a query
 * builder, which would run again on every await.
 */
export function memoised<T>(scope: Scope, key: string, work: () => Promise<T>): Promise<T> {
  const memo = scope.memo;
  const known = memo?.get(key) as Promise<T> | undefined;
  if (known) return known;
  const working = work();
  memo?.set(key, working);
  working.catch(() => memo?.delete(key));
  return working;
}

export function isAdministrator(actor: Actor): actor is UserActor {
  return actor.kind === 'user' && (actor.role === 'admin' || actor.role === 'superadmin');
}

/**
 * Locks one tenant row until the transaction ends, so that concurrent verbs on the same record
 * run one after the other. SQLite needs no lock: it runs one write transaction at a time.
 */
export async function lockRow(scope: Scope, table: TenantTable, id: number): Promise<void> {
  if (!scope.isMysql) return;
  await scope.table(table).where(`${table}.id`, id).forUpdate().first('id');
}

/**
 * Locks tenant rows until the transaction ends in one statement, in the order of their ids (as
 * lockRow would one by one, without a round trip per row: an import touches a thousand customers).
 */
export async function lockRows(scope: Scope, table: TenantTable, ids: readonly number[]): Promise<void> {
  if (!scope.isMysql || ids.length === 0) return;
  await scope.table(table).whereIn(`${table}.id`, [...ids]).orderBy(`${table}.id`).forUpdate().select(`${table}.id`);
}

/**
 * Runs one statement that runs on its own (no transaction around it), again if MySQL/MariaDB picks
 * it as a deadlock's victim: the victim was rolled back whole, so running it again is safe. Rows
 * that many requests insert, update and delete at once meet this: a row deleted by one request
 * and inserted again by two others at the same moment is the usual case (the sign-in counters).
 * Never for a statement inside a transaction: the victim's whole transaction is gone.
 */
export async function retryingDeadlocks<T>(statement: () => PromiseLike<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await statement();
    } catch (error) {
      if (!isDeadlock(error) || attempt >= attempts) throw error;
    }
  }
}
