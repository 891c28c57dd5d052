import type { Knex } from 'knex';

/**
 * When each customer was last sent a reminder of its overdue payments (M9), so that a customer gets
 * at most one per the tenant's interval however often the daily job runs, and however many processes
 * run it at once: the job moves `last_sent_at` with a conditional update in the transaction that
 * queues the e-mails, and only the update that changed the row sends. One row per customer (the
 * unique key), created the first time it is reminded. Created only when missing, so a run that
 * stopped half-way can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('payment_reminders')) return;
  await knex.schema.createTable('payment_reminders', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.integer('customer_id').unsigned().notNullable();
    table.datetime('last_sent_at').notNullable();
    // How many reminders the customer has been sent, for the office's curiosity and the tests.
    table.integer('sent_count').notNullable().defaultTo(0);
    table.unique(['tenant_id', 'id']);
    table.unique(['tenant_id', 'customer_id']);
    table.foreign(['tenant_id', 'customer_id']).references(['tenant_id', 'id']).inTable('customers').onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('payment_reminders');
}
