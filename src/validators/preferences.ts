import { z } from 'zod';
import { supportedLocales } from '../lib/i18n.js';
import { textSizes } from '../models/user.js';

const returnTo = z.string().max(500).optional();

/** The language switch in every page's header. */
export const languageForm = z.object({ locale: z.enum(supportedLocales), returnTo });

/** The text-size control in every page's header (A14). */
export const textSizeForm = z.object({ textSize: z.enum(textSizes), returnTo });

/** Only a path of the same tenant may be returned to: never another site or another tenant. */
export function safeReturnPath(candidate: string | undefined, tenantSlug: string, fallback: string): string {
  if (!candidate) return fallback;
  const prefix = `/${tenantSlug}`;
  const isSameTenant = candidate === prefix || candidate.startsWith(`${prefix}/`) || candidate.startsWith(`${prefix}?`);
  if (!isSameTenant || candidate.includes('//') || candidate.includes('\\')) return fallback;
  return candidate;
}
