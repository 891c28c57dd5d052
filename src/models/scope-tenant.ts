import type { Scope } from '../db/scope.js';

/**
 * The scope's own row of the tenants table, every column, as stored now: read once per request
 * (scope.memo), so the tenant, the provider's contact and the billing details of one page come from one
 * statement, and kept across requests under the tenant's configuration version (Scope.kept): a change
 * writes a new one. A transaction's scope has no memo and keeps nothing, and a committed transaction
 * clears the request's, so a change is never hidden (unlike the tenant the middleware caches for half a minute).
 */
export function findScopeTenantRow(scope: Scope): Promise<Record<string, unknown>> {
  return scope.kept('scope-tenant-row', () =>
    scope
      .tenantRow()
      .first()
      .then((row: Record<string, unknown> | undefined) => {
        if (!row) throw new Error(`tenant ${scope.tenantId} vanished`);
        return row;
      }),
  );
}
