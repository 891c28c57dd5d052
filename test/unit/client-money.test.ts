import { describe, expect, it } from 'vitest';
import { chartPeriodOf } from '../../src/controllers/portal/_money-page.js';
import { moneyOf } from '../../src/lib/money.js';
import { monthAfter, monthsBetween } from '../../src/models/ledger-months.js';
import { barHeight, moneyChartOf } from '../../src/presenters/money-chart.js';
import { balanceInWords, openInvoiceStatus } from '../../src/presenters/settlements.js';
import { paymentFilterFrom } from '../../src/validators/payment-filter.js';

const pln = (minor: number) => moneyOf(minor, 'PLN');

describe('months of the money chart', () => {
  it('counts months across a year’s end', () => {
    expect(monthAfter('2026-12')).toBe('2027-01');
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2026-05', '2026-05')).toEqual(['2026-05']);
  });

  it('shows the last twelve months without a filter, the filtered months with one, and at most the last 24', () => {
    expect(chartPeriodOf({}, '2026-12-01')).toEqual({ first: '2026-01', last: '2026-12', isShortened: false });
    expect(chartPeriodOf({}, '2026-03-15')).toEqual({ first: '2025-04', last: '2026-03', isShortened: false });
    expect(chartPeriodOf({ from: '2026-02-10', to: '2026-04-01' }, '2026-12-01')).toEqual({ first: '2026-02', last: '2026-04', isShortened: false });
    expect(chartPeriodOf({ to: '2026-04-01' }, '2026-12-01')).toEqual({ first: '2025-05', last: '2026-04', isShortened: false });
    expect(chartPeriodOf({ from: '2026-06-01' }, '2026-12-01')).toEqual({ first: '2026-06', last: '2026-12', isShortened: false });
    expect(chartPeriodOf({ from: '2020-01-01' }, '2026-12-01')).toEqual({ first: '2025-01', last: '2026-12', isShortened: true });
  });
});

describe('the money chart', () => {
  it('makes bars proportional to the largest amount, none for nothing', () => {
    expect(barHeight(100n, 100n)).toBe(160);
    expect(barHeight(25n, 100n)).toBe(40);
    expect(barHeight(1n, 3n)).toBe(53.3);
    expect(barHeight(0n, 100n)).toBe(0);
    expect(barHeight(-5n, 100n)).toBe(0);
    expect(barHeight(0n, 0n)).toBe(0);
  });

  it('stands each bar on the axis, names the months in the reader’s language, and the year under the first month and January', () => {
    const chart = moneyChartOf(
      [
        { month: '2026-12', charges: pln(20_000), payments: pln(5_000) },
        { month: '2027-01', charges: pln(0), payments: pln(10_000) },
      ],
      'PLN',
      'pl',
    );
    expect(chart.isEmpty).toBe(false);
    const [december, january] = chart.months;
    expect(december).toMatchObject({ label: 'gru', year: '2026', name: 'grudzień 2026' });
    expect(january).toMatchObject({ label: 'sty', year: '2027' });
    expect(december!.charges.height).toBe(160);
    expect(december!.charges.y + december!.charges.height).toBe(chart.plot.bottom);
    expect(december!.payments.height).toBe(40);
    expect(december!.payments.y + december!.payments.height).toBe(chart.plot.bottom);
    expect(january!.charges.height).toBe(0);
    expect(january!.payments.x).toBeGreaterThan(december!.payments.x);
    expect(chart.ticks.map((tick) => tick.text)).toEqual(['200,00\u00a0zł', '100,00\u00a0zł', '0,00\u00a0zł']);
    expect(moneyChartOf([{ month: '2026-05', charges: pln(1), payments: pln(0) }], 'PLN', 'en').months[0]).toMatchObject({ label: 'May', name: 'May 2026' });
  });

  it('says a period without entries is empty and draws no scale', () => {
    const chart = moneyChartOf([{ month: '2026-05', charges: pln(0), payments: pln(0) }], 'PLN', 'pl');
    expect(chart.isEmpty).toBe(true);
    expect(chart.ticks).toEqual([]);
  });
});

describe('the balance and dues in words', () => {
  it('tells owing, overpaid and settled apart, an overpayment without its minus', () => {
    expect(balanceInWords(pln(500))).toMatchObject({ state: 'owes', minor: 500n, label: { key: 'settlements:balance.owes' } });
    expect(balanceInWords(pln(-500))).toMatchObject({ state: 'overpaid', minor: 500n, label: { key: 'settlements:balance.overpaid' } });
    expect(balanceInWords(pln(0))).toMatchObject({ state: 'settled', minor: 0n });
  });

  it('marks an overdue invoice with its days in words', () => {
    expect(openInvoiceStatus({ daysOverdue: 3 })).toEqual({ label: { key: 'settlements:dues.overdue', values: { count: 3 } }, tone: 'danger' });
    expect(openInvoiceStatus({ daysOverdue: 0 }).tone).toBe('neutral');
  });
});

describe('the payment history filter', () => {
  it('takes real dates and a known method', () => {
    expect(paymentFilterFrom({ from: '2026-01-01', to: '2026-01-31', method: 'cash' })).toEqual({ filter: { from: '2026-01-01', to: '2026-01-31', method: 'cash' }, values: { from: '2026-01-01', to: '2026-01-31', method: 'cash' }, errors: {} });
    expect(paymentFilterFrom({}).filter).toEqual({});
  });

  it('reports what it cannot use and keeps the rest', () => {
    const result = paymentFilterFrom({ from: '2026-02-30', to: 'jutro', method: 'cash' });
    expect(result.filter).toEqual({ method: 'cash' });
    expect(result.values).toEqual({ from: '2026-02-30', to: 'jutro', method: 'cash' });
    expect(Object.keys(result.errors).sort()).toEqual(['from', 'to']);
    expect(paymentFilterFrom({ from: '2026-05-01', to: '2026-04-01' })).toMatchObject({ filter: { from: '2026-05-01' }, errors: { to: { key: 'settlements:filters.periodReversed' } } });
    expect(paymentFilterFrom({ method: 'barter' })).toMatchObject({ filter: {}, errors: { method: { key: 'settlements:filters.methodInvalid' } } });
    expect(paymentFilterFrom({ from: ['2026-01-01'] }).filter).toEqual({});
  });
});
