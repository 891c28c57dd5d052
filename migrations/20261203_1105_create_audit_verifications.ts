import type { Knex } from 'knex';

/**
 * The last verification of each tenant's audit chain (D3): the nightly job 'audit.verify' walks
 * every chain and keeps here only its latest result, which the superadmin's start page shows. One
 * row per tenant (the unique key), replaced at each run: the history that matters is in the log
 * itself, and a verification that keeps finding the same break has nothing new to say. The
 * break's place is a sequence number and a row id, never the row's content.
 */
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('audit_verifications')) return;
  await knex.schema.createTable('audit_verifications', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.datetime('checked_at').notNullable();
    table.boolean('is_intact').notNullable();
    // Entries found intact before the break, or all of them.
    table.integer('checked_rows').notNullable();
    table.string('break_kind', 20).nullable();
    table.integer('break_sequence').nullable();
    table.integer('break_row_id').nullable();
    table.unique(['tenant_id', 'id']);
    table.unique(['tenant_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('audit_verifications');
}
