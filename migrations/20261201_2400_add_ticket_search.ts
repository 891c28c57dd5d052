import type { Knex } from 'knex';

/**
 * Full-text search of tickets (T5): titles, descriptions and replies (internal notes too, which
 * only staff may search), behind one model function (src/models/ticket-search.ts).
 * - MySQL/MariaDB: InnoDB FULLTEXT indexes on tickets (title, description) and on
 *   ticket_messages (body). A FULLTEXT index holds words, so it cannot lead with tenant_id: the
 *   search narrows a query that already has the tenant's condition.
 * - SQLite: two FTS5 tables over the same rows (external content, so the text is not stored
 *   twice), kept in step by triggers and filled here from what is already there. The ticket's or
 *   message's id is the FTS row id, so a trigger finds its row without a scan.
 * Guarded (and the FTS tables rebuilt), so a run that stopped half-way can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'mysql2') {
    if (!(await hasMysqlIndex(knex, 'tickets', ticketsIndex))) await knex.raw(`ALTER TABLE tickets ADD FULLTEXT INDEX ${ticketsIndex} (title, description)`);
    if (!(await hasMysqlIndex(knex, 'ticket_messages', messagesIndex))) await knex.raw(`ALTER TABLE ticket_messages ADD FULLTEXT INDEX ${messagesIndex} (body)`);
    return;
  }
  // unicode61 folds letter case of every script; remove_diacritics 2 lets "zolta" find "Żółta" too (ł stays ł).
  const tokenizer = `tokenize = "unicode61 remove_diacritics 2"`;
  await knex.raw(`CREATE VIRTUAL TABLE IF NOT EXISTS ticket_search USING fts5(title, description, tenant_id UNINDEXED, content = 'tickets', content_rowid = 'id', ${tokenizer})`);
  await knex.raw(`CREATE VIRTUAL TABLE IF NOT EXISTS ticket_message_search USING fts5(body, tenant_id UNINDEXED, ticket_id UNINDEXED, is_internal UNINDEXED, content = 'ticket_messages', content_rowid = 'id', ${tokenizer})`);
  for (const statement of sqliteTriggers) await knex.raw(statement);
  await knex.raw(`INSERT INTO ticket_search (ticket_search) VALUES ('rebuild')`);
  await knex.raw(`INSERT INTO ticket_message_search (ticket_message_search) VALUES ('rebuild')`);
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'mysql2') {
    if (await hasMysqlIndex(knex, 'tickets', ticketsIndex)) await knex.raw(`ALTER TABLE tickets DROP INDEX ${ticketsIndex}`);
    if (await hasMysqlIndex(knex, 'ticket_messages', messagesIndex)) await knex.raw(`ALTER TABLE ticket_messages DROP INDEX ${messagesIndex}`);
    return;
  }
  for (const trigger of ['tickets_search_insert', 'tickets_search_update', 'tickets_search_delete', 'ticket_messages_search_insert', 'ticket_messages_search_update', 'ticket_messages_search_delete']) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${trigger}`);
  }
  await knex.raw('DROP TABLE IF EXISTS ticket_message_search');
  await knex.raw('DROP TABLE IF EXISTS ticket_search');
}

const ticketsIndex = 'tickets_title_description_fulltext';
const messagesIndex = 'ticket_messages_body_fulltext';

const ticketColumns = 'title, description, tenant_id';
const messageColumns = 'body, tenant_id, ticket_id, is_internal';

/** External-content FTS5 tables are told of each change: a 'delete' row with the old values, then the new row. */
const sqliteTriggers = [
  `CREATE TRIGGER IF NOT EXISTS tickets_search_insert AFTER INSERT ON tickets BEGIN
     INSERT INTO ticket_search (rowid, ${ticketColumns}) VALUES (new.id, new.title, new.description, new.tenant_id);
   END`,
  `CREATE TRIGGER IF NOT EXISTS tickets_search_update AFTER UPDATE OF title, description ON tickets BEGIN
     INSERT INTO ticket_search (ticket_search, rowid, ${ticketColumns}) VALUES ('delete', old.id, old.title, old.description, old.tenant_id);
     INSERT INTO ticket_search (rowid, ${ticketColumns}) VALUES (new.id, new.title, new.description, new.tenant_id);
   END`,
  `CREATE TRIGGER IF NOT EXISTS tickets_search_delete AFTER DELETE ON tickets BEGIN
     INSERT INTO ticket_search (ticket_search, rowid, ${ticketColumns}) VALUES ('delete', old.id, old.title, old.description, old.tenant_id);
   END`,
  `CREATE TRIGGER IF NOT EXISTS ticket_messages_search_insert AFTER INSERT ON ticket_messages BEGIN
     INSERT INTO ticket_message_search (rowid, ${messageColumns}) VALUES (new.id, new.body, new.tenant_id, new.ticket_id, new.is_internal);
   END`,
  `CREATE TRIGGER IF NOT EXISTS ticket_messages_search_update AFTER UPDATE OF body, is_internal ON ticket_messages BEGIN
     INSERT INTO ticket_message_search (ticket_message_search, rowid, ${messageColumns}) VALUES ('delete', old.id, old.body, old.tenant_id, old.ticket_id, old.is_internal);
     INSERT INTO ticket_message_search (rowid, ${messageColumns}) VALUES (new.id, new.body, new.tenant_id, new.ticket_id, new.is_internal);
   END`,
  `CREATE TRIGGER IF NOT EXISTS ticket_messages_search_delete AFTER DELETE ON ticket_messages BEGIN
     INSERT INTO ticket_message_search (ticket_message_search, rowid, ${messageColumns}) VALUES ('delete', old.id, old.body, old.tenant_id, old.ticket_id, old.is_internal);
   END`,
];

async function hasMysqlIndex(knex: Knex, table: string, name: string): Promise<boolean> {
  const [rows] = (await knex.raw(`SHOW INDEX FROM ${table} WHERE Key_name = ?`, [name])) as [unknown[]];
  return rows.length > 0;
}
