import { z } from 'zod';
import { requiredText } from './form.js';

/** Path segments the application uses itself, so no tenant may take them. */
export const reservedSlugs = ['assets', 'healthz', 'readyz', 'api', 'admin', 'static', 'favicon.ico', 'robots.txt'];

/** `npm run cli -- tenant:create` */
export const tenantCreateCommand = z.object({
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2–63 characters: lower-case letters, digits and hyphens, starting with a letter or digit')
    .refine((slug) => !reservedSlugs.includes(slug), 'is reserved'),
  name: requiredText(),
  adminLogin: z.string().trim().regex(/^[A-Za-z0-9._@-]{2,100}$/, 'must be 2–100 characters: letters, digits, . _ @ -'),
  adminEmail: z.email('must be an e-mail address').max(200),
  adminFirstName: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  adminLastName: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  locale: z.enum(['pl', 'en']).default('pl'),
});
