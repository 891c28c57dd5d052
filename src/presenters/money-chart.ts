import { formatMoney } from '../lib/money.js';
import type { MonthTotals } from '../models/ledger-months.js';

/**
 * The chart of charges and payments per month (M6) as the SVG partial draws it
 * (views/partials/money-chart.ejs): every coordinate worked out here, so the view only writes them
 * out and the numbers can be tested. Two bars a month, each as tall as its amount against the
 * largest amount of the period; the month under them in the reader's language, with the year under
 * the first month and under every January.
 */
export type ChartBar = { x: number; y: number; height: number; text: string };
export type ChartMonth = { month: string; label: string; year: string | null; name: string; centre: number; charges: ChartBar; payments: ChartBar };
export type MoneyChart = {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  /** The amounts written at the top and the middle of the scale, with their heights. */
  ticks: Array<{ y: number; text: string }>;
  months: ChartMonth[];
  isEmpty: boolean;
};

const plotHeight = 160;
const top = 12;
const left = 100;
const monthWidth = 48;
const barWidth = 16;
const labelSpace = 40;

/** How tall a bar of `amount` is against the largest amount, in the chart's units (one decimal). */
export function barHeight(amount: bigint, largest: bigint): number {
  if (largest <= 0n || amount <= 0n) return 0;
  return Math.round((Number(amount) / Number(largest)) * plotHeight * 10) / 10;
}

export function moneyChartOf(totals: readonly MonthTotals[], currency: string, locale: string): MoneyChart {
  const largest = totals.reduce((most, month) => [month.charges.minor, month.payments.minor, most].reduce((a, b) => (a > b ? a : b)), 0n);
  const bottom = top + plotHeight;
  const shortName = new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' });
  const longName = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const bar = (x: number, amount: bigint): ChartBar => {
    const height = barHeight(amount, largest);
    return { x, y: Math.round((bottom - height) * 10) / 10, height, text: formatMoney(amount, currency, locale) };
  };
  const months = totals.map((totals, index) => {
    const day = new Date(`${totals.month}-01T00:00:00Z`);
    const centre = left + index * monthWidth + monthWidth / 2;
    const isYearShown = index === 0 || totals.month.endsWith('-01');
    return {
      month: totals.month,
      label: shortName.format(day).replace(/\.$/, ''),
      year: isYearShown ? totals.month.slice(0, 4) : null,
      name: longName.format(day),
      centre,
      charges: bar(centre - barWidth - 1, totals.charges.minor),
      payments: bar(centre + 1, totals.payments.minor),
    };
  });
  const ticks = largest > 0n ? [{ y: top, text: formatMoney(largest, currency, locale) }, { y: top + plotHeight / 2, text: formatMoney(largest / 2n, currency, locale) }, { y: bottom, text: formatMoney(0, currency, locale) }] : [];
  const right = left + totals.length * monthWidth;
  return { width: right + 8, height: bottom + labelSpace, plot: { left, top, right, bottom }, ticks, months, isEmpty: largest === 0n };
}
