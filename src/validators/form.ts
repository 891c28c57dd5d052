import { z } from 'zod';
import type { ValidationError } from '../lib/errors.js';

/** A message for one field: an i18n key and its values. */
export type FieldError = { key: string; values?: Record<string, unknown> };
export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: Record<string, FieldError> };

export const maximumFieldLength = 200;

/** A required text field, trimmed, at most `max` characters. */
export function requiredText(max = maximumFieldLength) {
  return z
    .string({ error: 'validation:required' })
    .trim()
    .min(1, 'validation:required')
    .max(max, 'validation:tooLong');
}

/**
 * Parses a submitted form. Failures come back as one message per field (the first),
 * never as an exception: the controller re-renders the form with them (422).
 */
export function parseForm<Schema extends z.ZodType>(schema: Schema, input: unknown): FormResult<z.infer<Schema>> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: Record<string, FieldError> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (errors[field]) continue;
    errors[field] = toFieldError(issue);
  }
  return { ok: false, errors };
}

function toFieldError(issue: z.core.$ZodIssue): FieldError {
  if (issue.code === 'too_big') return { key: 'validation:tooLong', values: { max: Number(issue.maximum), count: Number(issue.maximum) } };
  if (issue.code === 'too_small' && Number(issue.minimum) > 1) return { key: 'validation:tooShort', values: { min: Number(issue.minimum), count: Number(issue.minimum) } };
  // A schema's own message is an i18n key of any namespace ('validation:required', 'groups:nameTaken');
  // zod's built-in messages are sentences, never 'namespace:key'.
  if (/^[A-Za-z]+:[\w.]+$/.test(issue.message)) return { key: issue.message };
  return { key: 'validation:invalid' };
}

/** A model's ValidationError (field → i18n key) as the messages a form shows. */
export function fieldErrorsOf(error: ValidationError): Record<string, FieldError> {
  return Object.fromEntries(Object.entries(error.fieldErrors).map(([field, key]) => [field, error.fieldValues[field] ? { key, values: error.fieldValues[field] } : { key }]));
}

/** The values to show back in a form: submitted text, never passwords or the CSRF token. */
export function formValues(body: unknown, fields: readonly string[]): Record<string, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(fields.map((field) => [field, typeof source[field] === 'string' ? String(source[field]) : '']));
}
