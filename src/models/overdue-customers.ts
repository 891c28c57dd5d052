import { isAdministrator, signedInUser, type Scope } from '../db/scope.js';
import { listAgingReport, type AgingReportRow } from './aging-report.js';
import { forgetIfFailed, setNewest } from '../lib/bounded-map.js';

/**
 * The staff start page's customers with money overdue (M9) as of a moment: the first rows, most
 * overdue first, with how many there are in all.
 *
 * The figures are the aging report's, which sums every approved invoice of the tenant with its
 * corrections and payments as of today: two aggregates over the whole ledger (with 2,000,000 entries,
 * seconds), which no index can make cheap, since the buckets move with the day. The start page is
 * opened all day by every member of staff, so the figures are kept per process for a few minutes
 * and the page says when they were summed ("as of 10:42"); the aging report itself is always summed
 * afresh. Admins see the whole tenant and share one copy; a caretaker's copy is their own. Views
 * that arrive while the figures are being summed wait for the same sum instead of starting another.
 * A summary table kept in the ledger's transactions was the alternative (docs/decisions.md).
 */
export type OverdueCustomers = { rows: AgingReportRow[]; total: number; asOf: Date };

export const overdueCustomersLifetimeMilliseconds = 5 * 60_000;
const keptCopies = 5000;
type Copies = Map<string, { until: number; figures: Promise<OverdueCustomers> }>;
const copiesByDatabase = new WeakMap<object, Copies>();

/**
 * The copies kept for the database the scope reads, found by its knex client: a process serves one
 * database, but a test worker runs many files, each with its own databases and the same tenant ids.
 */
function copiesOf(scope: Scope): Copies {
  const database = (scope.tenantRow() as unknown as { client: object }).client;
  let copies = copiesByDatabase.get(database);
  if (!copies) copiesByDatabase.set(database, (copies = new Map()));
  return copies;
}

/** The overdue customers the signed-in member of staff sees on `today`, as last summed within the lifetime. */
export function findOverdueCustomers(scope: Scope, today: string, limit: number): Promise<OverdueCustomers> {
  const user = signedInUser(scope);
  const viewer = isAdministrator(scope.actor) ? 'all' : `user:${user.id}`;
  const key = `${scope.tenantId}|${viewer}|${today}|${limit}`;
  const copies = copiesOf(scope);
  const now = scope.now().getTime();
  const kept = copies.get(key);
  if (kept && kept.until > now) return kept.figures;
  const figures = sumOverdueCustomers(scope, today, limit);
  const copy = { until: now + overdueCustomersLifetimeMilliseconds, figures };
  setNewest(copies, key, copy, keptCopies);
  // A failed sum is not kept: the next view tries again.
  forgetIfFailed(copies, key, copy, figures);
  return figures;
}

async function sumOverdueCustomers(scope: Scope, today: string, limit: number): Promise<OverdueCustomers> {
  const asOf = scope.now();
  const report = await listAgingReport(scope, { search: '', caretaker: 'all', isOnlyOverdue: true, day: today, sort: 'overdue-desc' }, { page: 1, perPage: limit, offset: 0 });
  return { rows: report.rows, total: report.pagination.total, asOf };
}
