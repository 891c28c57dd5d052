/**
 * A bank account as people write it, spaces and dashes dropped: a Polish NRB is 26 digits (its
 * IBAN is PL and the same digits), stored as the 26 digits; another country's IBAN is kept whole.
 */
export function normalizeBankAccount(written: string): string {
  const compact = written.replace(/[\s-]/g, '').toUpperCase();
  return /^PL\d{26}$/.test(compact) ? compact.slice(2) : compact;
}

/** The ISO 13616 remainder: the IBAN turned around, letters as numbers (A = 10), modulo 97. */
function mod97(iban: string): number {
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`;
  let remainder = 0;
  for (const character of rearranged) {
    const value = character >= 'A' ? String(character.charCodeAt(0) - 55) : character;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

const passesMod97 = (iban: string) => mod97(iban) === 1;

/**
 * A customer's own account for incoming transfers (M1, "virtual accounts"): the tenant's bank
 * prefix (the 8-digit bank number and the digits the bank reserved for the tenant), then the
 * customer number padded with zeros to the 24 digits of an NRB's body, and the two check digits
 * that make it pass the mod-97 check. The same customer number always gives the same account.
 * @throws RangeError when either part is not digits, or both together do not fit in 24 digits
 */
export function virtualBankAccount(bankPrefix: string, customerNumber: string): string {
  const prefix = bankPrefix.replace(/[\s-]/g, '');
  if (!/^\d{8,23}$/.test(prefix)) throw new RangeError('a bank prefix is 8 to 23 digits');
  if (!/^\d+$/.test(customerNumber)) throw new RangeError('a virtual account needs a customer number of digits');
  const free = 24 - prefix.length;
  const number = customerNumber.replace(/^0+(?=\d)/, '');
  if (number.length > free) throw new RangeError(`the customer number does not fit in the ${free} digits the prefix leaves`);
  const body = `${prefix}${number.padStart(free, '0')}`;
  const check = 98 - mod97(`PL00${body}`);
  return `${String(check).padStart(2, '0')}${body}`;
}

/** Whether a written account is a Polish NRB (26 digits, with or without PL) or another IBAN, check digits included. */
export function isValidBankAccount(written: string): boolean {
  const account = normalizeBankAccount(written);
  if (/^\d{26}$/.test(account)) return passesMod97(`PL${account}`);
  return /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(account) && !account.startsWith('PL') && passesMod97(account);
}

/** An account as people read it: the NRB in its usual groups (2 + 6 × 4 digits), an IBAN in fours. */
export function formatBankAccount(account: string): string {
  if (/^\d{26}$/.test(account)) return `${account.slice(0, 2)} ${account.slice(2).replace(/(\d{4})(?=\d)/g, '$1 ')}`;
  return account.replace(/(.{4})(?=.)/g, '$1 ');
}
