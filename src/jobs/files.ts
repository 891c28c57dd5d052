import { z } from 'zod';
import { checkStoreKey } from '../lib/storage/file-store.js';
import { fileStoresFor } from '../lib/storage/index.js';
import { doublingWait, type JobKind } from './kind.js';

export const fileDeletionPayload = z.object({ store: z.string().min(1), key: z.string().refine((key) => Boolean(checkStoreKey(key))) });

/**
 * 'files.delete': removes the content of a deleted file from a store outside the database's
 * transaction (a folder), after the commit that deleted its row. A failure is retried, waiting
 * longer each time; one that gives up is listed among the tenant's failed jobs. Removing what is
 * already gone succeeds, so a job run twice does no harm.
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
};
