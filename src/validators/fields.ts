import { z } from 'zod';
import { passwordSetupForm } from './auth.js';
import { requiredText } from './form.js';

/**
 * Field rules shared by several forms. Each form keeps its own message keys; what a valid phone
 * number or login is, is decided here once.
 */

/** Logins: one word of ASCII letters, digits and . _ - @, kept in lower case (both databases compare them alike). */
export const loginPattern = /^[a-z0-9._@-]+$/;

/** A phone number as people write it: digits with spaces, dashes, brackets and a leading +; 6 to 20 digits. */
export function isPhoneNumber(value: string): boolean {
  const digits = value.replace(/\D/g, '').length;
  return /^\+?[\d\s()-]+$/.test(value) && digits >= 6 && digits <= 20;
}

export function isEmailAddress(value: string): boolean {
  return z.email().safeParse(value).success;
}

/** An optional text: trimmed, at most `max` characters; left empty it is null ("none"). */
export const nullableText = (max: number) =>
  z
    .string({ error: 'validation:invalid' })
    .trim()
    .max(max, 'validation:tooLong')
    .optional()
    .transform((value) => value || null);

/** A checkbox: sent as "on" when ticked, not sent at all otherwise. */
export const checkbox = z.unknown().optional().transform((value) => value === 'on');

/**
 * The person fields of a new account, staff or client alike; each form names its own messages.
 * Logins are 2–100 characters of the login pattern, kept in lower case.
 */
export function accountPersonFields(messages: { login: string; email: string; phone: string }) {
  return {
    login: z
      .string({ error: 'validation:required' })
      .trim()
      .toLowerCase()
      .min(1, 'validation:required')
      .min(2)
      .max(100)
      .regex(loginPattern, messages.login),
    firstName: requiredText(100),
    lastName: requiredText(100),
    email: nullableText(200).refine((value) => value === null || isEmailAddress(value), messages.email),
    phone: nullableText(40).refine((value) => value === null || isPhoneNumber(value), messages.phone),
  };
}

/** Checks a first password typed twice by staff with the rules of the set-password form (passwordSetupForm). */
export function checkFirstPassword(context: z.RefinementCtx, newPassword: string | undefined, passwordConfirmation: string | undefined): void {
  const checked = passwordSetupForm.safeParse({ newPassword: newPassword ?? '', passwordConfirmation: passwordConfirmation ?? '' });
  // Passed on whole, so a too-long password keeps its limit in the message.
  for (const issue of checked.error?.issues ?? []) context.addIssue({ ...issue } as z.core.$ZodRawIssue);
}
