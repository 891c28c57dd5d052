import { expect, it } from 'vitest';
import { tenantTables } from '../../src/db/scope.js';
import { describeOnEachDatabase } from '../support/environment.js';

/**
 * ARCHITECTURE.md: every tenant-owned table has tenant_id and every index and unique key starts
 * with it, so no query of one tenant reads another's index pages and tenant_id can be a shard key.
 * Read from the schema the migrations built, on each database.
 */
/**
 * The indexes of the installation's own workers, which serve every tenant in one pass by design:
 * the outbox sender and the job runner take the next due row of any tenant, housekeeping removes
 * expired sessions of all, and a job's once-per-period key is unique across the installation.
 * And MySQL's FULLTEXT indexes, which hold text columns only (the search adds the tenant's condition).
 */
const installationIndexes = new Set([
  'outbox.outbox_status_next_attempt_at_index',
  'sessions.sessions_expires_at_index',
  'jobs.jobs_status_run_at_index',
  'jobs.jobs_unique_key_unique',
  'tickets.tickets_title_description_fulltext',
  'ticket_messages.ticket_messages_body_fulltext',
]);

describeOnEachDatabase('the schema of tenant tables', (env) => {
  it('gives every tenant table a tenant_id that leads each of its indexes and unique keys', async () => {
    const stray: string[] = [];
    for (const table of tenantTables) {
      if (env.db.client.config.client === 'better-sqlite3') {
        const columns: Array<{ name: string }> = await env.db.raw(`PRAGMA table_info(\`${table}\`)`);
        // Full-text search tables of SQLite (FTS5) have no indexes of their own to check.
        if (columns.length === 0) continue;
        expect(columns.map((column) => column.name), table).toContain('tenant_id');
        const indexes: Array<{ name: string; origin: string }> = await env.db.raw(`PRAGMA index_list(\`${table}\`)`);
        for (const index of indexes.filter((candidate) => candidate.origin !== 'pk')) {
          const parts: Array<{ name: string }> = await env.db.raw(`PRAGMA index_info(\`${index.name}\`)`);
          if (parts[0]?.name !== 'tenant_id' && !installationIndexes.has(`${table}.${index.name}`)) stray.push(`${table}.${index.name} (${parts.map((part) => part.name).join(', ')})`);
        }
      } else {
        const [rows] = await env.db.raw(
          'SELECT index_name AS name, column_name AS first FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND seq_in_index = 1 AND index_name <> ?',
          [table, 'PRIMARY'],
        );
        const [columns] = await env.db.raw('SELECT column_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?', [table]);
        // The search tables of SQLite (FTS5) do not exist on MySQL, which indexes the tickets themselves.
        if ((columns as unknown[]).length === 0) continue;
        expect((columns as Array<{ name: string }>).map((column) => column.name), table).toContain('tenant_id');
        for (const index of rows as Array<{ name: string; first: string }>) if (index.first !== 'tenant_id' && !installationIndexes.has(`${table}.${index.name}`)) stray.push(`${table}.${index.name} (${index.first}, …)`);
      }
    }
    expect(stray).toEqual([]);
  });
});
