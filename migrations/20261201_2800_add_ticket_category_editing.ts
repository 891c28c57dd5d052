import type { Knex } from 'knex';

const uniqueNames = [
  { name: 'ticket_categories_tenant_id_name_pl_unique', column: 'name_pl' },
  { name: 'ticket_categories_tenant_id_name_en_unique', column: 'name_en' },
] as const;

/**
 * Admins edit their ticket categories (issue 15): a version for the edit form's check and the time
 * of the last change, and each name unique in its tenant, so two admins adding the same name at
 * once end in the form's message rather than two equal entries in the clients' list. Only columns
 * and indexes are added (no SQLite table rebuild). Guarded, so a run that stopped half-way on
 * MariaDB (each ALTER commits on its own) can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('ticket_categories', 'version'))) {
    await knex.schema.alterTable('ticket_categories', (table) => {
      table.integer('version').unsigned().notNullable().defaultTo(1);
    });
  }
  if (!(await knex.schema.hasColumn('ticket_categories', 'updated_at'))) {
    await knex.schema.alterTable('ticket_categories', (table) => {
      table.datetime('updated_at').nullable();
    });
  }
  for (const index of uniqueNames) {
    if (knex.client.config.client === 'mysql2') {
      const [rows] = (await knex.raw('SHOW INDEX FROM ticket_categories WHERE Key_name = ?', [index.name])) as [unknown[]];
      if (rows.length === 0) await knex.raw(`ALTER TABLE ticket_categories ADD UNIQUE INDEX ${index.name} (tenant_id, ${index.column})`);
    } else {
      await knex.raw(`CREATE UNIQUE INDEX IF NOT EXISTS ${index.name} ON ticket_categories (tenant_id, ${index.column})`);
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const index of uniqueNames) {
    if (knex.client.config.client === 'mysql2') await knex.raw(`ALTER TABLE ticket_categories DROP INDEX ${index.name}`);
    else await knex.raw(`DROP INDEX IF EXISTS ${index.name}`);
  }
  await knex.schema.alterTable('ticket_categories', (table) => {
    table.dropColumn('updated_at');
    table.dropColumn('version');
  });
}
