import { z } from 'zod';
import { checkStoreKey } from '../lib/storage/file-store.js';
import { fileStoresFor } from '../lib/storage/index.js';
import { enqueueTenantJob } from '../models/job.js';
import { doublingWait, type JobKind } from './kind.js';

/** How long a file deletion that ran out of attempts waits before a fresh job starts over. */
const startOverAfterMs = 24 * 60 * 60 * 1000;

export const fileDeletionPayload = z.object({ store: z.string().min(1), key: z.string().refine((key) => Boolean(checkStoreKey(key))) });

/**
 * 'files.delete': removes the content of a deleted file from a store outside the database's
 * transaction (a folder), after the commit that deleted its row. A failure is retried, waiting
 * longer each time; one that gives up is listed among the tenant's failed jobs, and a fresh job
 * starts over a day later, so content that must go (a purge, D2) is retried until it is gone.
 * Removing what is already gone succeeds, so a job run twice does no harm.
 */
export const deleteFileContent: JobKind<z.infer<typeof fileDeletionPayload>> = {
  payload: fileDeletionPayload,
  maxAttempts: 8,
  retryAfterSeconds: doublingWait(30, 6 * 60 * 60),
  leaseSeconds: 60,
  async run(context, payload, job) {
    const store = fileStoresFor({ filesDirectory: context.filesDirectory }).named(payload.store);
    await store.delete(context.system.scopeFor(job.tenantId!), payload.key);
  },
  async giveUp(context, payload, job) {
    const scope = context.system.scopeFor(job.tenantId!);
    const runAt = new Date(scope.now().getTime() + startOverAfterMs);
    await enqueueTenantJob(scope, { kind: 'files.delete', payload, runAt, uniqueKey: `files.delete:after:${job.id}` });
  },
};
