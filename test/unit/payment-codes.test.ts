import { describe, expect, it } from 'vitest';
import { polishPaymentCodeText } from '../../src/lib/payment-codes.js';
import { isValidBankAccount, virtualBankAccount } from '../../src/lib/bank-account.js';

// A valid NRB (mod 97 checks out), written as people do.
const account = 'PL 61 1090 1014 0000 0712 1981 2874';

describe('the ZBP 2D payment code', () => {
  it('lays out the nine fields: NIP, PL, the 26 digits, grosze in six digits, name, title and three empty reserves', () => {
    const text = polishPaymentCodeText({ recipientTaxId: '525-000-12-34', account, amountMinorUnits: 12345, recipientName: 'Serwis Komputerowy', title: 'FV 2026/11/0042' });
    expect(text).toBe('5250001234|PL|61109010140000071219812874|012345|Serwis Komputerowy|FV 2026/11/0042|||');
    expect(text.split('|')).toHaveLength(9);
  });

  it('cuts the name to 20 and the title to 32 characters, Polish letters counted as one, and never lets a | through', () => {
    const text = polishPaymentCodeText({ account, amountMinorUnits: 100, recipientName: 'Zakład Usług Informatycznych „Żółw” sp. z o.o.', title: 'Faktury FV 1|2026, FV 2|2026, FV 3|2026, FV 4|2026' });
    const fields = text.split('|');
    expect(fields).toHaveLength(9);
    expect(fields[0]).toBe('');
    expect(fields[4]).toBe('Zakład Usług Informa');
    expect(Array.from(fields[4]!)).toHaveLength(20);
    expect(fields[5]).toBe('Faktury FV 1 2026, FV 2 2026, FV');
    expect(Array.from(fields[5]!).length).toBeLessThanOrEqual(32);
  });

  it('leaves out an amount that six digits cannot hold, so the banking app asks for it, and refuses what no code can carry', () => {
    expect(polishPaymentCodeText({ account, amountMinorUnits: 999_999, recipientName: 'A', title: 'B' }).split('|')[3]).toBe('999999');
    expect(polishPaymentCodeText({ account, amountMinorUnits: 1_000_000, recipientName: 'A', title: 'B' }).split('|')[3]).toBe('');
    expect(() => polishPaymentCodeText({ account: '1234', amountMinorUnits: 1, recipientName: 'A', title: 'B' })).toThrow(RangeError);
    expect(() => polishPaymentCodeText({ account, amountMinorUnits: -1, recipientName: 'A', title: 'B' })).toThrow(RangeError);
    expect(() => polishPaymentCodeText({ account, amountMinorUnits: 1.5, recipientName: 'A', title: 'B' })).toThrow(RangeError);
    expect(() => polishPaymentCodeText({ recipientTaxId: '123', account, amountMinorUnits: 1, recipientName: 'A', title: 'B' })).toThrow(RangeError);
  });
});

describe('a customer’s virtual account number', () => {
  it('is the tenant’s prefix and the padded customer number with check digits that pass the NRB check', () => {
    const account = virtualBankAccount('1090 1014 7777', '4521');
    expect(account).toMatch(/^\d{26}$/);
    expect(account.slice(2)).toBe('109010147777000000004521');
    expect(isValidBankAccount(account)).toBe(true);
    expect(virtualBankAccount('109010147777', '0004521')).toBe(account);
    for (const number of ['1', '99', '123456', '999999999999']) expect(isValidBankAccount(virtualBankAccount('10901014', number)), number).toBe(true);
  });

  it('refuses a customer number that does not fit or is not digits, and a prefix shorter than a bank number', () => {
    expect(() => virtualBankAccount('10901014777777777777', '123456')).toThrow(RangeError);
    expect(() => virtualBankAccount('10901014', 'K-12')).toThrow(RangeError);
    expect(() => virtualBankAccount('1090', '12')).toThrow(RangeError);
  });
});
