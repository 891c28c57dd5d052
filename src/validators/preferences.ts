import { z } from 'zod';
import { supportedLocales } from '../lib/i18n.js';
import { textSizes } from '../models/user.js';

const returnTo = z.string().max(500).optional();

/** The language switch in every page's header. */
export const languageForm = z.object({ locale: z.enum(supportedLocales), returnTo });

/** The text-size control in every page's header (A14). */
export const textSizeForm = z.object({ textSize: z.enum(textSizes), returnTo });

/**
 * Only a path of the same tenant may be returned to: never another site or another tenant.
 * The path is resolved first, so `/acme/../beta` is judged as the `/beta` a browser would open.
 */
export function safeReturnPath(candidate: unknown, tenantSlug: string, fallback: string): string {
  if (typeof candidate !== 'string' || !candidate.startsWith('/') || candidate.includes('\\') || candidate.includes('//')) return fallback;
  let resolved: URL;
  try {
    resolved = new URL(candidate, 'http://ebok.invalid');
  } catch {
    return fallback;
  }
  if (resolved.origin !== 'http://ebok.invalid') return fallback;
  const prefix = `/${tenantSlug}`;
  const path = resolved.pathname;
  if (path !== prefix && !path.startsWith(`${prefix}/`)) return fallback;
  return path + resolved.search;
}
