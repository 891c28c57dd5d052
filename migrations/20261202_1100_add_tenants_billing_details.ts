import type { Knex } from 'knex';

/**
 * The tenant's billing details (D7, issue 16 items 2 and 9), printed on payment orders and arrears
 * statements: the legal name and address, the tax id with its country, the bank account (stored
 * normalised: an NRB as its 26 digits, another IBAN whole), the default payment term in days, and
 * the virtual accounts (each customer's own NRB from the bank's prefix and the customer number).
 * The currency is the existing `tenants.currency`. Each column is added only when missing, so a
 * run stopped half-way on MariaDB (which commits before every ALTER TABLE) can go again.
 */
const columns: ReadonlyArray<[string, (table: Knex.AlterTableBuilder) => void]> = [
  ['legal_name', (table) => table.string('legal_name', 200).nullable()],
  ['legal_street', (table) => table.string('legal_street', 200).nullable()],
  ['legal_postal_code', (table) => table.string('legal_postal_code', 16).nullable()],
  ['legal_city', (table) => table.string('legal_city', 100).nullable()],
  ['tax_country', (table) => table.string('tax_country', 2).notNullable().defaultTo('PL')],
  ['tax_id', (table) => table.string('tax_id', 32).nullable()],
  ['bank_account', (table) => table.string('bank_account', 34).nullable()],
  ['payment_term_days', (table) => table.integer('payment_term_days').notNullable().defaultTo(14)],
  ['has_virtual_accounts', (table) => table.boolean('has_virtual_accounts').notNullable().defaultTo(false)],
  ['virtual_account_prefix', (table) => table.string('virtual_account_prefix', 23).nullable()],
];

export async function up(knex: Knex): Promise<void> {
  for (const [column, add] of columns) {
    if (await knex.schema.hasColumn('tenants', column)) continue;
    await knex.schema.alterTable('tenants', add);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [column] of [...columns].reverse()) {
    if (!(await knex.schema.hasColumn('tenants', column))) continue;
    await knex.schema.alterTable('tenants', (table) => {
      table.dropColumn(column);
    });
  }
}
