import { nameFromColumns } from './user.js';
import type { Scope } from '../db/scope.js';
import { NotFoundError } from '../lib/errors.js';
import type { Page } from '../lib/pagination.js';
import type { PurgeKind } from './purge-plan.js';
import { ticketNumber } from './ticket.js';
import { rowsForPurge, visibleAccounts, visibleCustomers, visibleLedgerEntries, visibleTickets } from './visibility.js';

/**
 * Purge requests as pages read them (D2): the request, the list, and what their targets and people
 * are called while they exist. The verbs that decide and run them are in purge.ts.
 */
export type PurgeRequestStatus = 'requested' | 'run' | 'cancelled';

export type PurgeRequest = {
  id: number;
  kind: PurgeKind;
  targetId: number;
  status: PurgeRequestStatus;
  counts: Record<string, number>;
  requestedBy: number | null;
  requestedAt: string;
  approvedBy: number | null;
  approvedAt: string | null;
  finishedBy: number | null;
  finishedAt: string | null;
  version: number;
};

const table = 'purge_requests' as const;

function toPurgeRequest(row: Record<string, unknown>): PurgeRequest {
  const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    id: Number(row.id),
    kind: row.kind as PurgeKind,
    targetId: Number(row.target_id),
    status: row.status as PurgeRequestStatus,
    counts: JSON.parse(String(row.counts)) as Record<string, number>,
    requestedBy: numberOrNull(row.requested_by),
    requestedAt: String(row.requested_at),
    approvedBy: numberOrNull(row.approved_by),
    approvedAt: (row.approved_at as string | null) ?? null,
    finishedBy: numberOrNull(row.finished_by),
    finishedAt: (row.finished_at as string | null) ?? null,
    version: Number(row.version),
  };
}

/** A purge request of the tenant (admins and superadmins see them; anyone else: not found). */
export async function findPurgeRequest(scope: Scope, id: number): Promise<PurgeRequest> {
  const row = await rowsForPurge(scope, table).where('id', id).first();
  if (!row) throw new NotFoundError(`purge request ${id} not found`);
  return toPurgeRequest(row);
}

/** One page of the tenant's purge requests: those waiting first, then the latest. */
export async function listPurgeRequests(scope: Scope, page: Page): Promise<{ requests: PurgeRequest[]; total: number }> {
  const all = () => rowsForPurge(scope, table);
  const [countRow, rows] = await Promise.all([
    all().count({ count: '*' }).first(),
    all().orderByRaw("case when status = 'requested' then 0 else 1 end").orderBy('requested_at', 'desc').orderBy('id', 'desc').limit(page.perPage).offset(page.offset),
  ]);
  return { requests: rows.map(toPurgeRequest), total: Number(countRow?.count ?? 0) };
}

/**
 * What each request's target is called while it exists (a customer's name, a ticket's number, an
 * entry's document number), for the staff's pages; a purged target has none, and the request its id.
 */
export async function purgeTargetLabels(scope: Scope, requests: readonly PurgeRequest[]): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const idsOf = (kind: PurgeKind) => requests.filter((request) => request.kind === kind).map((request) => request.targetId);
  const customers = idsOf('customer');
  if (customers.length > 0) for (const row of await visibleCustomers(scope).whereIn('customers.id', customers).select('customers.id', 'customers.name')) labels.set(`customer:${row.id}`, String(row.name));
  const ticketIds = idsOf('ticket');
  if (ticketIds.length > 0) {
    const tickets = await visibleTickets(scope);
    for (const row of await tickets().whereIn('tickets.id', ticketIds).select('tickets.id', 'tickets.year', 'tickets.sequence')) labels.set(`ticket:${row.id}`, ticketNumber(Number(row.year), Number(row.sequence)));
  }
  const entries = idsOf('ledger_entry');
  if (entries.length > 0) for (const row of await visibleLedgerEntries(scope).whereIn('ledger_entries.id', entries).select('ledger_entries.id', 'ledger_entries.document_number')) labels.set(`ledger_entry:${row.id}`, row.document_number ? String(row.document_number) : `#${row.id}`);
  return labels;
}

/** The names of the people a page of requests names (staff: the actor sees them), by id. */
export async function purgePeopleNames(scope: Scope, requests: readonly PurgeRequest[]): Promise<Map<number, string>> {
  const ids = [...new Set(requests.flatMap((request) => [request.requestedBy, request.approvedBy, request.finishedBy]).filter((id): id is number => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await visibleAccounts(scope).whereIn('users.id', ids).select('users.id', 'users.first_name', 'users.last_name');
  return new Map(rows.map((row: Record<string, unknown>) => [Number(row.id), nameFromColumns(row.first_name, row.last_name)]));
}
