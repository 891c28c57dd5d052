import type { Knex } from 'knex';
import type { SystemWork } from '../db/installation.js';
import type { Scope } from '../db/scope.js';
import { NotFoundError } from '../lib/errors.js';
import type { Page } from '../lib/pagination.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

export type Job = {
  id: number;
  tenantId: number | null;
  kind: string;
  payload: unknown;
  status: JobStatus;
  attempts: number;
  leaseOwner: string | null;
  lastError: string | null;
  runAt: string;
  createdAt: string;
  finishedAt: string | null;
};

export type NewJob = { kind: string; payload: Record<string, unknown>; runAt: Date; uniqueKey?: string };

const table = 'jobs' as const;

function toJob(row: Record<string, unknown>): Job {
  return {
    id: Number(row.id),
    tenantId: row.tenant_id === null ? null : Number(row.tenant_id),
    kind: String(row.kind),
    payload: JSON.parse(String(row.payload)) as unknown,
    status: row.status as JobStatus,
    attempts: Number(row.attempts),
    leaseOwner: (row.lease_owner as string | null) ?? null,
    lastError: (row.last_error as string | null) ?? null,
    runAt: String(row.run_at),
    createdAt: String(row.created_at),
    finishedAt: (row.finished_at as string | null) ?? null,
  };
}

function rowOf(job: NewJob, uniqueKey: string | null): Record<string, unknown> {
  const stamp = toDatabaseTime(job.runAt);
  return { kind: job.kind, payload: JSON.stringify(job.payload), unique_key: uniqueKey, status: 'pending', run_at: stamp, attempts: 0, created_at: stamp };
}

/**
 * Queues a tenant's job in the caller's transaction: it runs only if the change that asked for it
 * commits. With a unique key, a job already queued under it is the one returned (an idempotent enqueue).
 */
export async function enqueueTenantJob(scope: Scope, job: NewJob): Promise<number> {
  if (job.uniqueKey === undefined) return scope.insert('jobs', rowOf(job, null));
  const uniqueKey = `tenant:${scope.tenantId}:${job.uniqueKey}`;
  await scope.insertQuery('jobs', rowOf(job, uniqueKey)).onConflict('unique_key').ignore();
  return Number((await scope.table('jobs').where('unique_key', uniqueKey).first('id')).id);
}

/** Queues system work (no tenant), such as housekeeping; idempotent by its unique key, like a tenant's. */
export async function enqueueSystemJob(system: SystemWork, job: NewJob): Promise<number> {
  const uniqueKey = job.uniqueKey === undefined ? null : `system:${job.uniqueKey}`;
  const row = { ...rowOf(job, uniqueKey), tenant_id: null };
  if (uniqueKey === null) return Number((await system.acrossTenants(table).insert(row))[0]);
  await system.acrossTenants(table).insert(row).onConflict('unique_key').ignore();
  return Number((await system.acrossTenants(table).where('unique_key', uniqueKey).first('id')).id);
}

/** Due: pending and its time has come, or running under a lease that has run out (its worker died). */
function whereClaimable(query: Knex.QueryBuilder, stamp: string): Knex.QueryBuilder {
  return query.andWhere((either) =>
    either.where((pending) => pending.where('status', 'pending').andWhere('run_at', '<=', stamp)).orWhere((lapsed) => lapsed.where('status', 'running').andWhere('lease_until', '<', stamp)),
  );
}

/**
 * Takes the next due job of the given kinds, of any tenant (the runner is system work), under a
 * lease for this worker. A conditional update per job: of workers that race for one job, one
 * wins. The attempt is counted here, so a job whose worker keeps dying still runs out of them.
 */
export async function claimJob(system: SystemWork, options: { owner: string; kinds: string[]; leaseSecondsOf(kind: string): number }): Promise<Job | null> {
  const jobs = () => system.acrossTenants(table);
  const now = system.now();
  const stamp = toDatabaseTime(now);
  const due: Array<{ id: number; kind: string; attempts: number }> = await whereClaimable(jobs().select('id', 'kind', 'attempts').whereIn('kind', options.kinds), stamp).orderBy('run_at').orderBy('id').limit(10);
  for (const { id, kind, attempts } of due) {
    const leaseUntil = toDatabaseTime(new Date(now.getTime() + options.leaseSecondsOf(kind) * 1000));
    // The attempts read are part of the condition: of two workers racing for the job, the one that lost updates nothing.
    const taken = await whereClaimable(jobs().where({ id, attempts }), stamp).update({ status: 'running', lease_owner: options.owner, lease_until: leaseUntil, attempts: Number(attempts) + 1 });
    if (taken) return toJob(await jobs().where({ id, lease_owner: options.owner }).first());
  }
  return null;
}

/** Moves the lease on while the job runs; false when the job is no longer this worker's. */
export async function renewLease(system: SystemWork, job: Pick<Job, 'id'>, owner: string, until: Date): Promise<boolean> {
  return (await system.acrossTenants(table).where({ id: job.id, lease_owner: owner, status: 'running' }).update({ lease_until: toDatabaseTime(until) })) > 0;
}

/** The job is done (only if this worker still holds it: a worker whose lease ran out leaves it to the next). */
export async function completeJob(system: SystemWork, job: Pick<Job, 'id'>, owner: string): Promise<void> {
  await system.acrossTenants(table).where({ id: job.id, lease_owner: owner }).update({ status: 'done', finished_at: toDatabaseTime(system.now()), lease_owner: null, lease_until: null, last_error: null });
}

/**
 * A failed attempt: the job waits until retryAt, or with no retryAt has failed for good.
 * @returns false when the job was no longer this worker's (its lease ran out and another took it)
 */
export async function failJob(system: SystemWork, job: Pick<Job, 'id'>, owner: string, failure: { error: string; retryAt: Date | null }): Promise<boolean> {
  const common = { lease_owner: null, lease_until: null, last_error: failure.error.slice(0, 500) };
  const changes = failure.retryAt ? { ...common, status: 'pending', run_at: toDatabaseTime(failure.retryAt) } : { ...common, status: 'failed', finished_at: toDatabaseTime(system.now()) };
  return (await system.acrossTenants(table).where({ id: job.id, lease_owner: owner }).update(changes)) > 0;
}

/**
 * Puts a tenant's failed job back to run now, with its attempts anew (superadmins). A job of
 * another tenant is not found; one that is not failed (retried a moment ago) is left as it is.
 * @returns whether the job was failed and is now queued again
 * @throws NotFoundError when the tenant has no such job
 */
export function retryFailedJob(scope: Scope, id: number): Promise<boolean> {
  return scope.transaction(async (trx) => {
    await findJob(trx, id);
    const changed = await trx.table('jobs').where({ id, status: 'failed' }).update({ status: 'pending', run_at: toDatabaseTime(trx.now()), attempts: 0, finished_at: null });
    if (changed > 0) await logEvent(trx, { action: 'job.retried', subjectType: 'job', subjectId: id });
    return changed > 0;
  });
}

/** @throws NotFoundError when the job is not the scope tenant's (another tenant's, or system work) */
export async function findJob(scope: Scope, id: number): Promise<Job> {
  const row = await scope.table('jobs').where('id', id).first();
  if (!row) throw new NotFoundError(`job ${id} not found`);
  return toJob(row);
}

/** One page of the tenant's failed jobs, the latest failure first. */
export async function listFailedJobs(scope: Scope, page: Page): Promise<{ jobs: Job[]; total: number }> {
  const failed = () => scope.table('jobs').where('status', 'failed');
  const [countRow, rows] = await Promise.all([
    failed().count({ count: '*' }).first(),
    failed().orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(page.perPage).offset(page.offset),
  ]);
  return { jobs: rows.map(toJob), total: Number(countRow?.count ?? 0) };
}

/** Forgets jobs done before one moment and jobs failed before another (housekeeping). */
export async function deleteFinishedJobs(system: SystemWork, before: { done: Date; failed: Date }): Promise<void> {
  await system.acrossTenants(table).where('status', 'done').andWhere('finished_at', '<', toDatabaseTime(before.done)).delete();
  await system.acrossTenants(table).where('status', 'failed').andWhere('finished_at', '<', toDatabaseTime(before.failed)).delete();
}
