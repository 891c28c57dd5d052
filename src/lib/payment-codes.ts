import { normalizeBankAccount } from './bank-account.js';

/**
 * The text of the 2D payment code that Polish banking apps scan (the Związek Banków Polskich
 * recommendation "Standard 2D", 2013): nine fields separated by `|`:
 *
 *   recipient's NIP (10 digits or empty) | country (PL) | account (26 digits, the NRB) |
 *   amount in grosze (6 digits) | recipient's name (≤ 20) | title (≤ 32) | three reserved fields
 *
 * What a field cannot carry is cut, never refused: a name or title longer than its limit is
 * shortened, `|` and control characters become spaces. An amount the six digits cannot hold
 * (9 999,99 zł and more) is left out, and the banking app asks the payer for it: the printed form
 * beside the code still says it.
 */
export type PolishPaymentCode = {
  recipientTaxId?: string | null;
  /** The NRB, as written or normalised; 26 digits (a leading PL is dropped). */
  account: string;
  /** Grosze; over 999 999 it is left out of the code. */
  amountMinorUnits: number | bigint;
  recipientName: string;
  title: string;
};

export const polishCodeLimits = { name: 20, title: 32, amountDigits: 6 } as const;

/**
 * @throws RangeError for an account that is not 26 digits, a negative or fractional amount, or a NIP that is not 10 digits
 */
export function polishPaymentCodeText(code: PolishPaymentCode): string {
  const account = normalizeBankAccount(code.account);
  if (!/^\d{26}$/.test(account)) throw new RangeError('the 2D code needs a Polish account number of 26 digits');
  const taxId = (code.recipientTaxId ?? '').replace(/\D/g, '');
  if (taxId !== '' && taxId.length !== 10) throw new RangeError('a NIP has 10 digits');
  if (typeof code.amountMinorUnits === 'number' && !Number.isSafeInteger(code.amountMinorUnits)) throw new RangeError('an amount must be whole grosze');
  const amount = BigInt(code.amountMinorUnits);
  if (amount < 0n) throw new RangeError('an amount to pay cannot be negative');
  const amountText = amount < 10n ** BigInt(polishCodeLimits.amountDigits) ? amount.toString().padStart(polishCodeLimits.amountDigits, '0') : '';
  return [taxId, 'PL', account, amountText, fieldText(code.recipientName, polishCodeLimits.name), fieldText(code.title, polishCodeLimits.title), '', '', ''].join('|');
}

/** A text field of the code: one line, no separator, at most `limit` characters (whole characters, not bytes). */
function fieldText(text: string, limit: number): string {
  const oneLine = text.replace(/[|\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
  return Array.from(oneLine).slice(0, limit).join('').trimEnd();
}
