import { decimalOf, type ExactDecimal } from '../lib/money.js';

/**
 * A VAT rate a cost line may carry. `code` is what is stored. Exempt ("zw", zwolniony) and not
 * applicable ("np", nie podlega: outside Polish VAT, such as a reverse charge) charge no VAT, like
 * 0%, but are different facts on a document, so each is its own code and its own line of the totals,
 * never a 0 with a flag.
 */
export type VatRate = { code: string; rate: ExactDecimal; labelKey: string };

const percent = (value: number): ExactDecimal => decimalOf(value, 2);
const none = percent(0);

/**
 * The rates by the tenant's currency, the only notion of a tenant's country there is (tenants.currency):
 * Polish for PLN; Slovak for EUR (23% standard, 19% and 5% reduced, since 1 January 2025).
 */
const ratesByCurrency: Record<string, readonly VatRate[]> = {
  PLN: [
    { code: '23', rate: percent(23), labelKey: 'pricing:vat.percent' },
    { code: '8', rate: percent(8), labelKey: 'pricing:vat.percent' },
    { code: '5', rate: percent(5), labelKey: 'pricing:vat.percent' },
    { code: '0', rate: none, labelKey: 'pricing:vat.percent' },
    { code: 'zw', rate: none, labelKey: 'pricing:vat.exempt' },
    { code: 'np', rate: none, labelKey: 'pricing:vat.notApplicable' },
  ],
  EUR: [
    { code: '23', rate: percent(23), labelKey: 'pricing:vat.percent' },
    { code: '19', rate: percent(19), labelKey: 'pricing:vat.percent' },
    { code: '5', rate: percent(5), labelKey: 'pricing:vat.percent' },
    { code: '0', rate: none, labelKey: 'pricing:vat.percent' },
    { code: 'zw', rate: none, labelKey: 'pricing:vat.exempt' },
    { code: 'np', rate: none, labelKey: 'pricing:vat.notApplicable' },
  ],
};

/** The rates a tenant of the currency offers on cost lines, in the order forms list them (none for a currency without a list). */
export function vatRatesFor(currency: string): readonly VatRate[] {
  return ratesByCurrency[currency] ?? [];
}

/** The rate of a stored or submitted code, if the currency's list has it. */
export function findVatRate(currency: string, code: string): VatRate | undefined {
  return vatRatesFor(currency).find((rate) => rate.code === code);
}
