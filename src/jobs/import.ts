import { z } from 'zod';
import { fileStoresFor } from '../lib/storage/index.js';
import { failImport, forgetImportFile, importFile, isImportRunning, performImport } from '../models/data-import.js';
import type { JobKind } from './kind.js';

export const importPayload = z.object({ importId: z.number().int().positive() });

/**
 * 'import.run': reads an uploaded CSV file from the file store and imports it (M7), with its
 * progress on the import's row. Tried once: an import that broke half-way was rolled back, and the
 * admin decides whether to upload again. The file is removed from the store once read.
 */
export const runImportJob: JobKind<z.infer<typeof importPayload>> = {
  payload: importPayload,
  maxAttempts: 1,
  retryAfterSeconds: () => 60,
  leaseSeconds: 10 * 60,
  async run(context, payload, job) {
    const scope = context.system.scopeFor(job.tenantId!);
    const file = await importFile(scope, payload.importId);
    if (!isImportRunning(file.status) || !file.store || !file.key) return;
    const store = fileStoresFor({ filesDirectory: context.filesDirectory }).named(file.store);
    try {
      await performImport(scope, payload.importId, (reader) => store.get(reader, file.key!));
    } finally {
      // Tried once either way: the file is not needed again.
      await store.delete(scope, file.key);
      await forgetImportFile(scope, payload.importId);
    }
  },
  async giveUp(context, payload, job, error) {
    await failImport(context.system.scopeFor(job.tenantId!), payload.importId, error);
  },
};
