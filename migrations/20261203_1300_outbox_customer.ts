import type { Knex } from 'knex';

/**
 * The customer a message is about (issue 18, item 5): a purge takes every message of the customer,
 * also those no account of it receives (a payment reminder to the customer's own address, a notice
 * to staff about its ticket or change request), which hold its address, names and ticket titles.
 * Nullable (a message about no customer: a staff invitation, a password reset of staff), keyed by
 * the tenant like every other reference; the purge deletes the rows, the cascade is only a backstop.
 *
 * Messages queued before this get their customer where it can be told from the row alone: a message
 * for a client account is about that account's customer, a payment reminder to an address of no
 * account about the one customer of the tenant with that address. Notices to staff from before stay
 * without (their values name a ticket by its number only, and sent ones lose their links).
 * Each step is guarded, so a run that stopped half-way (MariaDB commits each ALTER TABLE on its own)
 * can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('outbox', 'customer_id'))) {
    await knex.schema.alterTable('outbox', (table) => {
      table.integer('customer_id').unsigned().nullable();
    });
  }
  if (!(await hasIndex(knex, indexName))) {
    await knex.schema.alterTable('outbox', (table) => {
      table.index(['tenant_id', 'customer_id'], indexName);
    });
  }
  await knex('outbox')
    .whereNull('customer_id')
    .whereNotNull('recipient_user_id')
    .update({
      customer_id: knex('users').whereRaw('users.tenant_id = outbox.tenant_id').whereRaw('users.id = outbox.recipient_user_id').where('users.role', 'client').select('users.customer_id'),
    });
  const reminders: Array<{ id: number; tenant_id: number; recipient: string }> = await knex('outbox').whereNull('customer_id').whereNull('recipient_user_id').where('template', 'payment-reminder').select('id', 'tenant_id', 'recipient');
  for (const row of reminders) {
    const customers: Array<{ id: number }> = await knex('customers').where('tenant_id', row.tenant_id).whereRaw('lower(email) = ?', [row.recipient.toLowerCase()]).limit(2).select('id');
    if (customers.length === 1) await knex('outbox').where('id', row.id).update({ customer_id: customers[0]!.id });
  }
  if (!(await hasForeignKey(knex))) {
    await knex.schema.alterTable('outbox', (table) => {
      table.foreign(['tenant_id', 'customer_id'], foreignKeyName).references(['tenant_id', 'id']).inTable('customers').onDelete('CASCADE');
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('outbox', 'customer_id'))) return;
  await knex.schema.alterTable('outbox', (table) => {
    table.dropForeign(['tenant_id', 'customer_id'], foreignKeyName);
  });
  await knex.schema.alterTable('outbox', (table) => {
    table.dropIndex(['tenant_id', 'customer_id'], indexName);
  });
  await knex.schema.alterTable('outbox', (table) => {
    table.dropColumn('customer_id');
  });
}

const indexName = 'outbox_tenant_id_customer_id_index';
const foreignKeyName = 'outbox_tenant_id_customer_id_foreign';

const isMysql = (knex: Knex) => knex.client.config.client === 'mysql2';

async function hasIndex(knex: Knex, name: string): Promise<boolean> {
  if (isMysql(knex)) {
    const [rows] = (await knex.raw('SHOW INDEX FROM outbox WHERE Key_name = ?', [name])) as [unknown[]];
    return rows.length > 0;
  }
  const rows = (await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?`, [name])) as unknown[];
  return rows.length > 0;
}

async function hasForeignKey(knex: Knex): Promise<boolean> {
  if (isMysql(knex)) {
    const [rows] = (await knex.raw(`SELECT CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'outbox' AND CONSTRAINT_TYPE = 'FOREIGN KEY' AND CONSTRAINT_NAME = ?`, [foreignKeyName])) as [unknown[]];
    return rows.length > 0;
  }
  const rows = (await knex.raw(`SELECT "from" FROM pragma_foreign_key_list('outbox') WHERE "from" = 'customer_id'`)) as unknown[];
  return rows.length > 0;
}
