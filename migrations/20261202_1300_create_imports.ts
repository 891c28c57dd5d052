import type { Knex } from 'knex';

/**
 * Imports of the accounting system's CSV files (M7): who started which kind from which file, dry
 * run or real, its state (queued, checking, writing, done, refused, failed), its progress (rows done
 * of rows, errors so far) and its counts, the first bad rows (as message keys with their values, so
 * each reader sees them in their language; capped, with how many more there were) and a few
 * examples of what it created or changed. The file itself waits in the file store under `store` and
 * `store_key` until the job has read it. Created only when missing, so a run that stopped half-way
 * can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('imports')) return;
  await knex.schema.createTable('imports', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    // customers | invoices | payments
    table.string('kind', 12).notNullable();
    table.boolean('is_dry_run').notNullable();
    // queued | checking | writing | done | refused (bad rows: nothing written) | failed (the file or the job broke)
    table.string('status', 10).notNullable();
    table.string('file_name', 255).notNullable();
    table.bigInteger('file_size').notNullable();
    table.string('store', 20).nullable();
    table.string('store_key', 100).nullable();
    table.integer('started_by').unsigned().nullable();
    table.integer('rows_total').unsigned().nullable();
    table.integer('rows_done').unsigned().notNullable().defaultTo(0);
    table.integer('error_count').unsigned().notNullable().defaultTo(0);
    table.integer('created_count').unsigned().notNullable().defaultTo(0);
    table.integer('changed_count').unsigned().notNullable().defaultTo(0);
    table.integer('unchanged_count').unsigned().notNullable().defaultTo(0);
    // JSON: [{ line, key, values }], the first 1000 bad rows; and { created: [...], changed: [...] } examples.
    table.text('error_lines', 'mediumtext').nullable();
    table.text('examples').nullable();
    // Why a job failed (an unreadable file), as a message key and its values in JSON.
    table.string('failure', 500).nullable();
    table.datetime('created_at').notNullable();
    table.datetime('finished_at').nullable();
    table.unique(['tenant_id', 'id']);
    table.index(['tenant_id', 'created_at']);
    table.foreign(['tenant_id', 'started_by']).references(['tenant_id', 'id']).inTable('users');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('imports');
}
