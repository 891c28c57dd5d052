import type { MailIntakeStatus } from '../models/mail-intake.js';
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
