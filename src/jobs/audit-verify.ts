import { z } from 'zod';
import { recordAuditVerification, tenantsToVerify, verifyAuditChain } from '../models/audit-verification.js';
import { forEachTenant, type JobContext, type JobKind } from './kind.js';

const noPayload = z.object({});

/**
 * 'audit.verify': scheduled system work, once a day across all processes, that walks the audit
 * chain of every tenant (D3, models/audit-verification.ts) and keeps each result as the tenant's
 * latest, which the superadmin's start page shows. A broken chain is a warning in the process log
 * too; it is not a failure of the job (running it again finds the same break). A tenant whose walk
 * throws does not stop the others; the job fails and is tried again after they have run.
 */
export const auditVerify: JobKind<z.infer<typeof noPayload>> = {
  payload: noPayload,
  maxAttempts: 3,
  retryAfterSeconds: () => 15 * 60,
  leaseSeconds: 30 * 60,
  everySeconds: 24 * 60 * 60,
  async run(context) {
    await verifyChainsOf(context, await tenantsToVerify(context.system));
  },
};

/** Verifies and records the chains of the given tenants; one that throws does not stop the others, the call fails after them. */
export async function verifyChainsOf(context: JobContext, tenantIds: readonly number[]): Promise<void> {
  await forEachTenant(context, tenantIds, 'audit chain verification', async (tenantId) => {
    const scope = context.system.scopeFor(tenantId);
    const report = await verifyAuditChain(scope);
    await recordAuditVerification(scope, report);
    if (report.isIntact) context.logger.info({ tenantId, rows: report.rows }, 'audit chain intact');
    else context.logger.warn({ tenantId, rows: report.rows, break: report.break }, 'audit chain broken: run npm run cli -- audit:verify --tenant SLUG');
  });
}
