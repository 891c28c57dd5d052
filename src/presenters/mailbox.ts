import type { OutboxEntry } from '../models/outbox.js';
import { message, type Status, type Tone } from './presentation.js';

/** An e-mail's state in the outbox, as the development mailbox shows it. */
export const mailStatusLabels: Record<OutboxEntry['status'], string> = {
  pending: 'mailbox:status.pending',
  sending: 'mailbox:status.sending',
  sent: 'mailbox:status.sent',
  failed: 'mailbox:status.failed',
};

const mailStatusTones: Record<OutboxEntry['status'], Tone> = { pending: 'waiting', sending: 'info', sent: 'success', failed: 'danger' };

export function mailStatus(status: OutboxEntry['status']): Status {
  return { label: message(mailStatusLabels[status]), tone: mailStatusTones[status] };
}
