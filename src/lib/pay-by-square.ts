import { encode, PaymentOptions } from 'bysquare/pay';
import { toDecimalText } from './money.js';

/**
 * The text of the PAY by square code that Slovak (and Czech) banking apps scan for a payment in
 * euro (Slovak Banking Association, "PAY by square", v1.2): the payment's fields separated by
 * tabs, with a CRC32, LZMA-compressed and written in base32hex. The `bysquare` package does the
 * encoding (and its decoding reads it back in the tests).
 */
export type PayBySquarePayment = {
  /** The beneficiary's IBAN; a Polish NRB of 26 digits is taken as PL and its digits. */
  iban: string;
  amountMinorUnits: number | bigint;
  currency: string;
  beneficiaryName: string;
  /** The title of the payment (shown to the payer, sent to the beneficiary), cut to 140 characters. */
  note: string;
  /** Up to 10 digits; anything else is left out. */
  variableSymbol?: string | null;
};

export const payBySquareLimits = { note: 140, beneficiaryName: 70, variableSymbolDigits: 10 } as const;

const oneLine = (text: string, limit: number) => Array.from(text.replace(/[\t\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim()).slice(0, limit).join('').trimEnd();

/**
 * @throws RangeError for an amount that is not a positive whole number of cents, or an IBAN the format refuses
 */
export function payBySquareText(payment: PayBySquarePayment): string {
  const minor = BigInt(payment.amountMinorUnits);
  if (minor <= 0n) throw new RangeError('a PAY by square amount is above zero');
  const iban = /^\d{26}$/.test(payment.iban) ? `PL${payment.iban}` : payment.iban.replace(/\s/g, '').toUpperCase();
  const symbol = payment.variableSymbol && /^\d{1,10}$/.test(payment.variableSymbol) ? payment.variableSymbol : undefined;
  try {
    return encode({
      payments: [
        {
          type: PaymentOptions.PaymentOrder,
          // The format takes a number with a decimal point; from the exact decimal text it is exact to the cent
          // for any amount a payment order prints (at most 1 000 000,00).
          amount: Number(toDecimalText(minor, payment.currency)),
          currencyCode: payment.currency,
          variableSymbol: symbol,
          paymentNote: oneLine(payment.note, payBySquareLimits.note),
          bankAccounts: [{ iban }],
          beneficiary: { name: oneLine(payment.beneficiaryName, payBySquareLimits.beneficiaryName) },
        },
      ],
    });
  } catch (error) {
    throw new RangeError(`PAY by square refused the payment: ${(error as Error).message}`);
  }
}
