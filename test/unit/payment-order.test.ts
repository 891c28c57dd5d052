import { describe, expect, it } from 'vitest';
import { moneyOf } from '../../src/lib/money.js';
import type { OpenInvoice } from '../../src/models/customer-balance.js';
import { invoicesPaidBy, titleOf } from '../../src/presenters/payment-order-pdf.js';
import { paymentOrderForm } from '../../src/validators/payment-order.js';

const invoice = (documentNumber: string, outstanding: number): OpenInvoice => ({ id: 1, documentNumber, issueDate: '2026-10-01', dueDate: '2026-10-15', amount: moneyOf(outstanding, 'PLN'), outstanding: moneyOf(outstanding, 'PLN'), daysOverdue: 0 });

describe('the payment order', () => {
  it('pays the invoices due first, the last one perhaps in part', () => {
    const open = [invoice('A', 100), invoice('B', 200), invoice('C', 300)];
    expect(invoicesPaidBy(open, 100).map((paid) => paid.documentNumber)).toEqual(['A']);
    expect(invoicesPaidBy(open, 101).map((paid) => paid.documentNumber)).toEqual(['A', 'B']);
    expect(invoicesPaidBy(open, 10_000).map((paid) => paid.documentNumber)).toEqual(['A', 'B', 'C']);
  });

  it('names whole invoice numbers as far as they fit, and cuts a single long one', () => {
    expect(titleOf(['FV/1/2026', 'FV/2/2026', 'FV/3/2026'], 32, 'x')).toBe('FV/1/2026, FV/2/2026, FV/3/2026');
    expect(titleOf(['FV/1/2026', 'FV/2/2026', 'FV/3/2026'], 25, 'x')).toBe('FV/1/2026, FV/2/2026');
    expect(titleOf(['FAKTURA-BARDZO-DLUGA-1234567890'], 10, 'x')).toBe('FAKTURA-BA');
    expect(titleOf([], 32, 'Wpłata, klient K/1')).toBe('Wpłata, klient K/1');
  });

  it('takes a typed amount above zero and up to the limit, and refuses the rest with a message', () => {
    expect(paymentOrderForm({}, 'PLN', 'pl')).toEqual({ ok: true, data: { choice: 'balance' } });
    expect(paymentOrderForm({ choice: 'other', amount: '1 234,56' }, 'PLN', 'pl')).toEqual({ ok: true, data: { choice: 'other', amountMinor: 123_456 } });
    expect(paymentOrderForm({ choice: 'other', amount: '1000000' }, 'PLN', 'pl')).toEqual({ ok: true, data: { choice: 'other', amountMinor: 100_000_000 } });
    const refusal = (amount: string) => { const result = paymentOrderForm({ choice: 'other', amount }, 'PLN', 'pl'); return result.ok ? undefined : result.errors.amount?.key; };
    expect(refusal('1000000,01')).toBe('paymentDocuments:errors.amountTooHigh');
    expect(refusal('0,00')).toBe('paymentDocuments:errors.amountPositive');
    expect(refusal('12,345')).toBe('paymentDocuments:errors.amount');
    expect(refusal('')).toBe('paymentDocuments:errors.amountRequired');
    expect(paymentOrderForm({ choice: 'all' }, 'PLN', 'pl').ok).toBe(false);
  });
});
