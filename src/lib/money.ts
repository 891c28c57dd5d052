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

/**
 * How many minor units a currency's major unit has, as a power of ten (PLN and EUR 2, JPY 0, BHD 3),
 * from the ISO 4217 data Intl carries.
 * @throws RangeError for anything but three capital letters
 */
export function minorUnitDigits(currency: string): number {
  if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`not a currency code: ${JSON.stringify(currency)}`);
  return currencyFormat('en', currency).resolvedOptions().maximumFractionDigits ?? 2;
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
