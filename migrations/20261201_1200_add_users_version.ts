import type { Knex } from 'knex';

/**
 * `version` on accounts, for the account edit form's optimistic locking (issue 14): every change
 * of an account's name, e-mail, phone or flags bumps it, and a save that opened an older version
 * is merged instead of overwriting (validators/edit-merge.ts). Guarded, so that a run stopped on
 * MariaDB (which commits before an ALTER TABLE) can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasColumn('users', 'version')) return;
  await knex.schema.alterTable('users', (table) => {
    table.integer('version').notNullable().defaultTo(1);
  });
}

export async function down(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('users', 'version'))) return;
  await knex.schema.alterTable('users', (table) => {
    table.dropColumn('version');
  });
}
