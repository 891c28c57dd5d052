import { z } from 'zod';
import type { NewClientAccount } from '../models/client-account.js';
import { isSharedEmailConfirmed } from '../models/shared-email.js';
import { accountPersonFields, checkbox, checkFirstPassword } from './fields.js';

const password = z.string({ error: 'validation:invalid' }).default('');

/**
 * views/staff/customers/accounts.ejs: a new client account (A3, A12). With "password" the staff
 * type the first password twice (rules of passwordSetupForm); with "invitation" an e-mail is needed.
 */
export const clientAccountCreateForm = z
  .object({
    ...accountPersonFields({ login: 'validation:loginInvalid', email: 'accounts:create.emailInvalid', phone: 'accounts:create.phoneInvalid' }),
    isPrimaryContact: checkbox,
    isApprover: checkbox,
    access: z.enum(['password', 'invitation'], { error: 'accounts:create.accessRequired' }),
    newPassword: password,
    passwordConfirmation: password,
    confirmSharedEmail: z.unknown().optional(),
  })
  .superRefine((form, context) => {
    if (form.access === 'invitation' && !form.email) {
      context.addIssue({ code: 'custom', path: ['email'], message: 'accounts:invitation.needsEmail' });
    }
    if (form.access === 'password') checkFirstPassword(context, form.newPassword, form.passwordConfirmation);
  })
  .transform(
    (form): NewClientAccount => ({
      login: form.login,
      firstName: form.firstName,
      lastName: form.lastName,
      email: form.email,
      phone: form.phone,
      isPrimaryContact: form.isPrimaryContact,
      isApprover: form.isApprover,
      isSharedEmailConfirmed: isSharedEmailConfirmed(form.confirmSharedEmail, form.email),
      access: form.access === 'password' ? { kind: 'password', password: form.newPassword } : { kind: 'invitation' },
    }),
  );

/** The text fields the form shows back after a refusal (never the passwords). */
export const clientAccountFormFields = ['login', 'firstName', 'lastName', 'email', 'phone', 'isPrimaryContact', 'isApprover', 'access', 'confirmSharedEmail'] as const;
