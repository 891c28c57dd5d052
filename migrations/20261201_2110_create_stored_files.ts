import type { Knex } from 'knex';

/**
 * Every uploaded file (T6): where its content is (`store`: database or disk, and its key there),
 * the name it came with and the safe name it is sent under, the media type found in its content,
 * its size and SHA-256. A file belongs to what names it: a document now (`document_id`), a ticket
 * or a reply later. Guarded, so a run that stopped half-way can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('stored_files')) return;
  await knex.schema.createTable('stored_files', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.integer('document_id').unsigned().nullable();
    table.string('store', 20).notNullable();
    table.string('store_key', 100).notNullable();
    table.string('original_name', 255).notNullable();
    table.string('safe_name', 255).notNullable();
    table.string('media_type', 100).notNullable();
    table.integer('size').unsigned().notNullable();
    table.string('sha256', 64).notNullable();
    table.integer('uploaded_by').unsigned().nullable();
    table.datetime('created_at').notNullable();
    table.unique(['tenant_id', 'id']);
    table.unique(['tenant_id', 'store', 'store_key']);
    table.index(['tenant_id', 'document_id']);
    table.foreign(['tenant_id', 'document_id']).references(['tenant_id', 'id']).inTable('documents').onDelete('CASCADE');
    table.foreign(['tenant_id', 'uploaded_by']).references(['tenant_id', 'id']).inTable('users');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('stored_files');
}
