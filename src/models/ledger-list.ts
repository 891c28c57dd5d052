import type { Scope } from '../db/scope.js';
import { paginate, type Page, type Pagination } from '../lib/pagination.js';
import { toLedgerEntry, type LedgerEntry, type LedgerKind, type LedgerStatus } from './ledger.js';
import { visibleLedgerEntries } from './visibility.js';

/** The filters of the admins' payments page (seed 003, "entry and control"). */
export type LedgerListQuery = { status: LedgerStatus | 'all'; kind: LedgerKind | 'all'; customer?: number | undefined };

export type LedgerListRow = LedgerEntry & { customerName: string; enteredByName: string | null; decidedByName: string | null };

const userName = (first: unknown, last: unknown) => (first === null || first === undefined ? null : `${String(first)} ${String(last ?? '')}`.trim());

/**
 * The entries the actor sees, those waiting for a decision first (oldest first, as a queue), then
 * the decided ones, the latest decision first; filtered and one page of them.
 */
export async function listLedgerEntries(scope: Scope, query: LedgerListQuery, page: Page): Promise<{ rows: LedgerListRow[]; pagination: Pagination }> {
  const filtered = () => {
    const base = visibleLedgerEntries(scope);
    if (query.status !== 'all') base.where('ledger_entries.status', query.status);
    if (query.kind !== 'all') base.where('ledger_entries.kind', query.kind);
    if (query.customer !== undefined) base.where('ledger_entries.customer_id', query.customer);
    return base;
  };
  const [{ total }] = (await filtered().count({ total: '*' })) as [{ total: number | string }];
  const rows = await filtered()
    .join('customers', function () {
      this.on('customers.tenant_id', 'ledger_entries.tenant_id').andOn('customers.id', 'ledger_entries.customer_id');
    })
    .leftJoin('users as enterers', function () {
      this.on('enterers.tenant_id', 'ledger_entries.tenant_id').andOn('enterers.id', 'ledger_entries.entered_by');
    })
    .leftJoin('users as deciders', function () {
      this.on('deciders.tenant_id', 'ledger_entries.tenant_id').andOn('deciders.id', 'ledger_entries.decided_by');
    })
    .select('ledger_entries.*', 'customers.name as customer_name', 'enterers.first_name as enterer_first', 'enterers.last_name as enterer_last', 'deciders.first_name as decider_first', 'deciders.last_name as decider_last')
    .orderByRaw("case when ledger_entries.status = 'pending' then 0 else 1 end")
    .orderByRaw("case when ledger_entries.status = 'pending' then ledger_entries.id else -ledger_entries.id end")
    .limit(page.perPage)
    .offset(page.offset);
  return {
    rows: rows.map((row: Record<string, unknown>) => ({
      ...toLedgerEntry(row),
      customerName: String(row.customer_name),
      enteredByName: userName(row.enterer_first, row.enterer_last),
      decidedByName: userName(row.decider_first, row.decider_last),
    })),
    pagination: paginate(page, Number(total)),
  };
}

/** How many entries wait for an admin's decision (the menu's count). */
export async function countPendingLedgerEntries(scope: Scope): Promise<number> {
  const [{ total }] = (await visibleLedgerEntries(scope).where('ledger_entries.status', 'pending').count({ total: '*' })) as [{ total: number | string }];
  return Number(total);
}
