import { z } from 'zod';
import { sendPaymentReminders, tenantsWithReminders } from '../models/payment-reminders.js';
import { forEachTenant, type JobKind } from './kind.js';

const noPayload = z.object({});

/**
 * 'payment.reminders': scheduled system work, once a day across all processes (the runner's unique
 * key per period), that sends the reminders of overdue payments of every tenant that has them on
 * (M9, models/payment-reminders.ts). A tenant's failure does not stop the others; the job fails (and
 * is tried again) after the rest have run, and a repeat sends nothing twice: each customer's
 * reminder is claimed once per interval.
 */
export const paymentReminders: JobKind<z.infer<typeof noPayload>> = {
  payload: noPayload,
  maxAttempts: 3,
  retryAfterSeconds: () => 15 * 60,
  leaseSeconds: 15 * 60,
  everySeconds: 24 * 60 * 60,
  async run(context) {
    await forEachTenant(context, await tenantsWithReminders(context.system), 'payment reminders', async (tenantId) => {
      const run = await sendPaymentReminders(context.system.scopeFor(tenantId), context.links);
      context.logger.info({ tenantId, ...run }, 'payment reminders sent');
    });
  },
};
