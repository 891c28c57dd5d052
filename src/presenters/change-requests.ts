import type { ChangeableField, ChangeRequest, ChangeRequestStatus } from '../models/change-request.js';
import type { Customer } from '../models/customer.js';
import { formatBankAccount } from '../lib/bank-account.js';
import { formatTaxId } from '../lib/nip.js';
import { message, type Status, type Tone } from './presentation.js';

/** Labels of the changeable fields and of the statuses, as the pages of both sides show them (A13). */
export const changeFieldLabels: Record<ChangeableField, string> = {
  street: 'changes:fields.street',
  postalCode: 'changes:fields.postalCode',
  city: 'changes:fields.city',
  country: 'changes:fields.country',
  taxCountry: 'changes:fields.taxCountry',
  taxId: 'changes:fields.taxId',
  bankAccount: 'changes:fields.bankAccount',
};

const changeStatusLabels: Record<ChangeRequestStatus, string> = {
  pending: 'changes:status.pending',
  approved: 'changes:status.approved',
  rejected: 'changes:status.rejected',
};

const changeStatusTones: Record<ChangeRequestStatus, Tone> = {
  pending: 'waiting',
  approved: 'success',
  rejected: 'danger',
};

/** A request's status as its badge shows it (views/partials/status-badge.ejs). */
export function changeRequestStatus(status: ChangeRequestStatus): Status {
  return { label: message(changeStatusLabels[status]), tone: changeStatusTones[status] };
}

/** A stored value as people read it (the NIP and the account in their groups); null stays null. */
export function shownValue(field: ChangeableField, value: string | null | undefined, customer: Pick<Customer, 'taxCountry'>): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (field === 'taxId') return formatTaxId(value, customer.taxCountry);
  if (field === 'bankAccount') return formatBankAccount(value);
  return value;
}

/**
 * A request's changed fields, each with its value before and the one asked for, ready to show; a
 * tax id is read in the country it had then and the one asked for (a NIP in its groups).
 */
export function changedRows(request: ChangeRequest, customer: Pick<Customer, 'taxCountry'>) {
  const before = { taxCountry: request.previous.taxCountry ?? customer.taxCountry };
  const after = { taxCountry: request.changes.taxCountry ?? before.taxCountry };
  return (Object.keys(request.changes) as ChangeableField[]).map((field) => ({
    field,
    label: changeFieldLabels[field],
    previous: shownValue(field, request.previous[field], before),
    requested: shownValue(field, request.changes[field], after),
  }));
}
