import { z } from 'zod';
import { maximumPasswordBytes, minimumPasswordLength } from '../lib/passwords.js';
import { maximumFieldLength, requiredText } from './form.js';

/** views/auth/login.ejs */
export const signInForm = z.object({
  login: requiredText(),
  // Passwords are not trimmed: spaces may be part of them.
  password: z.string({ error: 'validation:required' }).min(1, 'validation:required').max(maximumFieldLength, 'validation:tooLong'),
});

const newPassword = z
  .string({ error: 'validation:required' })
  .min(1, 'validation:required')
  .max(maximumFieldLength, 'validation:tooLong')
  .refine((value) => value.length >= minimumPasswordLength, 'validation:passwordTooShort')
  .refine((value) => Buffer.byteLength(value) <= maximumPasswordBytes, 'validation:passwordTooLong');

const passwordConfirmation = z.string({ error: 'validation:required' }).max(maximumFieldLength, 'validation:tooLong');
const confirmationMatches = {
  check: (form: { newPassword: string; passwordConfirmation: string }) => form.newPassword === form.passwordConfirmation,
  problem: { path: ['passwordConfirmation'], message: 'validation:passwordsDiffer' },
};

/** views/account/password.ejs */
export const passwordChangeForm = z
  .object({
    currentPassword: z.string({ error: 'validation:required' }).min(1, 'validation:required').max(maximumFieldLength, 'validation:tooLong'),
    newPassword,
    passwordConfirmation,
  })
  .refine(confirmationMatches.check, confirmationMatches.problem);

/** views/auth/password-setup.ejs */
export const passwordSetupForm = z.object({ newPassword, passwordConfirmation }).refine(confirmationMatches.check, confirmationMatches.problem);
