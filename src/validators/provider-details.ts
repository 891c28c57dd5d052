import { z } from 'zod';
import { isEmailAddress, isPhoneNumber, nullableText } from './fields.js';

/** An address is a few lines; opening hours one or two ("Mon–Fri 8:00–16:00"). */
export const maximumOfficeAddressLength = 500;
export const maximumOfficeHoursLength = 200;

/** Line ends arrive as CRLF from browsers; they are kept as LF, and an empty text is "none". */
const lines = (max: number) =>
  z
    .string({ error: 'validation:invalid' })
    .optional()
    .transform((value) => (value ?? '').replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(max, 'validation:tooLong'))
    .transform((value) => value || null);

/** views/admin/provider-details/edit.ejs: every field may stay empty, but what is given must be usable. */
export const providerDetailsForm = z.object({
  email: nullableText(200).refine((value) => value === null || isEmailAddress(value), 'providerDetails:errors.email'),
  phone: nullableText(40).refine((value) => value === null || isPhoneNumber(value), 'providerDetails:errors.phone'),
  address: lines(maximumOfficeAddressLength),
  hours: lines(maximumOfficeHoursLength),
});

export const providerDetailsFields = ['email', 'phone', 'address', 'hours'] as const;
