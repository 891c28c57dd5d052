import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * Each tenant carries the version of its configuration (issue 20): its own row, its settings and its
 * ticket categories, which nearly every page reads and which change seldom. A new random value is
 * written in the transaction of every change to them; a request reads the version with its signed-in
 * user, and what a process kept under that version serves it without a statement
 * (models/tenant-configuration.ts). Random rather than counted: a tenant made again (a test's emptied
 * database) can never meet what was kept for the one before. NULL keeps nothing. Guarded; the fill is idempotent.
 */
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('tenants', 'configuration_version'))) {
    await knex.schema.alterTable('tenants', (table) => {
      table.string('configuration_version', 32).nullable();
    });
  }
  const ids = (await knex('tenants').whereNull('configuration_version').pluck('id')) as number[];
  for (const id of ids) await knex('tenants').where({ id }).update({ configuration_version: randomBytes(12).toString('hex') });
}

export async function down(knex: Knex): Promise<void> {
  // Plain ALTER TABLE … DROP COLUMN: knex's dropColumn on SQLite would copy `tenants` and drop the old
  // table, deleting every tenant's rows through their ON DELETE CASCADE (see 20261206_0910).
  if (await knex.schema.hasColumn('tenants', 'configuration_version')) await knex.raw('ALTER TABLE tenants DROP COLUMN configuration_version');
}
