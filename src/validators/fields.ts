import { z } from 'zod';

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
