import type { Knex } from 'knex';

/**
 * Sign-in attempts in flight, apart from the failures: an attempt is taken before the password
 * is checked and settled after, as a failure, a success or neither. in_flight_at lets attempts
 * that never settled (a process that died) be forgotten instead of counted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('login_throttles', (table) => {
    table.integer('in_flight').notNullable().defaultTo(0);
    table.datetime('in_flight_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('login_throttles', (table) => {
    table.dropColumn('in_flight_at');
    table.dropColumn('in_flight');
  });
}
