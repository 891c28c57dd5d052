import type { Scope, TenantTable } from '../db/scope.js';
import { rowsForPurge } from './visibility.js';

/**
 * What a purge (D2) removes and what it unlinks, as data: the tables that hold rows of a customer,
 * a ticket or a ledger entry, each with the columns that tie its rows to what is purged. The purge,
 * its preview's counts and the customer's data export all walk this one plan, and a test reads the
 * schema (every column named customer_id or …user_id, every foreign key to these tables) and fails
 * when a table or column is missing here, so a table added later cannot keep a purged customer's rows.
 */
export type PurgeKind = 'customer' | 'ticket' | 'ledger_entry';
export const purgeKinds: readonly PurgeKind[] = ['customer', 'ticket', 'ledger_entry'];

/** The table a purge of each kind starts from: the row it names goes, with everything that hangs on it. */
export const rootTables: Readonly<Record<PurgeKind, TenantTable>> = { customer: 'customers', ticket: 'tickets', ledger_entry: 'ledger_entries' };

/** A row belongs to the purge when `column` holds a value of `ofColumn` (its id by default) of a purged row of `of`, with `where` on the row. */
export type PurgeLink = { column: string; of: TenantTable; ofColumn?: string; where?: Readonly<Record<string, string>> };
/** A table whose rows go with what they belong to. `key` deletes them; `columns` are read for the work after (files to remove). */
export type OwnedTable = { table: TenantTable; key: string; by: readonly PurgeLink[]; columns?: readonly string[] };
/** A column of rows that stay (another customer's, the staff's) pointing at a purged row: set to null. */
export type PurgeReference = { table: TenantTable; column: string; of: TenantTable };

const ofCustomer: PurgeLink = { column: 'customer_id', of: 'customers' };

/**
 * In the order rows are found: a table after every table its links name. Rows are deleted in the
 * opposite order, children first. A client account is its customer's: its sessions, one-time links,
 * settings and the e-mails addressed to it go with it.
 */
export const ownedTables: readonly OwnedTable[] = [
  { table: 'users', key: 'id', by: [ofCustomer], columns: ['login'] },
  { table: 'customer_change_requests', key: 'id', by: [ofCustomer, { column: 'requested_by', of: 'users' }] },
  { table: 'documents', key: 'id', by: [ofCustomer] },
  { table: 'tickets', key: 'id', by: [ofCustomer] },
  { table: 'ticket_messages', key: 'id', by: [{ column: 'ticket_id', of: 'tickets' }] },
  { table: 'ticket_events', key: 'id', by: [{ column: 'ticket_id', of: 'tickets' }] },
  { table: 'ticket_cost_lines', key: 'id', by: [{ column: 'ticket_id', of: 'tickets' }] },
  {
    table: 'stored_files',
    key: 'id',
    by: [{ column: 'document_id', of: 'documents' }, { column: 'ticket_id', of: 'tickets' }, { column: 'ticket_message_id', of: 'ticket_messages' }],
    columns: ['store', 'store_key', 'safe_name'],
  },
  // An e-mail that became a ticket or a reply keeps the whole message (its sender, its text): it goes with them.
  { table: 'mail_intake', key: 'id', by: [{ column: 'ticket_id', of: 'tickets' }, { column: 'ticket_message_id', of: 'ticket_messages' }], columns: ['raw_store', 'raw_store_key'] },
  // The content of files kept in the database store (the files of a folder store are removed by jobs after the commit).
  { table: 'file_blobs', key: 'id', by: [{ column: 'store_key', of: 'stored_files', ofColumn: 'store_key' }, { column: 'store_key', of: 'mail_intake', ofColumn: 'raw_store_key' }] },
  // A correction belongs to the entry it corrects: an entry's purge takes its corrections along.
  { table: 'ledger_entries', key: 'id', by: [ofCustomer, { column: 'corrects_entry_id', of: 'ledger_entries' }] },
  { table: 'ledger_allocations', key: 'id', by: [ofCustomer, { column: 'credit_entry_id', of: 'ledger_entries' }, { column: 'debit_entry_id', of: 'ledger_entries' }] },
  // A form's key that entered a purged entry would answer a repeat with an entry that is gone.
  { table: 'idempotency_keys', key: 'id', by: [{ column: 'result_id', of: 'ledger_entries', where: { purpose: 'ledger.entry' } }] },
  { table: 'payment_reminders', key: 'id', by: [ofCustomer] },
  {
    table: 'settings',
    key: 'id',
    by: [
      { column: 'target_id', of: 'customers', where: { level: 'customer' } },
      { column: 'target_id', of: 'users', where: { level: 'account' } },
    ],
  },
  { table: 'password_tokens', key: 'id', by: [{ column: 'user_id', of: 'users' }] },
  { table: 'sessions', key: 'sid', by: [{ column: 'user_id', of: 'users' }] },
// Messages about the customer go too, whoever they were for: a reminder to its own address, notices to staff of its tickets and requests.
  { table: 'outbox', key: 'id', by: [ofCustomer, { column: 'recipient_user_id', of: 'users' }] },
  // An announcement to the customer or to one of its accounts goes with it; one to a group or to all clients stays, less the purged accounts' receipts.
  { table: 'announcements', key: 'id', by: [ofCustomer, { column: 'user_id', of: 'users' }] },
  { table: 'announcement_readings', key: 'id', by: [{ column: 'user_id', of: 'users' }, { column: 'announcement_id', of: 'announcements' }] },
];

/**
 * Links from rows that stay. Accounts a purge removes are client accounts, which the staff's records
 * (assignments, decisions, imports) never name; should one do so, the link is cleared rather than the
 * staff's record removed. A ticket filed later as a follow-up of a purged one, and a payment that
 * named a purged invoice, stay and lose the link.
 */
export const references: readonly PurgeReference[] = [
  { table: 'customers', column: 'caretaker_id', of: 'users' },
  { table: 'tickets', column: 'related_ticket_id', of: 'tickets' },
  { table: 'tickets', column: 'filed_by', of: 'users' },
  { table: 'tickets', column: 'assignee_id', of: 'users' },
  { table: 'ticket_messages', column: 'author_id', of: 'users' },
  { table: 'ticket_events', column: 'actor_id', of: 'users' },
  { table: 'ticket_cost_lines', column: 'created_by', of: 'users' },
  { table: 'ticket_cost_lines', column: 'updated_by', of: 'users' },
  { table: 'documents', column: 'added_by', of: 'users' },
  { table: 'stored_files', column: 'uploaded_by', of: 'users' },
  { table: 'ledger_entries', column: 'pays_entry_id', of: 'ledger_entries' },
  { table: 'ledger_entries', column: 'entered_by', of: 'users' },
  { table: 'ledger_entries', column: 'decided_by', of: 'users' },
  { table: 'customer_change_requests', column: 'decided_by', of: 'users' },
  { table: 'mail_intake', column: 'handled_by', of: 'users' },
  { table: 'settings', column: 'updated_by', of: 'users' },
  { table: 'imports', column: 'started_by', of: 'users' },
  { table: 'purge_requests', column: 'requested_by', of: 'users' },
  { table: 'purge_requests', column: 'approved_by', of: 'users' },
  { table: 'purge_requests', column: 'finished_by', of: 'users' },
];

/** The rows of a purge, by table: each row with its key and the columns the plan reads. */
export type PurgeRows = Map<TenantTable, Map<string, Record<string, unknown>>>;

const chunkSize = 500;

export function chunksOf<T>(values: readonly T[], size = chunkSize): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < values.length; start += size) chunks.push(values.slice(start, start + size));
  return chunks;
}

/** The columns the plan reads of a table's rows: its key, its own extras, what links to it read, and its links to itself. */
function columnsRead(owned: OwnedTable | undefined, table: TenantTable): string[] {
  const columns = new Set<string>([owned?.key ?? 'id', ...(owned?.columns ?? [])]);
  for (const other of ownedTables) for (const link of other.by) if (link.of === table) columns.add(link.ofColumn ?? 'id');
  for (const link of owned?.by ?? []) if (link.of === table) columns.add(link.column);
  return [...columns];
}

/** The values of a column among the purged rows of a table (null left out). */
export function valuesOf(rows: PurgeRows, table: TenantTable, column = 'id'): unknown[] {
  const values = new Set<unknown>();
  for (const row of rows.get(table)?.values() ?? []) if (row[column] !== null && row[column] !== undefined) values.add(row[column]);
  return [...values];
}

/**
 * Finds every row the purge of the root row removes, table by table in the plan's order, in the
 * scope's tenant only. Reads keys and a few columns, never content, so memory holds ids.
 */
export async function collectPurgeRows(scope: Scope, kind: PurgeKind, targetId: number): Promise<PurgeRows> {
  const rows: PurgeRows = new Map();
  const root = rootTables[kind];
  const rootRow = await rowsForPurge(scope, root).where(`${root}.id`, targetId).first(columnsRead(ownedTables.find((owned) => owned.table === root), root));
  rows.set(root, new Map(rootRow ? [[String(rootRow.id), rootRow]] : []));
  for (const owned of ownedTables) {
    const found = rows.get(owned.table) ?? new Map<string, Record<string, unknown>>();
    rows.set(owned.table, found);
    // A table linked to itself (corrections of an entry) is read again until nothing new turns up.
    for (let size = -1; size !== found.size; ) {
      size = found.size;
      for (const link of owned.by) {
        for (const chunk of chunksOf(valuesOf(rows, link.of, link.ofColumn))) {
          const query = rowsForPurge(scope, owned.table).whereIn(`${owned.table}.${link.column}`, chunk as string[]);
          for (const [column, value] of Object.entries(link.where ?? {})) query.where(`${owned.table}.${column}`, value);
          for (const row of await query.select(columnsRead(owned, owned.table).map((column) => `${owned.table}.${column}`))) found.set(String(row[owned.key]), row);
        }
      }
    }
  }
  return rows;
}

/** How many rows of each table the purge removes, tables without any left out, in the plan's order. */
export function countsOf(rows: PurgeRows): Record<string, number> {
  return Object.fromEntries([...rows].filter(([, found]) => found.size > 0).map(([table, found]) => [table, found.size]));
}

/**
 * Removes the rows, inside the caller's transaction: first the links of rows that stay are cleared,
 * then the rows go, children first, by their keys in the scope's tenant. A table's rows that point at
 * rows of the same table go first (a correction before the entry it corrects: MySQL checks a foreign
 * key row by row).
 */
export async function deletePurgeRows(scope: Scope, kind: PurgeKind, rows: PurgeRows): Promise<void> {
  if (!scope.isTransaction) throw new Error('a purge runs in one transaction');
  for (const reference of references) {
    for (const chunk of chunksOf(valuesOf(rows, reference.of))) {
      await rowsForPurge(scope, reference.table).whereIn(`${reference.table}.${reference.column}`, chunk as string[]).update({ [reference.column]: null });
    }
  }
  const order = [...ownedTables].reverse();
  const root = rootTables[kind];
  const rootOwned = order.find((owned) => owned.table === root);
  if (!rootOwned) order.push({ table: root, key: 'id', by: [] });
  for (const owned of order) {
    const found = [...(rows.get(owned.table)?.values() ?? [])];
    const selfColumns = owned.by.filter((link) => link.of === owned.table).map((link) => link.column);
    const isPointing = (row: Record<string, unknown>) => selfColumns.some((column) => row[column] !== null && row[column] !== undefined);
    const pointing = found.filter(isPointing);
    const others = found.filter((row) => !isPointing(row));
    for (const batch of [pointing, others]) {
      for (const chunk of chunksOf(batch.map((row) => row[owned.key]))) {
        await rowsForPurge(scope, owned.table).whereIn(`${owned.table}.${owned.key}`, chunk as string[]).delete();
      }
    }
  }
}
