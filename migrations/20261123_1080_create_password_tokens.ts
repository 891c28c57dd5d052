import type { Knex } from 'knex';

/** One-time links that set a password (first password, later invitations and resets); only hashes are kept. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('password_tokens', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.integer('user_id').unsigned().notNullable();
    table.string('purpose', 20).notNullable();
    table.string('token_hash', 64).notNullable();
    table.datetime('expires_at').notNullable();
    table.datetime('used_at').nullable();
    table.datetime('created_at').notNullable();
    table.unique(['tenant_id', 'token_hash']);
    table.index(['tenant_id', 'user_id']);
    table.foreign(['tenant_id', 'user_id']).references(['tenant_id', 'id']).inTable('users').onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('password_tokens');
}
