import type { z } from 'zod';
import { renderMail } from '../lib/mail-templates.js';
import { findMail, mailJobPayload, markMailFailed, markMailSent, outboxPolicy, recordMailFailure } from '../models/outbox.js';
import { doublingWait, type JobKind } from './kind.js';

/**
 * 'mail.send': sends one message of the outbox, rendered in its recipient's language, and marks
 * it sent. A failed send is noted on the message and tried again later by the runner; once the
 * runner gives up, the message is marked failed. A message found already sent is not sent again
 * (its job ran once before and its worker stopped before it could say so).
 */
export const sendMail: JobKind<z.infer<typeof mailJobPayload>> = {
  payload: mailJobPayload,
  maxAttempts: outboxPolicy.maximumAttempts,
  retryAfterSeconds: doublingWait(outboxPolicy.firstRetrySeconds, outboxPolicy.longestRetrySeconds),
  leaseSeconds: 60,
  async run(context, payload, job) {
    const entry = await findMail(context.system.scopeFor(job.tenantId!), payload.outboxId);
    if (!entry || entry.status === 'sent') return;
    try {
      await context.mailer.send(renderMail(context.i18n, entry));
    } catch (error) {
      await recordMailFailure(context.system, entry, error instanceof Error ? error.message : String(error));
      throw error;
    }
    await markMailSent(context.system, entry, { forgetLinks: context.forgetsLinks });
  },
  async giveUp(context, payload, job) {
    await markMailFailed(context.system.scopeFor(job.tenantId!), payload.outboxId);
  },
};
