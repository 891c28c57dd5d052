import { describe, expect, it } from 'vitest';
import { planAllocations, type AllocationRow, type EntryRow } from '../../src/models/ledger-allocation.js';

const invoice = (id: number, amount: number, dueDate: string): EntryRow => ({ id, kind: 'invoice', amount, entry_date: '2026-01-01', due_date: dueDate, corrects_entry_id: null, pays_entry_id: null });
const payment = (id: number, amount: number, paidOn: string, paysEntryId: number | null = null): EntryRow => ({ id, kind: 'payment', amount, entry_date: paidOn, due_date: null, corrects_entry_id: null, pays_entry_id: paysEntryId });
const correction = (id: number, amount: number, correctsId: number): EntryRow => ({ id, kind: 'correction', amount, entry_date: '2026-03-01', due_date: null, corrects_entry_id: correctsId, pays_entry_id: null });
/** The allocations a plan leaves, as rows the next plan reads. */
const applied = (moves: ReturnType<typeof planAllocations>, firstId = 1): AllocationRow[] => moves.map((move, index) => ({ id: firstId + index, credit_entry_id: move.creditId, debit_entry_id: move.debitId, amount: move.amount.toString() }));
const moves = (plan: ReturnType<typeof planAllocations>) => plan.map((move) => [move.creditId, move.debitId, Number(move.amount)]);

describe('allocating payments to invoices', () => {
  it('pays the invoice due first, whatever order the invoices were entered in, and carries the rest to the next', () => {
    const entries = [invoice(1, 10_000, '2026-03-31'), invoice(2, 5_000, '2026-02-28'), payment(3, 12_000, '2026-03-05')];
    expect(moves(planAllocations(entries, []))).toEqual([
      [3, 2, 5_000],
      [3, 1, 7_000],
    ]);
  });

  it('pays the invoice a payment names first, then the others by due date', () => {
    const entries = [invoice(1, 10_000, '2026-02-28'), invoice(2, 5_000, '2026-03-31'), payment(3, 6_000, '2026-03-05', 2)];
    expect(moves(planAllocations(entries, []))).toEqual([
      [3, 2, 5_000],
      [3, 1, 1_000],
    ]);
  });

  it('keeps an overpayment free and gives it to the next invoice approved', () => {
    const first = [invoice(1, 1_000, '2026-02-28'), payment(2, 3_000, '2026-03-01')];
    const allocated = applied(planAllocations(first, []));
    expect(allocated.map((row) => Number(row.amount))).toEqual([1_000]);
    expect(moves(planAllocations([...first, invoice(3, 5_000, '2026-04-30')], allocated))).toEqual([[2, 3, 2_000]]);
  });

  it('adds nothing when everything is allocated already', () => {
    const entries = [invoice(1, 1_000, '2026-02-28'), payment(2, 1_000, '2026-03-01')];
    expect(planAllocations(entries, applied(planAllocations(entries, [])))).toEqual([]);
  });

  it('takes back, newest first, what a correction lowering an invoice leaves over, and pays the next invoice with it', () => {
    const entries = [invoice(1, 10_000, '2026-02-28'), invoice(2, 4_000, '2026-03-31'), payment(3, 10_000, '2026-03-05')];
    const allocated = applied(planAllocations(entries, []));
    // The first invoice is corrected down by 3 000: those 3 000 of the payment go to the second invoice.
    expect(moves(planAllocations([...entries, correction(4, -3_000, 1)], allocated))).toEqual([
      [3, 1, -3_000],
      [3, 2, 3_000],
    ]);
  });

  it('takes back the allocations of a payment returned by the bank (a correction of + its amount)', () => {
    const entries = [invoice(1, 6_000, '2026-02-28'), invoice(2, 6_000, '2026-03-31'), payment(3, 4_000, '2026-03-01'), payment(4, 5_000, '2026-03-02')];
    const allocated = applied(planAllocations(entries, []));
    expect(moves(planAllocations(entries, []))).toEqual([
      [3, 1, 4_000],
      [4, 1, 2_000],
      [4, 2, 3_000],
    ]);
    // The second payment bounces: both its allocations go, newest first, and nothing else moves.
    expect(moves(planAllocations([...entries, correction(5, 5_000, 4)], allocated))).toEqual([
      [4, 2, -3_000],
      [4, 1, -2_000],
    ]);
  });

  it('reads amounts as either database returns them, strings of digits beyond 2^53 included', () => {
    const entries = [invoice(1, 0, '2026-02-28'), payment(2, 0, '2026-03-01')].map((entry) => ({ ...entry, amount: '90071992547409930' }));
    expect(planAllocations(entries, [])).toEqual([{ creditId: 2, debitId: 1, amount: 90071992547409930n }]);
  });
});
