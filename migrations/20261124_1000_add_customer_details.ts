import type { Knex } from 'knex';

/**
 * The customer record (D1, A2): tax id, address, contact, notes, a bank account for refunds,
 * and `version` for optimistic locking (two admins editing at once: the second gets 409).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (table) => {
    table.string('tax_country', 2).notNullable().defaultTo('PL');
    table.string('tax_id', 32).nullable();
    table.string('street', 200).nullable();
    table.string('postal_code', 20).nullable();
    table.string('city', 100).nullable();
    table.string('country', 2).notNullable().defaultTo('PL');
    table.string('email', 254).nullable();
    table.string('phone', 40).nullable();
    table.text('notes').nullable();
    table.string('bank_account', 34).nullable();
    table.integer('version').notNullable().defaultTo(1);
    table.index(['tenant_id', 'is_active']);
    table.index(['tenant_id', 'tax_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (table) => {
    table.dropIndex(['tenant_id', 'is_active']);
    table.dropIndex(['tenant_id', 'tax_id']);
    for (const column of ['tax_country', 'tax_id', 'street', 'postal_code', 'city', 'country', 'email', 'phone', 'notes', 'bank_account', 'version']) {
      table.dropColumn(column);
    }
  });
}
