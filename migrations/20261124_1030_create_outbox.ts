import type { Knex } from 'knex';

/**
 * E-mail waiting to be sent. Written in the same transaction as the change that causes it and
 * sent by src/jobs/outbox.ts with retries, so a mail server that is down loses nothing.
 * The message is stored as a template name, its values and the recipient's language.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outbox', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.string('recipient', 254).notNullable();
    table.string('locale', 5).notNullable();
    table.string('template', 64).notNullable();
    table.text('data').notNullable();
    table.string('status', 10).notNullable().defaultTo('pending');
    table.integer('attempts').notNullable().defaultTo(0);
    table.datetime('next_attempt_at').notNullable();
    table.string('claim', 36).nullable();
    table.datetime('claimed_at').nullable();
    table.string('last_error', 500).nullable();
    table.datetime('created_at').notNullable();
    table.datetime('sent_at').nullable();
    table.index(['tenant_id', 'created_at']);
    table.index(['status', 'next_attempt_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('outbox');
}
