/**
 * A bank account as people write it, spaces and dashes dropped: a Polish NRB is 26 digits (its
 * IBAN is PL and the same digits), stored as the 26 digits; another country's IBAN is kept whole.
 */
export function normalizeBankAccount(written: string): string {
  const compact = written.replace(/[\s-]/g, '').toUpperCase();
  return /^PL\d{26}$/.test(compact) ? compact.slice(2) : compact;
}

/** The ISO 13616 check: the IBAN turned around, letters as numbers (A = 10), modulo 97 is 1. */
function passesMod97(iban: string): boolean {
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`;
  let remainder = 0;
  for (const character of rearranged) {
    const value = character >= 'A' ? String(character.charCodeAt(0) - 55) : character;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
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
