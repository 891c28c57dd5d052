import type { Knex } from 'knex';

/**
 * The content of files kept in the database (the embedded default store): one row per chunk of at
 * most 1 MiB, so that no statement comes near MySQL's max_allowed_packet however large the file.
 * MEDIUMBLOB (16 MiB) on MySQL/MariaDB, where BLOB would stop at 64 KiB; BLOB on SQLite.
 */
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('file_blobs')) return;
  const isMysql = knex.client.config.client === 'mysql2';
  await knex.schema.createTable('file_blobs', (table) => {
    table.bigIncrements('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.string('store_key', 100).notNullable();
    table.integer('chunk_index').unsigned().notNullable();
    if (isMysql) table.specificType('data', 'MEDIUMBLOB').notNullable();
    else table.binary('data').notNullable();
    table.unique(['tenant_id', 'store_key', 'chunk_index']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('file_blobs');
}
