import { z } from 'zod';
import type { NewClientAccount } from '../models/client-account.js';
import { passwordSetupForm } from './auth.js';
import { checkbox, isEmailAddress, isPhoneNumber, loginPattern } from './fields.js';
import { maximumFieldLength, requiredText } from './form.js';

const login = z
  .string({ error: 'validation:required' })
  .trim()
  .toLowerCase()
  .min(1, 'validation:required')
  .min(2)
  .max(100)
  .regex(loginPattern, 'accounts:create.loginInvalid');

const email = z
  .string({ error: 'validation:invalid' })
  .trim()
  .max(maximumFieldLength)
  .refine((value) => value === '' || isEmailAddress(value), 'accounts:create.emailInvalid')
  .default('');

const phone = z
  .string({ error: 'validation:invalid' })
  .trim()
  .max(40)
  .refine((value) => value === '' || isPhoneNumber(value), 'accounts:create.phoneInvalid')
  .default('');

const password = z.string({ error: 'validation:invalid' }).default('');

/**
 * views/staff/customers/accounts.ejs: a new client account (A3, A12). With "password" the staff
 * type the first password twice (rules of passwordSetupForm); with "invitation" an e-mail is needed.
 */
export const clientAccountCreateForm = z
  .object({
    login,
    firstName: requiredText(100),
    lastName: requiredText(100),
    email,
    phone,
    isPrimaryContact: checkbox,
    isApprover: checkbox,
    access: z.enum(['password', 'invitation'], { error: 'accounts:create.accessRequired' }),
    newPassword: password,
    passwordConfirmation: password,
  })
  .superRefine((form, context) => {
    if (form.access === 'invitation' && !form.email) {
      context.addIssue({ code: 'custom', path: ['email'], message: 'accounts:invitation.needsEmail' });
    }
    if (form.access === 'password') {
      const checked = passwordSetupForm.safeParse({ newPassword: form.newPassword, passwordConfirmation: form.passwordConfirmation });
      // Passed on whole, so a too-long password keeps its limit in the message.
      for (const issue of checked.error?.issues ?? []) context.addIssue({ ...issue } as z.core.$ZodRawIssue);
    }
  })
  .transform(
    (form): NewClientAccount => ({
      login: form.login,
      firstName: form.firstName,
      lastName: form.lastName,
      email: form.email || null,
      phone: form.phone || null,
      isPrimaryContact: form.isPrimaryContact,
      isApprover: form.isApprover,
      access: form.access === 'password' ? { kind: 'password', password: form.newPassword } : { kind: 'invitation' },
    }),
  );

/** The text fields the form shows back after a refusal (never the passwords). */
export const clientAccountFormFields = ['login', 'firstName', 'lastName', 'email', 'phone', 'isPrimaryContact', 'isApprover', 'access'] as const;
