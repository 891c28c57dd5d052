import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { scopeOf } from '../middleware/context.js';
import { attachmentDisposition } from '../lib/file-names.js';
import { fileStoresFor } from '../lib/storage/index.js';
import { rawOfIntake, type MailIntake, type MailIntakeStatus } from '../models/mail-intake.js';
import { message, type Status, type Text, type Tone } from './presentation.js';

const tones: Record<MailIntakeStatus, Tone> = { received: 'info', filed: 'success', unmatched: 'waiting', failed: 'danger', discarded: 'neutral' };

/** The state of a kept e-mail message as a badge (T9). */
export function mailIntakeStatusBadge(status: MailIntakeStatus): Status {
  return { label: message(`mailIntake:statuses.${status}`), tone: tones[status] };
}

/** Why a message could not be filed: a known reason in the reader's words, anything else as it was recorded. */
export function mailIntakeErrorText(error: string | null): Text | null {
  if (error === null) return null;
  return error.startsWith('mailIntake:failures.') ? message(error) : error;
}

/**
 * Sends a kept e-mail message as it came (T9). Always a download (message/rfc822), never shown in
 * the browser: a stranger wrote it.
 */
export async function sendKeptMessage(req: Request, res: Response, intake: MailIntake): Promise<void> {
  const content = await rawOfIntake(scopeOf(req), fileStoresFor(req.deps.config), intake);
  res.setHeader('Content-Type', 'message/rfc822');
  res.setHeader('Content-Length', String(intake.rawSize));
  res.setHeader('Content-Disposition', attachmentDisposition(`message-${intake.id}.eml`));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  await pipeline(content, res);
}
