import { describe, expect, it } from 'vitest';
import { isValidBankAccount, virtualBankAccount } from '../../src/lib/bank-account.js';
import { accountOfCustomer, addressLineOf } from '../../src/models/billing-details.js';
import { billingDetailsForm } from '../../src/validators/billing-details.js';
import { parseForm } from '../../src/validators/form.js';

const tenantAccount = '61109010140000071219812874';
const billing = { bankAccount: tenantAccount, hasVirtualAccounts: true, virtualAccountPrefix: '10901014', currency: 'PLN' };

describe('the account a customer pays into', () => {
  it('is the customer’s own NRB from the prefix and its number, which passes the checksum', () => {
    const { account, isVirtual } = accountOfCustomer(billing, '4711');
    expect(isVirtual).toBe(true);
    expect(account).toBe(virtualBankAccount('10901014', '4711'));
    expect(isValidBankAccount(account!)).toBe(true);
    expect(account!.slice(2, 10)).toBe('10901014');
  });

  it('is the tenant’s account for a customer without a number of digits that fits, with virtual accounts off, or in euro', () => {
    for (const [details, number] of [
      [billing, null],
      [billing, 'K/0001'],
      [billing, '1'.repeat(17)],
      [{ ...billing, hasVirtualAccounts: false }, '4711'],
      [{ ...billing, virtualAccountPrefix: null }, '4711'],
      [{ ...billing, currency: 'EUR' }, '4711'],
    ] as const) {
      expect(accountOfCustomer(details, number), String(number)).toEqual({ account: tenantAccount, isVirtual: false });
    }
  });
});

describe('the billing details form', () => {
  const form = { legalName: ' Alfa ', street: '', postalCode: '00-950', city: 'Warszawa', taxCountry: 'pl', taxId: 'PL 526-025-02-74', bankAccount: 'pl61 1090 1014 0000 0712 1981 2874', currency: 'PLN', paymentTermDays: '14', virtualAccountPrefix: '' };

  it('gives the values as stored: trimmed, a NIP’s digits, an NRB’s 26 digits, empty as none', () => {
    const parsed = parseForm(billingDetailsForm, form);
    expect(parsed).toEqual({ ok: true, data: { legalName: 'Alfa', street: null, postalCode: '00-950', city: 'Warszawa', taxCountry: 'PL', taxId: '5260250274', bankAccount: tenantAccount, currency: 'PLN', paymentTermDays: 14, hasVirtualAccounts: false, virtualAccountPrefix: null } });
  });

  it('refuses a payment term that is not a whole number of days up to a year, and a currency it does not keep', () => {
    for (const days of ['-1', '366', '1.5', 'x', '']) expect(parseForm(billingDetailsForm, { ...form, paymentTermDays: days }), days).toMatchObject({ ok: false, errors: { paymentTermDays: { key: 'billingDetails:errors.paymentTerm' } } });
    expect(parseForm(billingDetailsForm, { ...form, currency: 'USD' })).toMatchObject({ ok: false, errors: { currency: { key: 'billingDetails:errors.currency' } } });
  });

  it('refuses a Polish postal code not written 00-000, and a prefix that is not 8 to 20 digits', () => {
    expect(parseForm(billingDetailsForm, { ...form, postalCode: '00950' })).toMatchObject({ ok: false, errors: { postalCode: { key: 'billingDetails:errors.postalCode' } } });
    for (const prefix of ['1090101', '1090101x', '1'.repeat(21)]) expect(parseForm(billingDetailsForm, { ...form, virtualAccountPrefix: prefix }), prefix).toMatchObject({ ok: false, errors: { virtualAccountPrefix: { key: 'billingDetails:errors.prefix' } } });
  });
});

describe('the legal address on one line', () => {
  it('joins the street with the postal code and city, and is none without them', () => {
    expect(addressLineOf({ street: 'ul. Piękna 7', postalCode: '00-950', city: 'Warszawa' })).toBe('ul. Piękna 7, 00-950 Warszawa');
    expect(addressLineOf({ street: null, postalCode: null, city: 'Warszawa' })).toBe('Warszawa');
    expect(addressLineOf({ street: null, postalCode: null, city: null })).toBeNull();
  });
});
