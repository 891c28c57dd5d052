import type { Knex } from 'knex';

/** A caretaker is a user of the same tenant (customers were created before users existed). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (table) => {
    table.foreign(['tenant_id', 'caretaker_id'], 'customers_caretaker_foreign').references(['tenant_id', 'id']).inTable('users');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (table) => {
    table.dropForeign(['tenant_id', 'caretaker_id'], 'customers_caretaker_foreign');
  });
}
