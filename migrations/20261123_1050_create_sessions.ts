import type { Knex } from 'knex';

/**
 * Browser sessions, shared by every app process. tenant_id and user_id are copied out of the
 * session so that all sessions of one user can be ended at once (after a password reset).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sessions', (table) => {
    table.string('sid', 128).primary();
    table.text('sess', 'mediumtext').notNullable();
    table.datetime('expires_at').notNullable().index();
    table.integer('tenant_id').unsigned().nullable();
    table.integer('user_id').unsigned().nullable();
    table.index(['tenant_id', 'user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions');
}
