import type { Knex } from 'knex';

/**
 * The key of the form that registered a customer: a double click or a resent form carries the
 * same key, finds the customer already made, and makes no second one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (table) => {
    table.string('submission_key', 36).nullable();
    table.unique(['tenant_id', 'submission_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (table) => {
    table.dropUnique(['tenant_id', 'submission_key']);
    table.dropColumn('submission_key');
  });
}
