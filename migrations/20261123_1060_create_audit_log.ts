import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (table) => {
    table.bigIncrements('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.integer('actor_id').unsigned().nullable();
    table.string('action', 64).notNullable();
    table.string('subject_type', 32).nullable();
    table.integer('subject_id').unsigned().nullable();
    table.text('details').nullable();
    table.string('ip', 45).nullable();
    table.datetime('created_at').notNullable();
    table.index(['tenant_id', 'created_at']);
    table.index(['tenant_id', 'subject_type', 'subject_id']);
    table.index(['tenant_id', 'actor_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
}
