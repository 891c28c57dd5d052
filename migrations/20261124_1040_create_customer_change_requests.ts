import type { Knex } from 'knex';

/**
 * Changes a client asks for in the customer's data (A13): address, tax id, bank account.
 * They wait for staff; the record changes only on approval. `changes` and `previous` are JSON.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_change_requests', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.integer('customer_id').unsigned().notNullable();
    table.integer('requested_by').unsigned().notNullable();
    table.text('changes').notNullable();
    table.text('previous').notNullable();
    table.string('status', 10).notNullable().defaultTo('pending');
    table.integer('decided_by').unsigned().nullable();
    table.string('decision_reason', 500).nullable();
    table.datetime('created_at').notNullable();
    table.datetime('decided_at').nullable();
    table.index(['tenant_id', 'status', 'created_at']);
    table.index(['tenant_id', 'customer_id', 'created_at']);
    table.foreign(['tenant_id', 'customer_id']).references(['tenant_id', 'id']).inTable('customers').onDelete('CASCADE');
    table.foreign(['tenant_id', 'requested_by']).references(['tenant_id', 'id']).inTable('users');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_change_requests');
}
