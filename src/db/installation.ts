import type { Knex } from 'knex';
import type { Clock } from '../lib/time.js';
import { runWithCommitTasks } from './commit-tasks.js';
import { openScope, systemActor, tenantTables, type Scope, type SystemActor, type TenantTable } from './scope.js';

/**
 * What lies above the tenants: the tenants registry itself (found by slug before any scope
 * exists). A request reaches it only to find its tenant.
 */
export type Installation = {
  now(): Date;
  /** The tenants table: the registry of providers, no tenant's data. */
  tenants(): Knex.QueryBuilder;
  transaction<T>(work: (installation: Installation) => Promise<T>): Promise<T>;
};

/**
 * System work across tenants (delivering every tenant's e-mail, removing expired rows): the
 * installation plus every tenant's rows, for a named reason. Verbs that need it say so by taking
 * it; no request ever holds one.
 */
export type SystemWork = Omit<Installation, 'transaction'> & {
  readonly actor: SystemActor;
  /** A tenant table with the rows of every tenant. */
  acrossTenants(table: TenantTable | 'login_throttles'): Knex.QueryBuilder;
  /** One tenant's scope, acting as this system work. */
  scopeFor(tenantId: number): Scope<SystemActor>;
  transaction<T>(work: (system: SystemWork) => Promise<T>): Promise<T>;
};

class DatabaseInstallation implements SystemWork {
  readonly #db: Knex | Knex.Transaction;
  readonly #clock: Clock;
  readonly actor: SystemActor;

  constructor(db: Knex | Knex.Transaction, clock: Clock, actor: SystemActor) {
    this.#db = db;
    this.#clock = clock;
    this.actor = actor;
  }

  now(): Date {
    return this.#clock();
  }

  tenants(): Knex.QueryBuilder {
    return this.#db('tenants');
  }

  acrossTenants(table: TenantTable | 'login_throttles'): Knex.QueryBuilder {
    if (table !== 'login_throttles' && !(tenantTables as readonly string[]).includes(table)) throw new Error(`${table} is not a tenant table`);
    return this.#db(table);
  }

  scopeFor(tenantId: number): Scope<SystemActor> {
    return openScope(this.#db, { tenantId, actor: this.actor, clock: this.#clock });
  }

  transaction<T>(work: (system: SystemWork) => Promise<T>): Promise<T> {
    if (this.#db.isTransaction) return work(this);
    return (this.#db as Knex).transaction((trx) => runWithCommitTasks(trx, () => work(new DatabaseInstallation(trx, this.#clock, this.actor))));
  }
}

/** The installation as a request sees it: the tenants registry only, in a transaction too. */
export function openInstallation(db: Knex, clock: Clock): Installation {
  return registryOf(new DatabaseInstallation(db, clock, systemActor('tenant lookup')));
}

function registryOf(installation: SystemWork): Installation {
  return {
    now: () => installation.now(),
    tenants: () => installation.tenants(),
    transaction: (work) => installation.transaction((inside) => work(registryOf(inside))),
  };
}

/** System work for a reason ("cli tenant:create", "job housekeeping"): the CLI, seeds and jobs only. */
export function openSystemWork(db: Knex, clock: Clock, reason: string): SystemWork {
  return new DatabaseInstallation(db, clock, systemActor(reason));
}
