import type { Knex } from 'knex';

/**
 * A setting's value may be a structure (the portlets of a group with their report settings, P1–P2):
 * a list of nine report portlets is over 1,000 characters of JSON, far past the 200 of the column
 * as created. MySQL refuses a longer value (strict mode) or cuts it short; SQLite never enforced the
 * length, so the column changes on MySQL only. Widening keeps every value as it was; running it
 * again changes nothing.
 */
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'mysql2') return;
  await knex.schema.alterTable('settings', (table) => {
    table.text('value').notNullable().alter();
  });
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'mysql2') return;
  await knex.schema.alterTable('settings', (table) => {
    table.string('value', 200).notNullable().alter();
  });
}
