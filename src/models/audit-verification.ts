import type { SystemWork } from '../db/installation.js';
import type { Scope } from '../db/scope.js';
import { toDatabaseTime } from '../lib/time.js';
import { endWalk, startWalk, stepWalk, type ChainBreak, type ChainedRow, type ChainHead } from '../lib/audit-chain.js';

/** `lastHash`, the hash of the last entry, stands for the whole chain: written down elsewhere, it anchors it. */
export type AuditChainReport = { isIntact: true; rows: number; lastHash: string } | { isIntact: false; rows: number; break: ChainBreak };

const batchSize = 1000;

/**
 * Walks the tenant's audit chain from its first row and reports the first row where it does not
 * hold: edited, missing (removed) or out of place (inserted or reordered); `rows` counts the rows
 * found intact before it. One transaction reads a consistent snapshot, so events appended while
 * it walks are not taken for breaks.
 */
export async function verifyAuditChain(scope: Scope): Promise<AuditChainReport> {
  return scope.transaction(async (trx) => {
    const head = await readHead(trx);
    const walk = startWalk(head);
    for (let after = 0; ; ) {
      const rows = await trx.table('audit_log').where('sequence', '>', after).orderBy('sequence').limit(batchSize);
      for (const row of rows.map(toChainedRow)) {
        const found = stepWalk(walk, row);
        if (found) return { isIntact: false, rows: walk.checked, break: found };
      }
      if (rows.length < batchSize) break;
      after = walk.nextSequence - 1;
    }
    const found = endWalk(walk) ?? (await firstUnchainedRow(trx));
    return found ? { isIntact: false, rows: walk.checked, break: found } : { isIntact: true, rows: walk.checked, lastHash: walk.previousHash };
  });
}

async function readHead(scope: Scope): Promise<ChainHead | undefined> {
  const row = await scope.table('audit_chain_heads').first('last_sequence', 'last_hash');
  return row ? { lastSequence: Number(row.last_sequence), lastHash: String(row.last_hash) } : undefined;
}

/** A row with no sequence was written around the chain (logEvent always gives one). */
async function firstUnchainedRow(scope: Scope): Promise<ChainBreak | undefined> {
  const row = await scope.table('audit_log').whereNull('sequence').orderBy('id').first('id');
  return row ? { kind: 'out-of-place', sequence: null, rowId: Number(row.id) } : undefined;
}

function toChainedRow(row: Record<string, unknown>): ChainedRow {
  const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    id: Number(row.id),
    tenantId: Number(row.tenant_id),
    sequence: Number(row.sequence),
    createdAt: String(row.created_at),
    actorId: numberOrNull(row.actor_id),
    action: String(row.action),
    subjectType: (row.subject_type as string | null) ?? null,
    subjectId: numberOrNull(row.subject_id),
    details: (row.details as string | null) ?? null,
    previousHash: (row.previous_hash as string | null) ?? null,
    hash: (row.hash as string | null) ?? null,
  };
}

/** The last verification of the tenant's chain, as the superadmin's start page shows it. */
export type AuditVerification = { checkedAt: string; isIntact: boolean; rows: number; breakKind: ChainBreak['kind'] | null; breakSequence: number | null; breakRowId: number | null };

/**
 * Keeps the result of a verification as the tenant's latest (one row per tenant, replaced): a
 * record about the log, not an event in it, so it is not itself logged.
 */
export async function recordAuditVerification(scope: Scope, report: AuditChainReport): Promise<void> {
  const found = report.isIntact ? undefined : report.break;
  const row = {
    checked_at: toDatabaseTime(scope.now()),
    is_intact: report.isIntact,
    checked_rows: report.rows,
    break_kind: found?.kind ?? null,
    break_sequence: found?.sequence ?? null,
    break_row_id: found?.rowId ?? null,
  };
  await scope.insertQuery('audit_verifications', row).onConflict(['tenant_id']).merge(Object.keys(row));
}

/** The tenant's latest verification, or undefined when its chain was never verified. */
export async function findLastAuditVerification(scope: Scope): Promise<AuditVerification | undefined> {
  const row = await scope.table('audit_verifications').first();
  if (!row) return undefined;
  const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    checkedAt: String(row.checked_at),
    isIntact: Boolean(row.is_intact),
    rows: Number(row.checked_rows),
    breakKind: (row.break_kind as ChainBreak['kind'] | null) ?? null,
    breakSequence: numberOrNull(row.break_sequence),
    breakRowId: numberOrNull(row.break_row_id),
  };
}

/** Every tenant's id, active or not: a deactivated provider's log is evidence too. */
export async function tenantsToVerify(system: SystemWork): Promise<number[]> {
  return (await system.tenants().orderBy('id').pluck('id')).map(Number);
}
