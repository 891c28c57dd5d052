import type { Knex } from 'knex';

/**
 * Attachments of tickets and of their messages (T6): a file of the ticket's form names the ticket;
 * a file sent with a reply or an internal note names the message and its ticket both, so a ticket's
 * files are one indexed lookup and a message's reach (an internal note's files never reach a
 * client) is decided by its message. Both nullable (a document's files name neither), keyed by the
 * tenant like every other reference, and removed with what they belong to. Each step is guarded, so
 * a run that stopped half-way (MariaDB commits each ALTER TABLE on its own) can go again.
 */
export async function up(knex: Knex): Promise<void> {
  for (const column of ['ticket_id', 'ticket_message_id']) {
    if (await knex.schema.hasColumn('stored_files', column)) continue;
    await knex.schema.alterTable('stored_files', (table) => {
      table.integer(column).unsigned().nullable();
    });
  }
  for (const { name, columns } of indexes) {
    if (await hasIndex(knex, name)) continue;
    await knex.schema.alterTable('stored_files', (table) => {
      table.index(columns, name);
    });
  }
  for (const { name, column, inTable } of foreignKeys) {
    if (await hasForeignKey(knex, name, column)) continue;
    await knex.schema.alterTable('stored_files', (table) => {
      table.foreign(['tenant_id', column], name).references(['tenant_id', 'id']).inTable(inTable).onDelete('CASCADE');
    });
  }
}

/** Takes the columns away with their keys; files of tickets would then belong to nothing, so they go first. */
export async function down(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('stored_files', 'ticket_id'))) return;
  await knex('stored_files').whereNotNull('ticket_id').orWhereNotNull('ticket_message_id').delete();
  await knex.schema.alterTable('stored_files', (table) => {
    for (const { name, column } of foreignKeys) table.dropForeign(['tenant_id', column], name);
  });
  await knex.schema.alterTable('stored_files', (table) => {
    for (const { name, columns } of indexes) table.dropIndex(columns, name);
  });
  await knex.schema.alterTable('stored_files', (table) => {
    table.dropColumn('ticket_message_id');
    table.dropColumn('ticket_id');
  });
}

const indexes = [
  { name: 'stored_files_tenant_id_ticket_id_index', columns: ['tenant_id', 'ticket_id'] },
  { name: 'stored_files_tenant_id_ticket_message_id_index', columns: ['tenant_id', 'ticket_message_id'] },
];

const foreignKeys = [
  { name: 'stored_files_tenant_id_ticket_id_foreign', column: 'ticket_id', inTable: 'tickets' },
  { name: 'stored_files_tenant_id_ticket_message_id_foreign', column: 'ticket_message_id', inTable: 'ticket_messages' },
];

const isMysql = (knex: Knex) => knex.client.config.client === 'mysql2';

async function hasIndex(knex: Knex, name: string): Promise<boolean> {
  if (isMysql(knex)) {
    const [rows] = (await knex.raw('SHOW INDEX FROM stored_files WHERE Key_name = ?', [name])) as [unknown[]];
    return rows.length > 0;
  }
  const rows = (await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?`, [name])) as unknown[];
  return rows.length > 0;
}

async function hasForeignKey(knex: Knex, name: string, column: string): Promise<boolean> {
  if (isMysql(knex)) {
    const [rows] = (await knex.raw(`SELECT CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'stored_files' AND CONSTRAINT_TYPE = 'FOREIGN KEY' AND CONSTRAINT_NAME = ?`, [name])) as [unknown[]];
    return rows.length > 0;
  }
  const rows = (await knex.raw(`SELECT "from" FROM pragma_foreign_key_list('stored_files') WHERE "from" = ?`, [column])) as unknown[];
  return rows.length > 0;
}
