import { formatBankAccount } from '../lib/bank-account.js';
import { euCountries, formatNip, taxIdBody } from '../lib/nip.js';
import type { AccountPortalAccess, CustomerSettingField } from '../models/customer-settings.js';
import { customerSettingNames } from '../models/customer-settings.js';
import type { SettingInForce } from '../models/settings.js';
import { choicesOf, message, type Choice, type Status, type Text } from './presentation.js';
import { settingLine, sourceText, valueText, type SettingLine } from './settings.js';

/**
 * What the customer pages (the record, the admin form and the conflict page) show of a customer:
 * the labels of the settings' choices, where a setting's value comes from, the fields' labels.
 * Every key is written out so that the locales test finds it.
 */
export const settingChoices = {
  portalAccess: { inherit: 'customers:settings.inherit', on: 'customers:settings.portalOn', off: 'customers:settings.portalOff' },
  ticketApproval: {
    inherit: 'customers:settings.inherit',
    off: 'customers:settings.approvalOff',
    optional: 'customers:settings.approvalOptional',
    mandatory: 'customers:settings.approvalMandatory',
  },
  ticketVisibility: {
    inherit: 'customers:settings.inherit',
    all: 'customers:settings.visibilityAll',
    since: 'customers:settings.visibilitySince',
    portal: 'customers:settings.visibilityPortal',
  },
  reminders: { inherit: 'customers:settings.inherit', on: 'customers:settings.remindersOn', off: 'customers:settings.remindersOff' },
} as const;

/** A setting on the customer's record: its value in force and where it comes from; portal access also per account when their groups decide. */
export type CustomerSettingRow = SettingLine & { field: CustomerSettingField; accounts: Array<SettingLine & { id: number; name: string }> };

/**
 * The customer record's settings (D5), of the given fields but the date of ticket visibility,
 * which is part of its visibility's line ("tickets since 2026-03-01").
 */
export function customerSettingRows(settings: Record<CustomerSettingField, SettingInForce>, accounts: readonly AccountPortalAccess[], fields: readonly CustomerSettingField[]): CustomerSettingRow[] {
  return fields
    .filter((field) => field !== 'visibleSince')
    .map((field) => {
      const line = settingLine(customerSettingNames[field], settings[field]);
      if (field === 'ticketVisibility' && settings.ticketVisibility.value === 'since') line.value = message('customers:settings.sinceDate', { date: String(settings.visibleSince.value) });
      // Without a value of the customer's own, each account's group may decide otherwise.
      const perAccount = field === 'portalAccess' && settings.portalAccess.source.level !== 'customer' ? accounts : [];
      return {
        field,
        ...line,
        accounts: perAccount.map((account) => ({ id: account.accountId, name: account.name || account.login, ...settingLine('portal.access', account.portalAccess, { groupName: account.groupName }) })),
      };
    });
}

/** "Inherit: off (the company’s setting)": the first choice of a customer setting's select, saying what inheriting gives. */
export function inheritChoiceLabel(field: CustomerSettingField, inherited: SettingInForce): Text {
  const name = customerSettingNames[field];
  return message('customers:settings.inheritWith', { value: valueText(name, inherited.value), source: sourceText(inherited.source) });
}

/** The label of each field of the customer form, in the order the comparison on the conflict page lists them. */
export const customerFieldLabels = {
  name: 'customers:fields.name',
  customerNumber: 'customers:fields.customerNumber',
  taxCountry: 'customers:fields.taxCountry',
  taxId: 'customers:fields.taxId',
  street: 'customers:fields.street',
  postalCode: 'customers:fields.postalCode',
  city: 'customers:fields.city',
  country: 'customers:fields.country',
  email: 'customers:fields.email',
  phone: 'customers:fields.phone',
  bankAccount: 'customers:fields.bankAccount',
  caretakerId: 'customers:fields.caretakerId',
  notes: 'customers:fields.notes',
  isActive: 'customers:fields.isActive',
  portalAccess: 'customers:fields.portalAccess',
  ticketApproval: 'customers:fields.ticketApproval',
  ticketVisibility: 'customers:fields.ticketVisibility',
  visibleSince: 'customers:fields.visibleSince',
  reminders: 'customers:fields.reminders',
} as const;

/** The portal access of a customer's people, as the customer list says it (customer-list.ts, PortalState). */
export const portalStateLabels = {
  on: 'customers:list.portalState.on',
  off: 'customers:list.portalState.off',
  mixed: 'customers:list.portalState.mixed',
} as const;

/**
 * A tax id as the customer list and record show it: a NIP grouped with dashes, a foreign one with
 * its country code in front unless it is written with its VAT prefix already (SK2020123456).
 */
export function taxIdText(taxCountry: string, taxId: string | null): string | null {
  if (!taxId) return null;
  if (taxCountry === 'PL') return formatNip(taxId);
  return /^[A-Z]{2}/.test(taxId) && taxIdBody(taxId, taxCountry) !== taxId ? taxId : `${taxCountry} ${taxId}`;
}

/** A bank account as the record shows it: grouped in fours (an NRB as 2 + 6 × 4 digits). */
export function bankAccountText(bankAccount: string | null): string | null {
  return bankAccount ? formatBankAccount(bankAccount) : null;
}

/**
 * The tax-id countries a form offers: the EU's member states by name in the reader's language,
 * Poland first, and the value a record has even if it is none of them (a customer outside the EU).
 */
/** A country by name in the reader's language with its code, as the forms offer it: "Słowacja (SK)". */
export function countryText(locale: string, code: string): string {
  const name = /^[A-Z]{2}$/.test(code) ? new Intl.DisplayNames([locale], { type: 'region' }).of(code) : undefined;
  return name && name !== code ? `${name} (${code})` : code;
}

export function taxCountryChoices(locale: string, current: string | null): Choice[] {
  const names = new Intl.DisplayNames([locale], { type: 'region' });
  const nameOf = (code: string) => names.of(code) ?? code;
  const others = euCountries.filter((code) => code !== 'PL').sort((first, second) => nameOf(first).localeCompare(nameOf(second), locale));
  const codes = ['PL', ...others];
  if (current && /^[A-Z]{2}$/.test(current) && !codes.includes(current)) codes.push(current);
  return codes.map((code) => ({ value: code, label: `${nameOf(code)} (${code})` }));
}

/** Whether a customer is served: a deactivated one is kept for its history. */
export function customerStatus(isActive: boolean): Status {
  return isActive ? { label: message('customers:list.active'), tone: 'success' } : { label: message('customers:list.inactive'), tone: 'neutral' };
}

/** The choices of the customer list's filters (D1); the caretaker filter is for admins, who see every customer. */
export function customerFilterChoices(caretakers: ReadonlyArray<{ id: number; name: string }>) {
  return {
    caretaker: [
      ...choicesOf({ all: 'customers:list.caretakerAll', none: 'customers:noCaretaker' }),
      ...caretakers.map((caretaker): Choice => ({ value: caretaker.id, label: caretaker.name })),
    ],
    status: choicesOf({ active: 'customers:list.statusActive', inactive: 'customers:list.statusInactive', all: 'customers:list.statusAll' }),
    portal: choicesOf({ all: 'customers:list.portalAll', on: 'customers:list.portalOn', off: 'customers:list.portalOff', mixed: 'customers:list.portalMixed' }),
    sort: choicesOf({
      'name-asc': 'customers:list.sortNameAsc',
      'name-desc': 'customers:list.sortNameDesc',
      'city-asc': 'customers:list.sortCityAsc',
      'city-desc': 'customers:list.sortCityDesc',
      'created-desc': 'customers:list.sortCreatedDesc',
      'created-asc': 'customers:list.sortCreatedAsc',
    }),
  };
}
