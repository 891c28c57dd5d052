import { z } from 'zod';
import { sendDueAnnouncementCopies, tenantsWithCopiesDue } from '../models/announcement-copies.js';
import { forEachTenant, type JobKind } from './kind.js';

const noPayload = z.object({});

/**
 * 'announcements.publish': scheduled system work every five minutes (once per period across all
 * processes) that queues the e-mail copies of scheduled announcements whose publish time has
 * passed (C2, models/announcement-copies.ts). Each announcement is claimed once, so a repeat or a
 * second process sends nothing twice; a tenant's failure does not stop the others.
 */
export const publishAnnouncements: JobKind<z.infer<typeof noPayload>> = {
  payload: noPayload,
  maxAttempts: 3,
  retryAfterSeconds: () => 5 * 60,
  leaseSeconds: 10 * 60,
  everySeconds: 5 * 60,
  async run(context) {
    await forEachTenant(context, await tenantsWithCopiesDue(context.system), 'announcement copies', async (tenantId) => {
      const run = await sendDueAnnouncementCopies(context.system.scopeFor(tenantId), context.links);
      context.logger.info({ tenantId, ...run }, 'announcement copies queued');
    });
  },
};
