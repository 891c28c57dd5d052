import { z } from 'zod';
import { supportedLocales } from '../lib/i18n.js';
import { landingPages } from '../models/setting-registry.js';
import { textSizes } from '../models/user.js';
import { isPhoneNumber, nullableText } from './fields.js';
import { maximumFieldLength } from './form.js';

/** A correspondence address is several lines (A9); the issue allows up to 500 characters. */
export const maximumAddressLength = 500;

/** views/account/profile.ejs */
export const profileForm = z.object({
  email: z
    .string({ error: 'validation:required' })
    .trim()
    .min(1, 'validation:required')
    .max(maximumFieldLength, 'validation:tooLong')
    .pipe(z.email('profile:errors.email')),
  phone: nullableText(40).refine((value) => value === null || isPhoneNumber(value), 'profile:errors.phone'),
  // Line ends arrive as CRLF from browsers; they are kept as LF.
  correspondenceAddress: z
    .string()
    .optional()
    .transform((value) => (value ?? '').replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(maximumAddressLength, 'validation:tooLong'))
    .transform((value) => (value ? value : null)),
  locale: z.enum(supportedLocales, { error: 'validation:invalid' }),
  landingPage: z.enum(landingPages, { error: 'validation:invalid' }),
  textSize: z.enum(textSizes, { error: 'validation:invalid' }),
  // Needed only to change the e-mail address, where password resets go; never shown back.
  currentPassword: z.string().max(maximumFieldLength, 'validation:tooLong').optional().default(''),
  // The confirmation of an address another account already uses: its value is that address (models/shared-email.ts).
  confirmSharedEmail: z.unknown().optional(),
});

export const profileFields = ['email', 'phone', 'correspondenceAddress', 'locale', 'landingPage', 'textSize'] as const;
