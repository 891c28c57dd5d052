import type { Knex } from 'knex';

/**
 * The staff start page lists a tenant's active customers by name and counts them (issue 20): with
 * 100,000 customers, `count(*) over ()` beside the first rows read and sorted every customer on each
 * view (about 0.2 s on SQLite). With (tenant_id, is_active, name) the first rows are the index's
 * first entries, and the count of the active ones is read from the index alone.
 * Guarded, so a run that stopped half-way can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (await hasIndex(knex)) return;
  await knex.schema.alterTable('customers', (table) => {
    table.index(['tenant_id', 'is_active', 'name'], indexName);
  });
}

export async function down(knex: Knex): Promise<void> {
  if (!(await hasIndex(knex))) return;
  await knex.schema.alterTable('customers', (table) => {
    table.dropIndex(['tenant_id', 'is_active', 'name'], indexName);
  });
}

const indexName = 'customers_tenant_id_is_active_name_index';

async function hasIndex(knex: Knex): Promise<boolean> {
  if (knex.client.config.client === 'mysql2') {
    const [rows] = (await knex.raw('SHOW INDEX FROM customers WHERE Key_name = ?', [indexName])) as [unknown[]];
    return rows.length > 0;
  }
  const rows = (await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?`, [indexName])) as unknown[];
  return rows.length > 0;
}
