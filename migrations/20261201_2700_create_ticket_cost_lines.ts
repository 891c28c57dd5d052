import type { Knex } from 'knex';

/**
 * Cost lines of a ticket (T10): labour (hours × hourly rate), parts (quantity × unit price) and fees
 * (travel and others). Quantities and hours are stored in thousandths and prices in minor units of
 * the tenant's currency, both integers, so nothing is ever a float; the net value of a line and the
 * totals are worked out from them (models/cost-line-totals.ts), never stored. The VAT rate is its
 * code from the tenant's list ('23', 'zw', 'np'). A version per line guards edits made at once; the
 * add form's submission key makes a double click add one line. Only a new table: tickets is not
 * rebuilt, so its search triggers stay. Guarded, so a run stopped half-way can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('ticket_cost_lines')) return;
  await knex.schema.createTable('ticket_cost_lines', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.integer('ticket_id').unsigned().notNullable();
    table.string('kind', 10).notNullable();
    table.string('description', 200).notNullable();
    table.integer('quantity_thousandths').notNullable();
    table.integer('unit_price_minor').notNullable();
    table.string('vat_rate', 4).notNullable();
    table.integer('version').notNullable().defaultTo(1);
    table.string('submission_key', 36).nullable();
    table.integer('created_by').unsigned().nullable();
    table.integer('updated_by').unsigned().nullable();
    table.datetime('created_at').notNullable();
    table.datetime('updated_at').notNullable();
    table.unique(['tenant_id', 'id']);
    table.unique(['tenant_id', 'submission_key']);
    table.index(['tenant_id', 'ticket_id', 'id']);
    table.foreign(['tenant_id', 'ticket_id']).references(['tenant_id', 'id']).inTable('tickets').onDelete('CASCADE');
    table.foreign(['tenant_id', 'created_by']).references(['tenant_id', 'id']).inTable('users');
    table.foreign(['tenant_id', 'updated_by']).references(['tenant_id', 'id']).inTable('users');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('ticket_cost_lines');
}
