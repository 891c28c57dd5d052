import type { Knex } from 'knex';

/**
 * Client accounts' contact data and flags (A8, A9, A12, T7) and the landing-page preference
 * (A10): 'dashboard', 'tickets' or 'last' (the last page visited, kept in last_visited_path).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (table) => {
    table.string('phone', 40).nullable();
    table.string('correspondence_address', 500).nullable();
    table.boolean('is_primary_contact').notNullable().defaultTo(false);
    table.boolean('is_approver').notNullable().defaultTo(false);
    table.string('landing_page', 20).notNullable().defaultTo('dashboard');
    table.string('last_visited_path', 500).nullable();
    table.datetime('invited_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (table) => {
    for (const column of ['phone', 'correspondence_address', 'is_primary_contact', 'is_approver', 'landing_page', 'last_visited_path', 'invited_at']) {
      table.dropColumn(column);
    }
  });
}
