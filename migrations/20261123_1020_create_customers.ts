import type { Knex } from 'knex';

/** Customer companies. The caretaker's foreign key is added once users exist (next migrations). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customers', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.string('name', 200).notNullable();
    table.integer('caretaker_id').unsigned().nullable();
    table.boolean('is_active').notNullable().defaultTo(true);
    table.datetime('created_at').notNullable();
    table.datetime('updated_at').notNullable();
    table.unique(['tenant_id', 'id']);
    table.index(['tenant_id', 'name']);
    table.index(['tenant_id', 'caretaker_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customers');
}
