import { z } from 'zod';
import { accountDetailFields, type AccountDetails, type AccountDetailsUpdate } from '../models/account-details.js';
import { isSharedEmailConfirmed } from '../models/shared-email.js';
import { baseFieldName } from './edit-merge.js';
import { accountPersonFields, checkbox, nullableText } from './fields.js';

const { firstName, email, phone } = accountPersonFields({ login: 'validation:loginInvalid', email: 'accountsPanel:form.emailInvalid', phone: 'accountsPanel:form.phoneInvalid' });

/**
 * views/partials/account-details-form.ejs, on the accounts panel and on a customer's Accounts tab:
 * an account's name, e-mail, phone and (client accounts) flags, with the version it was opened at.
 * The last name may stay empty: accounts made from a customer without a contact's name have none,
 * and correcting a phone number must not wait for it.
 */
export const accountDetailsForm = z
  .object({
    firstName,
    lastName: nullableText(100).transform((value) => value ?? ''),
    email,
    phone,
    isPrimaryContact: checkbox,
    isApprover: checkbox,
    version: z.coerce.number({ error: 'validation:invalid' }).int('validation:invalid').positive('validation:invalid'),
    confirmSharedEmail: z.unknown().optional(),
  })
  .transform(({ version, confirmSharedEmail, ...details }): AccountDetailsUpdate => ({
    details: details satisfies AccountDetails,
    version,
    isSharedEmailConfirmed: isSharedEmailConfirmed(confirmSharedEmail, details.email),
  }));

/** The fields the form shows back and merges after a conflict (checkboxes as 'on' or ''). */
export const accountDetailFormFields: readonly string[] = accountDetailFields;
/** What the form carries besides: the version, the opened values, a confirmation of a shared address. */
export const accountDetailHiddenFields = ['version', baseFieldName, 'confirmSharedEmail'] as const;
