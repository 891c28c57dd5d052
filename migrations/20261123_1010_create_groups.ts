import type { Knex } from 'knex';

/** Client groups; every tenant has CLIENTS (is_default), which new client accounts join. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('groups', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.string('name', 100).notNullable();
    table.boolean('is_default').notNullable().defaultTo(false);
    table.datetime('created_at').notNullable();
    table.datetime('updated_at').notNullable();
    table.unique(['tenant_id', 'name']);
    table.unique(['tenant_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('groups');
}
