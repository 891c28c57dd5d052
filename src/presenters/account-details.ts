import type { AccountDetailField, EditableAccount } from '../models/account-details.js';
import { detailFieldsOf } from '../models/account-details.js';
import { decodeBase, encodeBase, mergeEdit } from '../validators/edit-merge.js';
import { formValues } from '../validators/form.js';
import { roleLabel } from './accounts.js';
import type { Text } from './presentation.js';

/** The label of each field of the account details form (also the rows of its conflict table). */
export const accountDetailLabels: Record<AccountDetailField, string> = {
  firstName: 'accounts:details.firstName',
  lastName: 'accounts:details.lastName',
  email: 'accounts:details.email',
  phone: 'accounts:details.phone',
  isPrimaryContact: 'accounts:details.isPrimaryContact',
  isApprover: 'accounts:details.isApprover',
};

/** What the form page shows: the account's values, its version and the values it was opened with. */
export type AccountDetailsPage = {
  account: EditableAccount & { roleText: Text };
  fields: AccountDetailField[];
  values: Record<string, string>;
  /** After a conflict: fields both people changed (shown side by side), and the other person's values. */
  clashes: Array<{ field: AccountDetailField; mine: string; stored: string }>;
  /** After a conflict: this user's changes carried over onto the stored version. */
  kept: AccountDetailField[];
};

/** The stored details as the form sends them back (ticked checkboxes are 'on'). */
export function detailValuesOf(account: EditableAccount): Record<string, string> {
  const { details } = account;
  return {
    firstName: details.firstName,
    lastName: details.lastName,
    email: details.email ?? '',
    phone: details.phone ?? '',
    isPrimaryContact: details.isPrimaryContact ? 'on' : '',
    isApprover: details.isApprover ? 'on' : '',
  };
}

function pageOf(account: EditableAccount, values: Record<string, string>, opened: Record<string, string>): AccountDetailsPage {
  const fields = detailFieldsOf(account.role);
  return {
    account: { ...account, roleText: roleLabel(account.role) },
    fields,
    values: { ...values, version: String(account.version), base: encodeBase(opened, fields) },
    clashes: [],
    kept: [],
  };
}

/** The form as opened: the stored account. */
export function openedPage(account: EditableAccount): AccountDetailsPage {
  const values = detailValuesOf(account);
  return pageOf(account, values, values);
}

/** The form sent back with its messages (422): what was typed, with the version and base it came with. */
export function refusedPage(account: EditableAccount, body: unknown): AccountDetailsPage {
  const fields = detailFieldsOf(account.role);
  const submitted = formValues(body, [...fields, 'version', 'base', 'confirmSharedEmail']);
  return { ...pageOf(account, submitted, {}), values: submitted };
}

/**
 * The form after a conflict (409): the stored version with only this user's own changes applied
 * (validators/edit-merge.ts), at the stored version, so saving it undoes nobody's work; the fields
 * both changed are listed with both values, and the form holds this user's value for them.
 */
export function conflictPage(current: EditableAccount, body: unknown): AccountDetailsPage {
  const fields = detailFieldsOf(current.role);
  const stored = detailValuesOf(current);
  const merge = mergeEdit(fields, decodeBase((body as Record<string, unknown> | undefined)?.base, fields), formValues(body, fields), stored);
  return {
    ...pageOf(current, merge.values, stored),
    clashes: merge.clashes.map((field) => ({ field: field as AccountDetailField, mine: merge.values[field] ?? '', stored: stored[field] ?? '' })),
    kept: merge.kept as AccountDetailField[],
  };
}
