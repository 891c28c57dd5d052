import { decimalOf, multiplyByDecimal } from '../lib/money.js';
import { findVatRate, vatRatesFor } from './vat-rates.js';

/** What a cost line is (T10): labour (hours × hourly rate), a part (quantity × unit price), or a fee (travel and others). */
export const costLineKinds = ['labour', 'part', 'fee'] as const;
export type CostLineKind = (typeof costLineKinds)[number];

/** Quantities and hours are stored in thousandths (1.5 h is 1500): exact, never a float. */
export const quantityScale = 3;

/** What the arithmetic needs of a line. */
export type PricedLine = { quantityThousandths: number; unitPriceMinor: number; vatRate: string };

/** A line's net value in minor units: quantity × unit price, rounded once, half up. */
export function lineNet(line: Pick<PricedLine, 'quantityThousandths' | 'unitPriceMinor'>): number {
  return multiplyByDecimal(line.unitPriceMinor, decimalOf(line.quantityThousandths, quantityScale));
}

export type RateTotal = { vatRate: string; net: number; vat: number; gross: number };
export type PricingTotals = { byRate: RateTotal[]; net: number; vat: number; gross: number };

/**
 * Totals of a ticket's lines. VAT is worked out per rate, not per line: the nets of the lines of one
 * rate are added and the VAT of that sum is rounded once (half up), as a Polish invoice computes it
 * from net values (art. 106e of the VAT act). Per line, three lines of 0.01 zł at 23% would have no
 * VAT at all; per rate they have 0.01 zł. Rates come in the order of the currency's list.
 * @throws RangeError for a line whose rate the currency does not have (never stored: the model checks)
 */
export function pricingTotals(lines: readonly PricedLine[], currency: string): PricingTotals {
  const rateOrder = vatRatesFor(currency).map((rate) => rate.code);
  const nets = new Map<string, number>();
  for (const line of lines) nets.set(line.vatRate, (nets.get(line.vatRate) ?? 0) + lineNet(line));
  const byRate = [...nets.keys()]
    .sort((a, b) => rateOrder.indexOf(a) - rateOrder.indexOf(b))
    .map((code) => {
      const rate = findVatRate(currency, code);
      if (!rate) throw new RangeError(`no VAT rate ${code} for ${currency}`);
      const net = nets.get(code)!;
      const vat = multiplyByDecimal(net, rate.rate);
      return { vatRate: code, net, vat, gross: net + vat };
    });
  const sum = (pick: (total: RateTotal) => number) => byRate.reduce((total, rate) => total + pick(rate), 0);
  return { byRate, net: sum((rate) => rate.net), vat: sum((rate) => rate.vat), gross: sum((rate) => rate.gross) };
}
