/**
 * Amounts are integer minor units (grosze, cents) with an ISO 4217 currency code; they are never
 * floats. This file only formats them for people; the Money type of the ledger grows from here.
 */

export type MinorUnits = number | bigint;

/** Intl's currency formats, one per language and currency: building one is the slow part. */
const formats = new Map<string, Intl.NumberFormat>();

function currencyFormat(locale: string, currency: string): Intl.NumberFormat {
  const intlLocale = locale === 'pl' ? 'pl-PL' : 'en-GB';
  const key = `${intlLocale}|${currency}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(intlLocale, { style: 'currency', currency });
    formats.set(key, format);
  }
  return format;
}

/** Intl's resolvedOptions() builds a new object each call: an import of 100,000 amounts spent a second on it. */
const digitsByCurrency = new Map<string, number>();

/**
 * How many minor units a currency's major unit has, as a power of ten (PLN and EUR 2, JPY 0, BHD 3),
 * from the ISO 4217 data Intl carries.
 * @throws RangeError for anything but three capital letters
 */
export function minorUnitDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`not a currency code: ${JSON.stringify(currency)}`);
    digits = currencyFormat('en', currency).resolvedOptions().maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

/**
 * An amount in minor units as an exact decimal string in major units ('123456', PLN → '1234.56'),
 * by integer division on BigInt: no float ever holds the amount, however large.
 * @throws RangeError for a number that is not a safe integer, or a bad currency code
 */
export function toDecimalText(minorUnits: MinorUnits, currency: string): string {
  if (typeof minorUnits === 'number' && !Number.isSafeInteger(minorUnits)) {
    throw new RangeError(`an amount must be whole minor units, got ${minorUnits}`);
  }
  const digits = minorUnitDigits(currency);
  const amount = BigInt(minorUnits);
  const magnitude = amount < 0n ? -amount : amount;
  const sign = amount < 0n ? '-' : '';
  if (digits === 0) return `${sign}${magnitude}`;
  const unit = 10n ** BigInt(digits);
  return `${sign}${magnitude / unit}.${(magnitude % unit).toString().padStart(digits, '0')}`;
}

/**
 * An amount as the reader's language writes it: 123456 PLN is '1234,56 zł' in Polish and
 * 'PLN 1,234.56' in English. Intl formats the exact decimal string, not a float.
 * @throws RangeError as toDecimalText
 */
export function formatMoney(minorUnits: MinorUnits, currency: string, locale: string): string {
  // Intl.NumberFormat reads a string as an exact decimal (ES2023); the types still say number.
  return currencyFormat(locale, currency).format(toDecimalText(minorUnits, currency) as unknown as number);
}

/**
 * THE type of an amount (issue 16, M1): whole minor units as a BigInt and the ISO 4217 currency.
 * Amounts of different currencies are never added: that throws rather than mixes them.
 */
export type Money = { readonly minor: bigint; readonly currency: string };

/** An amount from minor units (a safe integer, a BigInt, or a string of digits as a database may return). */
export function moneyOf(minor: MinorUnits | string, currency: string): Money {
  minorUnitDigits(currency);
  return { minor: minorUnitsFrom(minor), currency };
}

/**
 * Minor units from what either database returns for a BIGINT column or a SUM over one: a number
 * (SQLite, and MySQL for safe values), a string of digits (MySQL for large values and for SUM,
 * a DECIMAL with no or only zero decimals), a BigInt, or null for a SUM over no rows (zero).
 * Never through a float: a string is read digit by digit.
 * @throws RangeError for anything that is not a whole number
 */
export function minorUnitsFrom(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not whole minor units: ${value}`);
    return BigInt(value);
  }
  if (typeof value === 'string') {
    const match = /^(-?\d+)(?:\.0+)?$/.exec(value.trim());
    if (!match) throw new RangeError(`not whole minor units: ${JSON.stringify(value)}`);
    return BigInt(match[1]!);
  }
  throw new RangeError(`not whole minor units: ${typeof value}`);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`cannot mix ${a.currency} and ${b.currency}`);
}

export const addMoney = (a: Money, b: Money): Money => (sameCurrency(a, b), { minor: a.minor + b.minor, currency: a.currency });
export const subtractMoney = (a: Money, b: Money): Money => (sameCurrency(a, b), { minor: a.minor - b.minor, currency: a.currency });
export const zeroMoney = (currency: string): Money => moneyOf(0n, currency);
export const isPositive = (amount: Money): boolean => amount.minor > 0n;
/** The smaller of two amounts of one currency. */
export const minMoney = (a: Money, b: Money): Money => (sameCurrency(a, b), a.minor <= b.minor ? a : b);

/** How a BIGINT column is written: a string of digits, exact on both databases whatever the size. */
export const moneyForDatabase = (amount: Money): string => amount.minor.toString();

/** An amount for people, as formatMoney writes it. */
export const formatAmount = (amount: Money, locale: string): string => formatMoney(amount.minor, amount.currency, locale);

/**
 * An exact decimal number: the integer of its digits and how many of them follow the point, so that
 * 1.25 is { digits: 125n, scale: 2 } and no float ever holds it. Quantities, hours and rates are these.
 */
export type ExactDecimal = { readonly digits: bigint; readonly scale: number };

/** A decimal from an integer count of its smallest units: 1500 thousandths is 1.5 ({ digits: 1500n, scale: 3 }). */
export function decimalOf(units: number | bigint, scale: number): ExactDecimal {
  if (typeof units === 'number' && !Number.isSafeInteger(units)) throw new RangeError(`not a whole number of units: ${units}`);
  return { digits: BigInt(units), scale };
}

/**
 * Reads a number as people type it: digits, optionally grouped by spaces (plain, no-break or narrow
 * no-break, as Polish and Intl write thousands), one decimal mark that is a comma or a point, and a
 * leading minus. "1 234,56", "1234.56" and "0,5" are read; "1,234.56" is refused, because which mark
 * is the decimal one cannot be known, and so is "1.234" when `maxScale` is under 3 (in Polish it may
 * mean one thousand two hundred and thirty-four).
 * @returns null when the text is no such number or has more than `maxScale` digits after the mark
 */
export function parseDecimal(text: string, maxScale: number): ExactDecimal | null {
  const compact = text.trim().replace(/(\d)[ \u00a0\u202f](?=\d)/g, '$1');
  const match = /^(-?)(\d+)(?:[.,](\d+))?$/.exec(compact);
  if (!match) return null;
  const fraction = match[3] ?? '';
  if (fraction.length > maxScale) return null;
  const magnitude = BigInt(`${match[2]}${fraction}`);
  return { digits: match[1] ? -magnitude : magnitude, scale: fraction.length };
}

/**
 * An amount typed by a person ("1 234,56", "1234.56", "12") in whole minor units of the currency
 * (123456 for 1234.56 PLN). Exact: the digits are shifted, never multiplied as a float.
 * @returns null for text that is no amount, has more decimals than the currency's minor unit, or is
 *   beyond the safe integers
 */
export function parseAmount(text: string, currency: string): number | null {
  const digits = minorUnitDigits(currency);
  const decimal = parseDecimal(text, digits);
  if (!decimal) return null;
  return safeNumberOrNull(decimal.digits * 10n ** BigInt(digits - decimal.scale));
}

/**
 * An amount in minor units times an exact decimal (hours, a quantity, a VAT rate as a fraction),
 * rounded once to whole minor units, half up: a half goes away from zero, as commercial rounding
 * does (2.5 grosze is 3, -2.5 is -3).
 * @throws RangeError when the result is beyond the safe integers
 */
export function multiplyByDecimal(minorUnits: MinorUnits, factor: ExactDecimal): number {
  const product = BigInt(minorUnits) * factor.digits;
  const unit = 10n ** BigInt(factor.scale);
  const magnitude = product < 0n ? -product : product;
  const whole = magnitude / unit + ((magnitude % unit) * 2n >= unit ? 1n : 0n);
  const result = safeNumberOrNull(product < 0n ? -whole : whole);
  if (result === null) throw new RangeError(`the product is beyond the safe integers: ${minorUnits} × ${factor.digits}e-${factor.scale}`);
  return result;
}

/**
 * A decimal as the reader's language writes a number (1.5 is "1,5" in Polish and "1.5" in English),
 * with at least `minimumScale` decimals (0 for quantities, 2 for an amount in a form) and without
 * grouping, so that it reads back through parseDecimal unchanged.
 */
export function formatDecimal(decimal: ExactDecimal, locale: string, minimumScale = 0): string {
  const magnitude = decimal.digits < 0n ? -decimal.digits : decimal.digits;
  const unit = 10n ** BigInt(decimal.scale);
  let fraction = decimal.scale === 0 ? '' : (magnitude % unit).toString().padStart(decimal.scale, '0');
  fraction = fraction.replace(/0+$/, '');
  fraction = fraction.padEnd(minimumScale, '0');
  const sign = decimal.digits < 0n ? '-' : '';
  const mark = locale === 'pl' ? ',' : '.';
  return `${sign}${magnitude / unit}${fraction ? mark + fraction : ''}`;
}

function safeNumberOrNull(value: bigint): number | null {
  return value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(value);
}
