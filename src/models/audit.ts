import { actingUserId, type Scope } from '../db/scope.js';
import type { Page } from '../lib/pagination.js';
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
  await scope.insertQuery('audit_log', {
    actor_id: event.actorId !== undefined ? event.actorId : actingUserId(scope.actor),
    action: event.action,
    subject_type: event.subjectType ?? null,
    subject_id: event.subjectId ?? null,
    details: event.details ? JSON.stringify(event.details) : null,
    ip: event.ip ?? null,
    created_at: toDatabaseTime(scope.now()),
  });
}

export type AuditEntry = {
  id: number;
  action: string;
  actorId: number | null;
  actorLogin: string | null;
  subjectType: string | null;
  subjectId: number | null;
  details: Record<string, unknown> | null;
  ip: string | null;
  createdAt: string;
};

/** One page of the tenant's log, newest first, with the acting user's login. */
export async function listAuditEntries(scope: Scope, page: Page): Promise<{ entries: AuditEntry[]; total: number }> {
  const [countRow, rows] = await Promise.all([
    scope.table('audit_log').count({ count: '*' }).first(),
    scope
      .table('audit_log')
      .leftJoin('users', function joinActor() {
        this.on('users.tenant_id', '=', 'audit_log.tenant_id').andOn('users.id', '=', 'audit_log.actor_id');
      })
      .orderBy('audit_log.id', 'desc')
      .limit(page.perPage)
      .offset(page.offset)
      .select('audit_log.*', 'users.login as actor_login'),
  ]);
  const entries = rows.map((row: Record<string, unknown>) => ({
    id: Number(row.id),
    action: String(row.action),
    actorId: row.actor_id === null ? null : Number(row.actor_id),
    actorLogin: (row.actor_login as string | null) ?? null,
    subjectType: (row.subject_type as string | null) ?? null,
    subjectId: row.subject_id === null ? null : Number(row.subject_id),
    details: row.details ? (JSON.parse(String(row.details)) as Record<string, unknown>) : null,
    ip: (row.ip as string | null) ?? null,
    createdAt: String(row.created_at),
  }));
  return { entries, total: Number(countRow?.count ?? 0) };
}
