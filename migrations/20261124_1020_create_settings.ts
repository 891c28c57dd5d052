import type { Knex } from 'knex';

/**
 * Settings in layers (D5): a value set for the tenant, overridden for a group, overridden for a
 * customer. A missing row means "inherit"; the defaults of last resort live in code
 * (src/models/settings.ts). target_id is 0 on the tenant level.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('settings', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.string('level', 10).notNullable();
    table.integer('target_id').unsigned().notNullable().defaultTo(0);
    table.string('name', 64).notNullable();
    table.string('value', 200).notNullable();
    table.datetime('updated_at').notNullable();
    table.integer('updated_by').unsigned().nullable();
    table.unique(['tenant_id', 'level', 'target_id', 'name']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('settings');
}
