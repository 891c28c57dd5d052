import type { Knex } from 'knex';

/**
 * Failed sign-in counters, per login (within a tenant) and per client IP, kept in the database
 * so that every app process sees them and they survive a restart.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('login_throttles', (table) => {
    table.string('throttle_key', 191).primary();
    table.integer('failures').notNullable().defaultTo(0);
    table.datetime('last_failure_at').notNullable().index();
    table.datetime('blocked_until').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('login_throttles');
}
