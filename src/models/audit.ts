import { actingUserId, type Scope } from '../db/scope.js';
import { canonicalJson, chainHash, genesisHash, type ChainHead } from '../lib/audit-chain.js';
import { normalizeIp } from '../lib/ip.js';
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

/** Per transaction (scope.transactionState): the rows it has logged, per tenant, until they are chained at its end. */
const pendingKey = 'audit.pending';
type Pending = Map<number, { scope: Scope; rows: PendingRow[] }>;

/**
 * Records a security- or money-relevant event in the tenant's audit log, inside the caller's
 * transaction. The row is written at the end of that transaction with its sequence number and
 * hash (see appendToChain), so the chain's lock is the last one the transaction takes; its time
 * is when it was logged, and the sequence is the order in which transactions reached their end.
 */
export async function logEvent(scope: Scope, event: AuditEvent): Promise<void> {
  if (!scope.isTransaction) return scope.transaction((trx) => logEvent(trx, event));
  const row: PendingRow = {
    actorId: event.actorId !== undefined ? event.actorId : actingUserId(scope.actor),
    action: event.action,
    subjectType: event.subjectType ?? null,
    subjectId: event.subjectId ?? null,
    details: event.details ? canonicalJson(event.details) : null,
    ip: normalizeIp(event.ip),
    createdAt: toDatabaseTime(scope.now()),
  };
  const state = scope.transactionState!;
  const pending = state.get(pendingKey) as Pending | undefined;
  if (pending) {
    const entry = pending.get(scope.tenantId) ?? { scope, rows: [] };
    pending.set(scope.tenantId, { scope: entry.scope, rows: [...entry.rows, row] });
    return;
  }
  const fresh: Pending = new Map([[scope.tenantId, { scope, rows: [row] }]]);
  if (scope.deferToCommit(() => appendAll(scope, fresh))) state.set(pendingKey, fresh);
  // A transaction opened elsewhere has no end we can reach: append now, and hold the lock till it commits.
  else await appendToChain(scope, [row]);
}

/**
 * A signed-in user was refused a page of a higher role (the superadmin's): the route's name, not
 * its address (which may hold ids typed by hand), and the user as the actor.
 */
export async function recordAccessDenied(scope: Scope, routeName: string, ip: string | null): Promise<void> {
  await logEvent(scope, { action: 'access.denied', details: { route: routeName }, ip });
}

/** Tenants in ascending order, so two transactions that log for the same two tenants lock them alike. */
async function appendAll(scope: Scope, pending: Pending): Promise<void> {
  scope.transactionState!.delete(pendingKey);
  for (const tenantId of [...pending.keys()].sort((a, b) => a - b)) {
    const entry = pending.get(tenantId)!;
    await appendToChain(entry.scope, entry.rows);
  }
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
async function appendToChain(scope: Scope, rows: PendingRow[]): Promise<void> {
  let head = await lockHead(scope);
  const chained = rows.map(({ ip, ...row }) => {
    const content = { tenantId: scope.tenantId, sequence: head.lastSequence + 1, ...row, previousHash: head.lastHash };
    const hash = chainHash(content);
    head = { lastSequence: content.sequence, lastHash: hash };
    return {
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
  await scope.insertQuery('audit_log', chained);
  await scope.table('audit_chain_heads').update({ last_sequence: head.lastSequence, last_hash: head.lastHash });
}

async function lockHead(scope: Scope): Promise<ChainHead> {
  if (scope.isMysql) await scope.tenantRow().forShare().first('id');
  const query = scope.table('audit_chain_heads').first('last_sequence', 'last_hash');
  const row = scope.isMysql ? await query.forUpdate() : await query;
  if (row) return { lastSequence: Number(row.last_sequence), lastHash: String(row.last_hash) };
  return startHead(scope);
}

/**
 * Starts a new tenant's chain, in the transaction that creates the tenant. A plain insert: found
 * missing by appendToChain's locking read instead, the head's gap would be locked, and two tenants
 * created at once would each wait for the other's gap to insert into it (MySQL found that deadlock).
 */
export async function startAuditChain(scope: Scope): Promise<void> {
  await scope.insertQuery('audit_chain_heads', { last_sequence: 0, last_hash: genesisHash });
}

/**
 * A head that is missing although the tenant exists was lost (every tenant gets one when it is
 * created, or from the migration for older ones): rebuilt from the last chained row, the chain
 * goes on where it ended.
 */
async function startHead(scope: Scope): Promise<ChainHead> {
  const last = await scope.table('audit_log').whereNotNull('sequence').orderBy('sequence', 'desc').first('sequence', 'hash');
  const head = last ? { lastSequence: Number(last.sequence), lastHash: String(last.hash) } : { lastSequence: 0, lastHash: genesisHash };
  await scope.insertQuery('audit_chain_heads', { last_sequence: head.lastSequence, last_hash: head.lastHash });
  return head;
}
