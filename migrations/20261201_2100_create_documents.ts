import type { Knex } from 'knex';

/**
 * Stand-alone documents of a customer (T6, "add document"): a title and a description, filed by a
 * client or by staff; the files are rows of stored_files that name the document. `submission_key`
 * makes a double-clicked form file one document. Guarded, so a run that stopped half-way can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('documents')) return;
  await knex.schema.createTable('documents', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.integer('customer_id').unsigned().notNullable();
    table.string('title', 200).notNullable();
    table.text('description').nullable();
    table.integer('added_by').unsigned().nullable();
    table.string('submission_key', 64).nullable();
    table.datetime('created_at').notNullable();
    table.unique(['tenant_id', 'id']);
    table.unique(['tenant_id', 'submission_key']);
    table.index(['tenant_id', 'customer_id', 'created_at']);
    table.foreign(['tenant_id', 'customer_id']).references(['tenant_id', 'id']).inTable('customers').onDelete('CASCADE');
    table.foreign(['tenant_id', 'added_by']).references(['tenant_id', 'id']).inTable('users');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('documents');
}
