import type { Knex } from 'knex';

/**
 * Tenant-led indexes for the lists and aggregates of the main pages (issue 20), on a tenant of
 * 100,000 customers, 2,000,000 ledger entries and 500,000 tickets:
 * - customers: a caretaker's list in name order (tenant, caretaker, name), the search by the start of
 *   an e-mail address or a town, and the list sorted by registration date;
 * - tickets: the client's start page reads its customer's tickets not yet finished (tenant, customer,
 *   status, updated_at) without walking the customer's finished ones;
 * - ledger_entries: a client's payments, newest first (tenant, customer, kind, status, entry_date).
 * SQLite compares the customer list's names and towns without letter case (`collate nocase`), which
 * an index in the column's own (binary) order cannot serve: there the name and town indexes are in
 * `nocase` order as well, so the list's page is read in order instead of sorting every customer.
 * MySQL's columns compare without case already (utf8mb4_unicode_ci).
 * Each index is made only when missing, so a run that stopped half-way (MariaDB commits each
 * ALTER TABLE on its own) can go again.
 */
const indexes: ReadonlyArray<{ table: string; name: string; columns: string[] }> = [
  { table: 'customers', name: 'customers_tenant_id_caretaker_id_name_index', columns: ['tenant_id', 'caretaker_id', 'name'] },
  { table: 'customers', name: 'customers_tenant_id_email_index', columns: ['tenant_id', 'email'] },
  { table: 'customers', name: 'customers_tenant_id_city_index', columns: ['tenant_id', 'city'] },
  { table: 'customers', name: 'customers_tenant_id_created_at_index', columns: ['tenant_id', 'created_at'] },
  { table: 'tickets', name: 'tickets_tenant_id_customer_id_status_updated_at_index', columns: ['tenant_id', 'customer_id', 'status', 'updated_at'] },
  { table: 'ledger_entries', name: 'ledger_entries_tenant_customer_kind_status_date_index', columns: ['tenant_id', 'customer_id', 'kind', 'status', 'entry_date'] },
];

/** SQLite only: the customer list's caseless orders (see above). */
const caselessIndexes: ReadonlyArray<{ name: string; sql: string }> = [
  { name: 'customers_tenant_id_name_nocase_index', sql: 'CREATE INDEX customers_tenant_id_name_nocase_index ON customers (tenant_id, name COLLATE NOCASE)' },
  { name: 'customers_tenant_id_caretaker_id_name_nocase_index', sql: 'CREATE INDEX customers_tenant_id_caretaker_id_name_nocase_index ON customers (tenant_id, caretaker_id, name COLLATE NOCASE)' },
  { name: 'customers_tenant_id_city_nocase_index', sql: 'CREATE INDEX customers_tenant_id_city_nocase_index ON customers (tenant_id, city COLLATE NOCASE)' },
];

const isMysql = (knex: Knex) => knex.client.config.client === 'mysql2';

export async function up(knex: Knex): Promise<void> {
  for (const index of indexes) {
    if (await hasIndex(knex, index.table, index.name)) continue;
    await knex.schema.alterTable(index.table, (table) => {
      table.index(index.columns, index.name);
    });
  }
  if (isMysql(knex)) return;
  for (const index of caselessIndexes) {
    if (!(await hasIndex(knex, 'customers', index.name))) await knex.raw(index.sql);
  }
}

export async function down(knex: Knex): Promise<void> {
  if (!isMysql(knex)) {
    for (const index of caselessIndexes) await knex.raw(`DROP INDEX IF EXISTS ${index.name}`);
  }
  for (const index of [...indexes].reverse()) {
    if (!(await hasIndex(knex, index.table, index.name))) continue;
    await knex.schema.alterTable(index.table, (table) => {
      table.dropIndex(index.columns, index.name);
    });
  }
}

async function hasIndex(knex: Knex, table: string, name: string): Promise<boolean> {
  if (isMysql(knex)) {
    const [rows] = (await knex.raw(`SHOW INDEX FROM ?? WHERE Key_name = ?`, [table, name])) as [unknown[]];
    return rows.length > 0;
  }
  const rows = (await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?`, [name])) as unknown[];
  return rows.length > 0;
}
