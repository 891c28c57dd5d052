import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (table) => {
    table.increments('id');
    table.string('slug', 63).notNullable().unique();
    table.string('name', 200).notNullable();
    table.string('default_locale', 5).notNullable().defaultTo('pl');
    table.string('time_zone', 64).notNullable().defaultTo('Europe/Warsaw');
    table.string('currency', 3).notNullable().defaultTo('PLN');
    table.boolean('is_active').notNullable().defaultTo(true);
    table.datetime('created_at').notNullable();
    table.datetime('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('tenants');
}
