import type { Knex } from 'knex';

/**
 * Every e-mail message that reached a tenant's intake (T9: `mail:ingest`, the IMAP poller): the raw
 * message kept in the file store (`raw_store`, `raw_store_key`), what it became (a ticket, a reply)
 * and its state: received (kept, not yet handled), filed, unmatched (an unknown sender: it waits
 * for an admin to give it a customer), failed (with the error) or discarded (by an admin; still
 * kept). `dedupe_key` is the SHA-256 of the Message-ID (of the raw bytes without one), unique in
 * the tenant, so the same message ingested twice files one ticket. Guarded, so a run that stopped
 * half-way can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('mail_intake')) return;
  await knex.schema.createTable('mail_intake', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.string('status', 12).notNullable();
    table.string('dedupe_key', 64).notNullable();
    table.string('message_id', 255).nullable();
    table.string('sender', 255).nullable();
    table.string('subject', 255).nullable();
    table.string('channel', 10).notNullable();
    table.string('raw_store', 20).notNullable();
    table.string('raw_store_key', 100).notNullable();
    table.integer('raw_size').unsigned().notNullable();
    table.text('error').nullable();
    table.integer('ticket_id').unsigned().nullable();
    table.integer('ticket_message_id').unsigned().nullable();
    table.integer('handled_by').unsigned().nullable();
    table.datetime('received_at').notNullable();
    table.datetime('handled_at').nullable();
    table.unique(['tenant_id', 'id']);
    table.unique(['tenant_id', 'dedupe_key']);
    table.index(['tenant_id', 'status', 'received_at']);
    table.foreign(['tenant_id', 'ticket_id']).references(['tenant_id', 'id']).inTable('tickets').onDelete('CASCADE');
    table.foreign(['tenant_id', 'handled_by']).references(['tenant_id', 'id']).inTable('users');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('mail_intake');
}
