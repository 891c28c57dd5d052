import type { SystemWork } from '../src/db/installation.js';
import type { TenantTable } from '../src/db/scope.js';
import { findAnyTenantBySlug } from '../src/models/tenant.js';

/**
 * The tenant tables in an order in which each tenant's rows can go with foreign keys checked:
 * what refers to a row before the row. (The SQLite search tables empty themselves by trigger.)
 */
const childrenFirst: readonly TenantTable[] = [
  'announcement_readings', 'announcements', 'customer_change_requests', 'stored_files', 'documents', 'mail_intake', 'ticket_cost_lines', 'ticket_events', 'ticket_messages', 'tickets',
  'ticket_counters', 'ticket_categories', 'ledger_allocations', 'payment_reminders', 'outbox', 'password_tokens', 'imports', 'purge_requests', 'idempotency_keys', 'file_blobs', 'sessions', 'jobs',
  'settings', 'audit_verifications', 'audit_log', 'audit_chain_heads',
];

/**
 * Removes seeded tenants with every row they own (seed:large --reset): nothing else refers to a
 * tenant's rows, so the tenant goes whole, and with foreign keys checked all the way. Ledger
 * entries refer to each other (corrections, named invoices) and customers and accounts to each
 * other (caretakers), so those go in steps. Each tenant in one transaction.
 * @returns the slugs that existed and are gone
 */
export async function removeSeededTenants(system: SystemWork, slugs: readonly string[], report: (line: string) => void): Promise<string[]> {
  const removed: string[] = [];
  for (const slug of slugs) {
    const tenant = await findAnyTenantBySlug(system, slug);
    if (!tenant) continue;
    const started = Date.now();
    await system.transaction(async (inside) => {
      const scope = inside.scopeFor(tenant.id);
      for (const table of childrenFirst) await scope.table(table).delete();
      await scope.table('ledger_entries').whereNotNull('corrects_entry_id').delete();
      await scope.table('ledger_entries').whereNotNull('pays_entry_id').delete();
      await scope.table('ledger_entries').delete();
      await scope.table('customers').update({ caretaker_id: null });
      await scope.table('users').delete();
      await scope.table('customers').delete();
      await scope.table('groups').delete();
      await inside.tenants().where('id', tenant.id).delete();
    });
    report(`removed tenant ${slug} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    removed.push(slug);
  }
  return removed;
}
