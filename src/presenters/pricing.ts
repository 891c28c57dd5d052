import { decimalOf, formatDecimal, minorUnitDigits } from '../lib/money.js';
import { encodeBase } from '../validators/edit-merge.js';
import { costLineMergedFields } from '../validators/cost-line.js';
import { quantityScale, type CostLineKind } from '../models/cost-line-totals.js';
import type { CostLine, TicketPricing } from '../models/ticket-cost-lines.js';
import { findVatRate, vatRatesFor } from '../models/vat-rates.js';
import { message, type Choice, type Text } from './presentation.js';

/**
 * What a ticket's pricing (T10) looks like to a person, for the pages and the service report PDF
 * alike: kinds, VAT rates and quantities in the reader's words; amounts stay minor units, which
 * each output formats (the money partial, formatMoney in the PDF).
 */
export const kindLabels: Record<CostLineKind, string> = {
  labour: 'pricing:kinds.labour',
  part: 'pricing:kinds.part',
  fee: 'pricing:kinds.fee',
};

/** How a quantity reads beside its kind: "1,5 h" of labour, "2" parts, a fee's count. */
const quantityLabels: Record<CostLineKind, string> = {
  labour: 'pricing:quantity.hours',
  part: 'pricing:quantity.pieces',
  fee: 'pricing:quantity.pieces',
};

export function kindChoices(): Choice[] {
  return Object.entries(kindLabels).map(([value, key]) => ({ value, label: message(key) }));
}

/** A VAT rate as printed: "23%", "zw." (exempt), "np." (not applicable). */
export function vatRateText(currency: string, code: string): Text {
  const rate = findVatRate(currency, code);
  return rate ? message(rate.labelKey, { rate: code }) : code;
}

export function vatRateChoices(currency: string): Choice[] {
  return vatRatesFor(currency).map((rate) => ({ value: rate.code, label: vatRateText(currency, rate.code) }));
}

export type ShownCostLine = { id: number; version: number; kind: Text; description: string; quantity: Text; unitPrice: number; vatRate: Text; net: number };
export type ShownPricing = {
  currency: string;
  lines: ShownCostLine[];
  totals: Array<{ label: Text; net: number; vat: number; gross: number }>;
  net: number;
  vat: number;
  gross: number;
  isFrozen: boolean;
};

export function presentPricing(pricing: TicketPricing, locale: string): ShownPricing {
  const { currency, totals } = pricing;
  return {
    currency,
    lines: pricing.lines.map((line) => ({
      id: line.id,
      version: line.version,
      kind: message(kindLabels[line.kind]),
      description: line.description,
      quantity: message(quantityLabels[line.kind], { quantity: formatDecimal(decimalOf(line.quantityThousandths, quantityScale), locale) }),
      unitPrice: line.unitPriceMinor,
      vatRate: vatRateText(currency, line.vatRate),
      net: line.net,
    })),
    totals: totals.byRate.map((rate) => ({ label: message('pricing:totals.atRate', { rate: vatRateText(currency, rate.vatRate) }), net: rate.net, vat: rate.vat, gross: rate.gross })),
    net: totals.net,
    vat: totals.vat,
    gross: totals.gross,
    isFrozen: pricing.isFrozen,
  };
}

/** A stored line as its edit form shows it: numbers written as the reader types them ("1,5", "120,00"). */
export function costLineFormValues(line: CostLine, currency: string, locale: string): Record<string, string> {
  const digits = minorUnitDigits(currency);
  const values: Record<string, string> = {
    kind: line.kind,
    description: line.description,
    quantity: formatDecimal(decimalOf(line.quantityThousandths, quantityScale), locale),
    unitPrice: formatDecimal(decimalOf(line.unitPriceMinor, digits), locale, digits),
    vatRate: line.vatRate,
  };
  return { ...values, version: String(line.version), base: encodeBase(values, costLineMergedFields) };
}
