import type { Knex } from 'knex';

/**
 * The landing page (A10) becomes a layered setting, 'account.landing_page': a user's own choice is
 * a row on the account level, and the tenant may set a default for everyone who has not chosen.
 * Users who had left the old default ('dashboard') get no row, so a tenant's default reaches them.
 */
export async function up(knex: Knex): Promise<void> {
  const chosen: Array<{ id: number; tenant_id: number; landing_page: string }> = await knex('users').whereNot('landing_page', 'dashboard').select('id', 'tenant_id', 'landing_page');
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
  for (const user of chosen) {
    // A row already there was inserted by an earlier run that stopped before the DROP: MariaDB
    // commits before an ALTER TABLE, so those inserts stayed, and the run must be able to go again.
    await knex('settings')
      .insert({ tenant_id: user.tenant_id, level: 'account', target_id: user.id, name: 'account.landing_page', value: user.landing_page, updated_at: now, updated_by: user.id })
      .onConflict(['tenant_id', 'level', 'target_id', 'name'])
      .ignore();
  }
  // A plain DROP COLUMN: MariaDB and SQLite 3.35+ both have it, and it keeps SQLite from rebuilding the table.
  await knex.raw('ALTER TABLE users DROP COLUMN landing_page');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (table) => {
    table.string('landing_page', 20).notNullable().defaultTo('dashboard');
  });
  const rows: Array<{ target_id: number; value: string }> = await knex('settings').where({ level: 'account', name: 'account.landing_page' }).select('target_id', 'value');
  for (const row of rows) await knex('users').where('id', row.target_id).update({ landing_page: row.value });
  await knex('settings').where({ level: 'account', name: 'account.landing_page' }).delete();
}
