import type { Knex } from 'knex';

/**
 * The submission key of a reply's or a note's form, unique in the tenant: the same form sent twice
 * (a double click, with its files) adds one message with one set of files. Null for messages of
 * no form (earlier ones, e-mail). Guarded, so a run that stopped half-way (MariaDB commits each
 * ALTER TABLE on its own) can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('ticket_messages', 'submission_key'))) {
    await knex.schema.alterTable('ticket_messages', (table) => {
      table.string('submission_key', 64).nullable();
    });
  }
  if (!(await hasUniqueIndex(knex))) {
    await knex.schema.alterTable('ticket_messages', (table) => {
      table.unique(['tenant_id', 'submission_key'], { indexName: uniqueIndexName });
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('ticket_messages', 'submission_key'))) return;
  await knex.schema.alterTable('ticket_messages', (table) => {
    table.dropUnique(['tenant_id', 'submission_key'], uniqueIndexName);
  });
  await knex.schema.alterTable('ticket_messages', (table) => {
    table.dropColumn('submission_key');
  });
}

const uniqueIndexName = 'ticket_messages_tenant_id_submission_key_unique';

async function hasUniqueIndex(knex: Knex): Promise<boolean> {
  if (knex.client.config.client === 'mysql2') {
    const [rows] = (await knex.raw('SHOW INDEX FROM ticket_messages WHERE Key_name = ?', [uniqueIndexName])) as [unknown[]];
    return rows.length > 0;
  }
  const rows = (await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?`, [uniqueIndexName])) as unknown[];
  return rows.length > 0;
}
