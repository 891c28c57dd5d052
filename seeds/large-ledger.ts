import { balanceOf, changedOpenAmounts, planAllocations, valueById, type EntryRow } from '../src/models/ledger-allocation.js';
import type { SeededCustomer } from './large-customers.js';
import { between, randomSource, type Random } from './large-people.js';
import type { TenantFrame } from './large-tenant.js';
import { inTransaction, type Row, type Writer } from './large-writer.js';

/** Customers whose entries go in one transaction (about 4,000 entries and as many allocations). */
const customersPerTransaction = 200;

const entryColumns = ['customer_id', 'kind', 'status', 'amount', 'currency', 'document_number', 'entry_date', 'due_date', 'method', 'description', 'source', 'entered_by', 'entered_at', 'decided_by', 'decided_at', 'open_amount'];
const allocationColumns = ['customer_id', 'credit_entry_id', 'debit_entry_id', 'amount', 'created_at'];

/** One entry before it has an id. */
type PlannedEntry = { kind: 'invoice' | 'payment'; status: 'approved' | 'pending'; amount: number; documentNumber: string; entryDate: string; dueDate: string | null };

/** Dates worked out already: a few hundred distinct ones serve two million entries. */
const knownDays = new Map<string, string>();

/** A calendar date some days from another ('YYYY-MM-DD'). */
export function daysFrom(isoDate: string, days: number): string {
  const key = `${isoDate}|${days}`;
  let date = knownDays.get(key);
  if (date === undefined) {
    date = new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    knownDays.set(key, date);
  }
  return date;
}

/** The first of the month some months before today's. */
function monthStart(today: string, monthsBack: number): string {
  const date = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 - monthsBack, 1));
  return date.toISOString().slice(0, 10);
}

/**
 * A customer's account as the accounting system would send it: a monthly invoice (due in 14 days)
 * for the last 8 to 14 months and the transfers that paid them. Most customers pay each invoice
 * before its due date; some leave the last one to three unpaid (overdue), some pay one of the
 * last two in part, a few stopped paying half-way. Every 250th has a transfer an admin typed in
 * that waits for approval. About 20 entries a customer.
 */
export function plannedEntries(random: Random, index: number, today: string): PlannedEntry[] {
  const months = between(random, 8, 14);
  const base = between(random, 4_900, 250_000);
  const habit = random();
  const unpaid = habit < 0.72 ? 0 : habit < 0.87 ? between(random, 1, 3) : habit < 0.97 ? 2 : Math.ceil(months / 2);
  const entries: PlannedEntry[] = [];
  for (let month = months - 1; month >= 0; month -= 1) {
    const issued = monthStart(today, month);
    const due = daysFrom(issued, 14);
    const amount = base + between(random, -Math.floor(base / 10), Math.floor(base / 10));
    const number = `FV/${index + 1}/${issued.slice(5, 7)}/${issued.slice(0, 4)}`;
    entries.push({ kind: 'invoice', status: 'approved', amount, documentNumber: number, entryDate: issued, dueDate: due });
    const paidOn = daysFrom(due, -between(random, 0, 10));
    const isLastOnes = month < unpaid;
    const isPartlyPaid = habit >= 0.87 && habit < 0.97 && month === 1;
    if (paidOn > today || (isLastOnes && !isPartlyPaid)) continue;
    const paid = isPartlyPaid ? Math.floor((amount * between(random, 30, 70)) / 100) : amount;
    entries.push({ kind: 'payment', status: 'approved', amount: paid, documentNumber: `Przelew ${number}`, entryDate: paidOn, dueDate: null });
  }
  if (index % 250 === 249) entries.push({ kind: 'payment', status: 'pending', amount: base, documentNumber: 'Wpłata w kasie', entryDate: today, dueDate: null });
  return entries;
}

/**
 * The ledger of every customer, chunk by chunk in transactions: the entries (approved ones as an
 * import approves them: source import, decided at entry, by nobody; pending ones entered by the
 * admin by hand), then the allocations allocateCustomer would write for them, planned by its own
 * pure part (planAllocations), so balances, due and overdue items read as the model computes them.
 */
export async function seedLedger(writer: Writer, frame: TenantFrame, customers: readonly SeededCustomer[], context: LedgerContext): Promise<void> {
  // On MySQL in two lanes of customers side by side: the server works each on a core of its own.
  // Lanes only where a statement's ids are consecutive: with interleaved auto-increment (MySQL 8's
  // innodb_autoinc_lock_mode=2) two lanes of one tenant would read back each other's ids.
  const lanes = writer.isMysql && writer.idsAreConsecutive ? 2 : 1;
  const laneSize = Math.ceil(customers.length / lanes);
  await Promise.all(Array.from({ length: lanes }, (_, lane) => seedLedgerLane(writer, frame, customers, context, lane * laneSize, Math.min(customers.length, (lane + 1) * laneSize), context.seed + lane)));
  writer.progress.finish('ledger_entries');
  writer.progress.finish('ledger_allocations');
}

type LedgerContext = { today: string; now: string; currency: string; seed: number };

async function seedLedgerLane(writer: Writer, frame: TenantFrame, customers: readonly SeededCustomer[], context: LedgerContext, from: number, to: number, seed: number): Promise<void> {
  const random = randomSource(seed);
  for (let start = from; start < to; start += customersPerTransaction) {
    const chunk = customers.slice(start, Math.min(to, start + customersPerTransaction));
    const planned = chunk.map((customer, offset) => ({ customer, entries: plannedEntries(random, start + offset, context.today) }));
    // What allocateCustomer keeps of each customer's approved entries: the invoices' open amounts and the balance.
    const kept = planned.map(({ entries }) => keptFiguresOf(entries));
    const rows: Row[] = planned.flatMap(({ customer, entries }, index) => entries.map((entry, position) => entryRow(customer.id, entry, frame.adminId, context, kept[index]!.openAmounts.get(position) ?? null)));
    await inTransaction(writer, async (insert) => {
      const ids = await insert('ledger_entries', entryColumns, rows);
      await insert('ledger_allocations', allocationColumns, allocationRows(planned, ids, context.now));
    });
    // Each customer's balance (one statement a chunk).
    const balances = valueById(planned.map(({ customer }, index) => [customer.id, kept[index]!.balance] as const));
    await writer
      .db('customers')
      .where('tenant_id', writer.tenantId)
      .whereIn('id', planned.map(({ customer }) => customer.id))
      .update({ ledger_balance: writer.db.raw(balances.sql, balances.bindings) });
  }
}

/**
 * What stays open of each approved invoice of a customer's planned entries, by the entry's position
 * (the ids to come are in the same order, so the allocations planned from them are the same), and
 * the customer's balance.
 */
function keptFiguresOf(entries: readonly PlannedEntry[]): { openAmounts: Map<number, string>; balance: bigint } {
  const approved = entries.flatMap((entry, position) => (entry.status === 'approved' ? [toEntryRow(position, entry)] : []));
  const openAmounts = new Map(changedOpenAmounts(approved, [], planAllocations(approved, [])).map((change) => [change.id, change.openAmount.toString()]));
  return { openAmounts, balance: balanceOf(approved) };
}

function toEntryRow(id: number, entry: PlannedEntry): EntryRow {
  return { id, kind: entry.kind, amount: entry.amount, entry_date: entry.entryDate, due_date: entry.dueDate, corrects_entry_id: null, pays_entry_id: null };
}

function entryRow(customerId: number, entry: PlannedEntry, adminId: number, context: { now: string; currency: string }, openAmount: string | null): Row {
  const isApproved = entry.status === 'approved';
  return [
    customerId, entry.kind, entry.status, entry.amount, context.currency, entry.documentNumber, entry.entryDate, entry.dueDate, entry.kind === 'payment' ? (isApproved ? 'transfer' : 'cash') : null, null,
    isApproved ? 'import' : 'manual', isApproved ? null : adminId, context.now, null, isApproved ? context.now : null, openAmount,
  ];
}

/** The allocation rows of a chunk: each customer's approved entries, with their new ids, planned from nothing allocated. */
function allocationRows(planned: ReadonlyArray<{ customer: SeededCustomer; entries: PlannedEntry[] }>, ids: readonly number[], now: string): Row[] {
  const rows: Row[] = [];
  let next = 0;
  for (const { customer, entries } of planned) {
    const approved: EntryRow[] = [];
    for (const entry of entries) {
      const id = ids[next++]!;
      if (entry.status === 'approved') approved.push(toEntryRow(id, entry));
    }
    for (const move of planAllocations(approved, [])) rows.push([customer.id, move.creditId, move.debitId, move.amount.toString(), now]);
  }
  return rows;
}
