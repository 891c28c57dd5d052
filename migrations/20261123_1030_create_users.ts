import type { Knex } from 'knex';

/**
 * Staff and client accounts in one table. A client has customer_id; the composite foreign keys
 * (tenant_id, customer_id) and (tenant_id, group_id) make a cross-tenant link impossible.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.string('login', 100).notNullable();
    table.string('email', 254).nullable();
    table.string('first_name', 100).notNullable();
    table.string('last_name', 100).notNullable();
    table.string('role', 20).notNullable();
    table.integer('customer_id').unsigned().nullable();
    table.integer('group_id').unsigned().nullable();
    table.string('password_hash', 100).nullable();
    table.string('locale', 5).nullable();
    table.string('text_size', 10).notNullable().defaultTo('default');
    table.integer('failed_login_count').notNullable().defaultTo(0);
    table.boolean('is_locked').notNullable().defaultTo(false);
    table.datetime('locked_at').nullable();
    table.boolean('is_active').notNullable().defaultTo(true);
    table.boolean('must_change_password').notNullable().defaultTo(false);
    table.datetime('password_changed_at').nullable();
    table.datetime('last_sign_in_at').nullable();
    table.datetime('created_at').notNullable();
    table.datetime('updated_at').notNullable();
    table.unique(['tenant_id', 'login']);
    table.unique(['tenant_id', 'id']);
    table.index(['tenant_id', 'customer_id']);
    table.index(['tenant_id', 'group_id']);
    table.index(['tenant_id', 'role']);
    table.foreign(['tenant_id', 'customer_id']).references(['tenant_id', 'id']).inTable('customers');
    table.foreign(['tenant_id', 'group_id']).references(['tenant_id', 'id']).inTable('groups');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
