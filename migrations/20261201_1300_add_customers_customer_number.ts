import type { Knex } from 'knex';

/**
 * The customer's number in the accounting system (D1, M7): optional, unique within the tenant, so
 * an import can match its rows on it. Guarded, so a run that stopped half-way (MariaDB commits each
 * ALTER TABLE on its own) can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('customers', 'customer_number'))) {
    await knex.schema.alterTable('customers', (table) => {
      table.string('customer_number', 40).nullable();
    });
  }
  if (!(await hasUniqueIndex(knex))) {
    await knex.schema.alterTable('customers', (table) => {
      table.unique(['tenant_id', 'customer_number'], { indexName: uniqueIndexName });
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (table) => {
    table.dropUnique(['tenant_id', 'customer_number'], uniqueIndexName);
    table.dropColumn('customer_number');
  });
}

const uniqueIndexName = 'customers_tenant_id_customer_number_unique';

async function hasUniqueIndex(knex: Knex): Promise<boolean> {
  if (knex.client.config.client === 'mysql2') {
    const [rows] = (await knex.raw('SHOW INDEX FROM customers WHERE Key_name = ?', [uniqueIndexName])) as [unknown[]];
    return rows.length > 0;
  }
  const rows = (await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?`, [uniqueIndexName])) as unknown[];
  return rows.length > 0;
}
