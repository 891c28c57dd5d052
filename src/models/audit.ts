import type { Scope } from '../db/scope.js';
import { toDatabaseTime } from '../lib/time.js';

export type AuditEvent = {
  action: string;
  subjectType?: string;
  subjectId?: number | null;
  details?: Record<string, unknown>;
  ip?: string | null;
  actorId?: number | null;
};

/** Records a security- or money-relevant event in the tenant's audit log (inside the caller's transaction). */
export async function logEvent(scope: Scope, event: AuditEvent): Promise<void> {
  await scope.db('audit_log').insert({
    tenant_id: scope.tenantId,
    actor_id: event.actorId !== undefined ? event.actorId : (scope.actor?.id ?? null),
    action: event.action,
    subject_type: event.subjectType ?? null,
    subject_id: event.subjectId ?? null,
    details: event.details ? JSON.stringify(event.details) : null,
    ip: event.ip ?? null,
    created_at: toDatabaseTime(new Date()),
  });
}

export type AuditEntry = { id: number; action: string; actorId: number | null; subjectType: string | null; subjectId: number | null; details: Record<string, unknown> | null; createdAt: string };

/** The newest entries of the tenant's log, optionally for one subject. */
export async function listAuditEntries(scope: Scope, filter: { subjectType?: string; subjectId?: number; limit?: number } = {}): Promise<AuditEntry[]> {
  const query = scope.db('audit_log').where('tenant_id', scope.tenantId).orderBy('id', 'desc').limit(filter.limit ?? 50);
  if (filter.subjectType) query.andWhere('subject_type', filter.subjectType);
  if (filter.subjectId !== undefined) query.andWhere('subject_id', filter.subjectId);
  const rows = await query;
  return rows.map((row: Record<string, unknown>) => ({
    id: Number(row.id),
    action: String(row.action),
    actorId: row.actor_id === null ? null : Number(row.actor_id),
    subjectType: (row.subject_type as string | null) ?? null,
    subjectId: row.subject_id === null ? null : Number(row.subject_id),
    details: row.details ? (JSON.parse(String(row.details)) as Record<string, unknown>) : null,
    createdAt: String(row.created_at),
  }));
}
