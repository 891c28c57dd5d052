import type { Knex } from 'knex';

/**
 * The account a message is for (issue 14, item 11). The development mailbox decides what a reader
 * may see by the rank of that account, never by the address: two accounts may share an address,
 * and anyone can give their own account another's. Null for a message to an address that is no
 * account's (an office's mailbox).
 *
 * Messages queued before this have no account: one is given when exactly one account of the tenant
 * uses the address, and the others stay without, which the mailbox treats as out of reach (their
 * links hidden from everyone but superadmins). No foreign key: the outbox is a record of what was
 * sent, and a purge of an account must not take its messages' rows (nor fail on them).
 */
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('outbox', 'recipient_user_id'))) {
    await knex.schema.alterTable('outbox', (table) => {
      table.integer('recipient_user_id').unsigned().nullable();
    });
  }
  const rows: Array<{ id: number; tenant_id: number; recipient: string }> = await knex('outbox').whereNull('recipient_user_id').select('id', 'tenant_id', 'recipient');
  for (const row of rows) {
    const accounts: Array<{ id: number }> = await knex('users').where('tenant_id', row.tenant_id).whereRaw('lower(email) = ?', [row.recipient.toLowerCase()]).limit(2).select('id');
    if (accounts.length === 1) await knex('outbox').where('id', row.id).update({ recipient_user_id: accounts[0]!.id });
  }
}

export async function down(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('outbox', 'recipient_user_id'))) return;
  await knex.schema.alterTable('outbox', (table) => {
    table.dropColumn('recipient_user_id');
  });
}
