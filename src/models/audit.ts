import type { Knex } from 'knex';
import { deferToCommit } from '../db/commit-tasks.js';
import { isMysql } from '../db/knex.js';
import type { Scope } from '../db/scope.js';
import { inTransaction } from '../db/scope.js';
import { canonicalJson, chainHash, genesisHash, type ChainHead } from '../lib/audit-chain.js';
import { toDatabaseTime } from '../lib/time.js';

/**
 * An event for the audit log. Details hold ids, field names and the tenant's own labels, never
 * personal data (names, e-mail addresses, values of personal fields): the chain's hashes cover
 * them, and a purge must be able to remove a person without breaking the chain. The IP address
 * is kept outside the hashed content, so a purge can clear it.
 */
export type AuditEvent = {
  action: string;
  subjectType?: string;
  subjectId?: number | null;
  details?: Record<string, unknown>;
  ip?: string | null;
  actorId?: number | null;
};

/** A row waiting for its place in the chain. */
type PendingRow = {
  actorId: number | null;
  action: string;
  subjectType: string | null;
  subjectId: number | null;
  details: string | null;
  ip: string | null;
  createdAt: string;
};

/** The rows each open transaction has logged, per tenant, until they are chained at its end. */
const pendingRows = new WeakMap<Knex.Transaction, Map<number, PendingRow[]>>();

/**
 * Records a security- or money-relevant event in the tenant's audit log, inside the caller's
 * transaction. The row is written at the end of that transaction with its sequence number and
 * hash (see appendToChain), so the chain's lock is the last one the transaction takes; its time
 * is when it was logged, and the sequence is the order in which transactions reached their end.
 */
export async function logEvent(scope: Scope, event: AuditEvent): Promise<void> {
  if (!scope.db.isTransaction) return inTransaction(scope, (trx) => logEvent(trx, event));
  const row: PendingRow = {
    actorId: event.actorId !== undefined ? event.actorId : (scope.actor?.id ?? null),
    action: event.action,
    subjectType: event.subjectType ?? null,
    subjectId: event.subjectId ?? null,
    details: event.details ? canonicalJson(event.details) : null,
    ip: event.ip ?? null,
    createdAt: toDatabaseTime(new Date()),
  };
  const trx = scope.db as Knex.Transaction;
  const pending = pendingRows.get(trx);
  if (pending) {
    pending.set(scope.tenantId, [...(pending.get(scope.tenantId) ?? []), row]);
    return;
  }
  const fresh = new Map([[scope.tenantId, [row]]]);
  if (deferToCommit(trx, () => appendAll(trx, fresh))) pendingRows.set(trx, fresh);
  // A transaction opened elsewhere has no end we can reach: append now, and hold the lock till it commits.
  else await appendToChain(trx, scope.tenantId, [row]);
}

/** Tenants in ascending order, so two transactions that log for the same two tenants lock them alike. */
async function appendAll(trx: Knex.Transaction, pending: Map<number, PendingRow[]>): Promise<void> {
  pendingRows.delete(trx);
  for (const tenantId of [...pending.keys()].sort((a, b) => a - b)) await appendToChain(trx, tenantId, pending.get(tenantId)!);
}

/**
 * Appends rows to the tenant's chain under its head's lock. On MySQL the head row is locked for
 * update, so two transactions cannot both take sequence N; SQLite runs one write transaction at
 * a time. The unique key (tenant_id, sequence) refuses a fork should either ever fail.
 *
 * Lock order, so that this cannot deadlock: the caller's own rows (account.ts's superadmin rows
 * among them), then the tenant row shared, then the chain head. The head is the last lock of every
 * transaction, taken once its work is done, and after it the holder only inserts its own new rows,
 * so it never waits for another lock while holding the head. The tenant row comes before the head
 * because the audit rows' foreign key takes it shared anyway: taken after the head, it would wait
 * for anyone holding it for update, who might be waiting for the head.
 */
async function appendToChain(db: Knex.Transaction, tenantId: number, rows: PendingRow[]): Promise<void> {
  let head = await lockHead(db, tenantId);
  const chained = rows.map(({ ip, ...row }) => {
    const content = { tenantId, sequence: head.lastSequence + 1, ...row, previousHash: head.lastHash };
    const hash = chainHash(content);
    head = { lastSequence: content.sequence, lastHash: hash };
    return {
      tenant_id: tenantId,
      sequence: content.sequence,
      actor_id: row.actorId,
      action: row.action,
      subject_type: row.subjectType,
      subject_id: row.subjectId,
      details: row.details,
      ip,
      created_at: row.createdAt,
      previous_hash: content.previousHash,
      hash,
    };
  });
  await db('audit_log').insert(chained);
  await db('audit_chain_heads').where('tenant_id', tenantId).update({ last_sequence: head.lastSequence, last_hash: head.lastHash });
}

async function lockHead(db: Knex.Transaction, tenantId: number): Promise<ChainHead> {
  const onMysql = isMysql(db);
  if (onMysql) await db('tenants').where('id', tenantId).forShare().first('id');
  const query = db('audit_chain_heads').where('tenant_id', tenantId).first('last_sequence', 'last_hash');
  const row = onMysql ? await query.forUpdate() : await query;
  if (row) return { lastSequence: Number(row.last_sequence), lastHash: String(row.last_hash) };
  return startHead(db, tenantId);
}

/**
 * Starts a new tenant's chain, in the transaction that creates the tenant. A plain insert: found
 * missing by appendToChain's locking read instead, the head's gap would be locked, and two tenants
 * created at once would each wait for the other's gap to insert into it (MySQL found that deadlock).
 */
export async function startAuditChain(scope: Scope): Promise<void> {
  await scope.db('audit_chain_heads').insert({ tenant_id: scope.tenantId, last_sequence: 0, last_hash: genesisHash });
}

/**
 * A head that is missing although the tenant exists was lost (every tenant gets one when it is
 * created, or from the migration for older ones): rebuilt from the last chained row, the chain
 * goes on where it ended.
 */
async function startHead(db: Knex.Transaction, tenantId: number): Promise<ChainHead> {
  const last = await db('audit_log').where('tenant_id', tenantId).whereNotNull('sequence').orderBy('sequence', 'desc').first('sequence', 'hash');
  const head = last ? { lastSequence: Number(last.sequence), lastHash: String(last.hash) } : { lastSequence: 0, lastHash: genesisHash };
  await db('audit_chain_heads').insert({ tenant_id: tenantId, last_sequence: head.lastSequence, last_hash: head.lastHash });
  return head;
}
