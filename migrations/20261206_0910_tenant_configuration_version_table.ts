import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * The tenant's configuration version moves from a column of `tenants` (20261206_0900) to a table of its
 * own, which no foreign key points at and which points at none. On MySQL every insert into a table
 * that references `tenants` (settings, ticket categories, and most others) holds a shared lock on the
 * tenant's row until it commits; a change of the configuration that then wrote the version into that
 * row needed it exclusively, so two settings saved at once deadlocked, and inserts of the whole tenant
 * queued behind the wait. A row here is locked only by a change of the configuration, and read without
 * a lock (models/tenant-configuration.ts). Guarded; idempotent.
 */
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('tenant_configuration_versions'))) {
    await knex.schema.createTable('tenant_configuration_versions', (table) => {
      table.integer('tenant_id').unsigned().primary();
      table.string('version', 32).notNullable();
    });
  }
  const hasColumn = await knex.schema.hasColumn('tenants', 'configuration_version');
  const tenants = (await knex('tenants').select(hasColumn ? ['id', 'configuration_version'] : ['id'])) as Array<{ id: number; configuration_version?: string | null }>;
  const present = new Set(((await knex('tenant_configuration_versions').pluck('tenant_id')) as number[]).map(Number));
  const missing = tenants.filter((tenant) => !present.has(Number(tenant.id)));
  for (const tenant of missing) {
    await knex('tenant_configuration_versions').insert({ tenant_id: tenant.id, version: tenant.configuration_version || randomBytes(12).toString('hex') });
  }
  // Plain ALTER TABLE … DROP COLUMN (MySQL, SQLite 3.35 on): knex's dropColumn on SQLite copies the table
  // and drops the old one, and dropping `tenants` with foreign keys on would delete every row of every
  // tenant through their ON DELETE CASCADE.
  if (hasColumn) await knex.raw('ALTER TABLE tenants DROP COLUMN configuration_version');
}

export async function down(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('tenants', 'configuration_version'))) {
    await knex.schema.alterTable('tenants', (table) => {
      table.string('configuration_version', 32).nullable();
    });
  }
  if (await knex.schema.hasTable('tenant_configuration_versions')) {
    const rows = (await knex('tenant_configuration_versions').select('tenant_id', 'version')) as Array<{ tenant_id: number; version: string }>;
    for (const row of rows) await knex('tenants').where({ id: row.tenant_id }).update({ configuration_version: row.version });
    await knex.schema.dropTable('tenant_configuration_versions');
  }
}
