import type { Scope } from '../db/scope.js';
import { minorUnitsFrom } from '../lib/money.js';
import { toDatabaseTime } from '../lib/time.js';
import { visibleCustomers } from './visibility.js';

/**
 * Which payment paid how much of which invoice (M1), kept as rows that are only ever added: a
 * payment goes first to the invoice it names, then to the customer's open invoices by due date,
 * oldest first. A correction changes its original's amount (an invoice's up or down, a payment's
 * down when it is +, as a returned transfer is); when an invoice or a payment is left with more
 * allocated than it now has, the newest allocations are taken back by rows of a negative amount,
 * and what they free is allocated again. Runs in the transaction of the change, with the customer's
 * row locked, on the customer's approved entries only.
 */
export async function allocateCustomer(trx: Scope, customerId: number): Promise<void> {
  // Sorted here, not by ORDER BY id: SQLite would then walk the (tenant_id, id) key through every row of the
  // tenant instead of the customer's index, which made an import of 100,000 invoices quadratic.
  const byId = (a: { id: number }, b: { id: number }) => Number(a.id) - Number(b.id);
  const entries: EntryRow[] = (await trx.table('ledger_entries').where({ customer_id: customerId, status: 'approved' }).select(entryColumns)).sort(byId);
  const allocations: AllocationRow[] = (await trx.table('ledger_allocations').where('customer_id', customerId).select('id', 'credit_entry_id', 'debit_entry_id', 'amount')).sort(byId);
  const plan = planAllocations(entries, allocations);
  if (plan.length > 0) {
    const now = toDatabaseTime(trx.now());
    await trx.insertQuery(
      'ledger_allocations',
      plan.map((move) => ({ customer_id: customerId, credit_entry_id: move.creditId, debit_entry_id: move.debitId, amount: move.amount.toString(), created_at: now })),
    );
  }
  await keepOpenAmounts(trx, changedOpenAmounts(entries, allocations, plan));
  await keepBalances(trx, [{ customerId, balance: balanceOf(entries) }]);
}

const entryColumns = ['id', 'kind', 'amount', 'entry_date', 'due_date', 'corrects_entry_id', 'pays_entry_id', 'open_amount'];

/** How many customers' entries one statement reads when many customers are allocated at once. */
const customersPerRead = 500;
/** Allocation rows per insert (SQLite's compound SELECT holds at most 500). */
const movesPerInsert = 200;

/**
 * allocateCustomer for many customers (an import's), with their rows already locked: their approved
 * entries and their allocations are read for up to 500 customers a statement, and the new rows
 * inserted 200 a statement, instead of three statements per customer.
 */
export async function allocateCustomers(trx: Scope, customerIds: readonly number[]): Promise<void> {
  const byId = (a: { id: number }, b: { id: number }) => Number(a.id) - Number(b.id);
  const moves: Array<Record<string, unknown>> = [];
  const openAmounts: Array<{ id: number; openAmount: bigint }> = [];
  const balances: Array<{ customerId: number; balance: bigint }> = [];
  const now = toDatabaseTime(trx.now());
  for (let start = 0; start < customerIds.length; start += customersPerRead) {
    const ids = customerIds.slice(start, start + customersPerRead);
    const [entries, allocations] = await Promise.all([
      trx.table('ledger_entries').whereIn('customer_id', ids).where('status', 'approved').select('customer_id', ...entryColumns),
      trx.table('ledger_allocations').whereIn('customer_id', ids).select('id', 'customer_id', 'credit_entry_id', 'debit_entry_id', 'amount'),
    ]);
    const entriesOf = groupByCustomer(entries as Array<EntryRow & { customer_id: number }>);
    const allocationsOf = groupByCustomer(allocations as Array<AllocationRow & { customer_id: number }>);
    for (const id of ids) {
      const customerEntries = (entriesOf.get(id) ?? []).sort(byId);
      const customerAllocations = (allocationsOf.get(id) ?? []).sort(byId);
      const plan = planAllocations(customerEntries, customerAllocations);
      for (const move of plan) moves.push({ customer_id: id, credit_entry_id: move.creditId, debit_entry_id: move.debitId, amount: move.amount.toString(), created_at: now });
      openAmounts.push(...changedOpenAmounts(customerEntries, customerAllocations, plan));
      balances.push({ customerId: id, balance: balanceOf(customerEntries) });
    }
  }
  for (let start = 0; start < moves.length; start += movesPerInsert) await trx.insertQuery('ledger_allocations', moves.slice(start, start + movesPerInsert));
  await keepOpenAmounts(trx, openAmounts);
  await keepBalances(trx, balances);
}

/** Rows written per statement by a value per id (a CASE of 500 ids). */
const valuesPerUpdate = 500;

/** One value per row as SQL: `case id when ? then ? … end`, for an UPDATE of those rows in one statement. */
export function valueById(values: ReadonlyArray<readonly [id: number, value: bigint]>): { sql: string; bindings: Array<number | string> } {
  return { sql: `case id ${values.map(() => 'when ? then ?').join(' ')} end`, bindings: values.flatMap(([id, value]) => [id, value.toString()]) };
}

/** Batches of the values, each written in one UPDATE by `write`. */
async function inBatches(values: ReadonlyArray<readonly [number, bigint]>, write: (ids: number[], value: ReturnType<typeof valueById>) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < values.length; start += valuesPerUpdate) {
    const batch = values.slice(start, start + valuesPerUpdate);
    await write(
      batch.map(([id]) => id),
      valueById(batch),
    );
  }
}

/**
 * Writes the invoices' open amounts that changed (migrations/20261205_0900_ledger_open_amounts.ts):
 * one UPDATE per 500 invoices, as an import of 100,000 invoices changes them all.
 */
async function keepOpenAmounts(trx: Scope, changes: ReadonlyArray<{ id: number; openAmount: bigint }>): Promise<void> {
  await inBatches(
    changes.map((change) => [change.id, change.openAmount] as const),
    (ids, value) => trx.table('ledger_entries').whereIn('id', ids).update({ open_amount: trx.raw(value.sql, value.bindings) }),
  );
}

/**
 * Writes the customers' balances (migrations/20261205_0910_customer_ledger_balances.ts), 500 a
 * statement; a customer whose balance is already right is not written (its row stays untouched).
 */
async function keepBalances(trx: Scope, balances: ReadonlyArray<{ customerId: number; balance: bigint }>): Promise<void> {
  await inBatches(
    balances.map((entry) => [entry.customerId, entry.balance] as const),
    // The customers of a change the actor was already allowed to make (an admin, an import, a purge): all of them are in reach.
    (ids, value) => visibleCustomers(trx).whereIn('id', ids).whereRaw(`ledger_balance <> ${value.sql}`, value.bindings).update({ ledger_balance: trx.raw(value.sql, value.bindings) }),
  );
}

/** A customer's balance: its approved entries, invoices and corrections as they stand, payments taken off. */
export function balanceOf(entries: readonly EntryRow[]): bigint {
  return entries.reduce((sum, entry) => sum + (entry.kind === 'payment' ? -minorUnitsFrom(entry.amount) : minorUnitsFrom(entry.amount)), 0n);
}

/**
 * Each approved invoice's open amount once `moves` are added (its amount after corrections, less
 * what stands allocated to it), where it differs from the one the invoice keeps.
 */
export function changedOpenAmounts(entries: readonly EntryRow[], allocations: readonly AllocationRow[], moves: readonly AllocationMove[]): Array<{ id: number; openAmount: bigint }> {
  const effective = effectiveAmounts(entries);
  const allocated = new Map<number, bigint>();
  for (const allocation of allocations) allocated.set(Number(allocation.debit_entry_id), (allocated.get(Number(allocation.debit_entry_id)) ?? 0n) + minorUnitsFrom(allocation.amount));
  for (const move of moves) allocated.set(move.debitId, (allocated.get(move.debitId) ?? 0n) + move.amount);
  return entries
    .filter((entry) => entry.kind === 'invoice')
    .flatMap((invoice) => {
      const id = Number(invoice.id);
      const openAmount = effective.get(id)! - (allocated.get(id) ?? 0n);
      const kept = invoice.open_amount === null || invoice.open_amount === undefined ? null : minorUnitsFrom(invoice.open_amount);
      return kept === openAmount ? [] : [{ id, openAmount }];
    });
}

function groupByCustomer<Row extends { customer_id: number }>(rows: Row[]): Map<number, Row[]> {
  const groups = new Map<number, Row[]>();
  for (const row of rows) {
    const id = Number(row.customer_id);
    const group = groups.get(id);
    if (group) group.push(row);
    else groups.set(id, [row]);
  }
  return groups;
}

export type EntryRow = { id: number; kind: string; amount: unknown; entry_date: string; due_date: string | null; corrects_entry_id: number | null; pays_entry_id: number | null; open_amount?: unknown };
export type AllocationRow = { id: number; credit_entry_id: number; debit_entry_id: number; amount: unknown };
/** One allocation row to add: a positive amount pays, a negative one takes back. */
export type AllocationMove = { creditId: number; debitId: number; amount: bigint };

/**
 * The allocation rows that bring a customer's allocations in line with its approved entries: the
 * pure part of allocateCustomer, tested on its own.
 */
export function planAllocations(entries: readonly EntryRow[], allocations: readonly AllocationRow[]): AllocationMove[] {
  const invoices = entries.filter((entry) => entry.kind === 'invoice');
  const payments = entries.filter((entry) => entry.kind === 'payment');
  const effective = effectiveAmounts(entries);
  // What stands allocated between each payment and invoice, and when each pair was last added to.
  const pairs = new Map<string, { creditId: number; debitId: number; amount: bigint; lastId: number }>();
  for (const allocation of allocations) {
    const key = `${allocation.credit_entry_id}:${allocation.debit_entry_id}`;
    const pair = pairs.get(key) ?? { creditId: Number(allocation.credit_entry_id), debitId: Number(allocation.debit_entry_id), amount: 0n, lastId: 0 };
    pair.amount += minorUnitsFrom(allocation.amount);
    pair.lastId = Math.max(pair.lastId, Number(allocation.id));
    pairs.set(key, pair);
  }
  const moves: AllocationMove[] = [];
  const allocatedTo = (side: 'creditId' | 'debitId', id: number) => [...pairs.values()].filter((pair) => pair[side] === id).reduce((sum, pair) => sum + pair.amount, 0n);
  const move = (creditId: number, debitId: number, amount: bigint) => {
    moves.push({ creditId, debitId, amount });
    const key = `${creditId}:${debitId}`;
    const pair = pairs.get(key) ?? { creditId, debitId, amount: 0n, lastId: 0 };
    pair.amount += amount;
    pair.lastId = Number.MAX_SAFE_INTEGER;
    pairs.set(key, pair);
  };
  const limitOf = (id: number) => (effective.get(id)! > 0n ? effective.get(id)! : 0n);

  // Take back what stands allocated beyond an entry's amount, newest pairs first.
  for (const side of ['debitId', 'creditId'] as const) {
    for (const entry of side === 'debitId' ? invoices : payments) {
      const id = Number(entry.id);
      let excess = allocatedTo(side, id) - limitOf(id);
      const newestFirst = [...pairs.values()].filter((pair) => pair[side] === id && pair.amount > 0n).sort((a, b) => b.lastId - a.lastId);
      for (const pair of newestFirst) {
        if (excess <= 0n) break;
        const back = pair.amount < excess ? pair.amount : excess;
        move(pair.creditId, pair.debitId, -back);
        excess -= back;
      }
    }
  }

  // Allocate what is free: payments in the order they were paid, each first to the invoice it names.
  const openInvoices = [...invoices].sort((a, b) => compareText(a.due_date ?? '', b.due_date ?? '') || compareText(a.entry_date, b.entry_date) || Number(a.id) - Number(b.id));
  const paymentsInOrder = [...payments].sort((a, b) => compareText(a.entry_date, b.entry_date) || Number(a.id) - Number(b.id));
  for (const payment of paymentsInOrder) {
    const paymentId = Number(payment.id);
    let free = limitOf(paymentId) - allocatedTo('creditId', paymentId);
    const named = openInvoices.filter((invoice) => Number(invoice.id) === Number(payment.pays_entry_id));
    for (const invoice of [...named, ...openInvoices.filter((candidate) => !named.includes(candidate))]) {
      if (free <= 0n) break;
      const invoiceId = Number(invoice.id);
      const open = limitOf(invoiceId) - allocatedTo('debitId', invoiceId);
      if (open <= 0n) continue;
      const paid = open < free ? open : free;
      move(paymentId, invoiceId, paid);
      free -= paid;
    }
  }
  return moves;
}

/** What each invoice and payment amounts to after its corrections (+ raises what is owed, lowers what was paid). */
function effectiveAmounts(entries: readonly EntryRow[]): Map<number, bigint> {
  const effective = new Map<number, bigint>();
  const kinds = new Map<number, string>();
  for (const entry of entries) {
    kinds.set(Number(entry.id), entry.kind);
    if (entry.kind === 'invoice' || entry.kind === 'payment') effective.set(Number(entry.id), minorUnitsFrom(entry.amount));
  }
  for (const correction of entries.filter((entry) => entry.kind === 'correction')) {
    const original = Number(correction.corrects_entry_id);
    const amount = minorUnitsFrom(correction.amount);
    const originalKind = kinds.get(original);
    if (originalKind === 'invoice') effective.set(original, effective.get(original)! + amount);
    if (originalKind === 'payment') effective.set(original, effective.get(original)! - amount);
  }
  return effective;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
