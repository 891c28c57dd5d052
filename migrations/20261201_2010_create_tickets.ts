import type { Knex } from 'knex';

/**
 * Tickets (T1–T4) with their numbers, conversation and history:
 * - `ticket_counters`: one row per tenant and year, the last number given; filing takes it for
 *   update, so two tickets filed at once never get the same number (2026/000123).
 * - `tickets`: the ticket and its state as a task (status, priority, assignee, due date), with a
 *   version for optimistic locking and the filing form's submission key (a double click files one).
 * - `ticket_messages`: replies and staff's internal notes (is_internal), never edited.
 * - `ticket_events`: the history: every change of status, assignee, due date and priority, who and when.
 * The lists' indexes lead with the tenant, then what each list filters on, so each list is one
 * indexed query. Guarded, so a run that stopped half-way on MariaDB can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('ticket_counters'))) {
    await knex.schema.createTable('ticket_counters', (table) => {
      table.increments('id');
      table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
      table.integer('year').notNullable();
      table.integer('last_sequence').notNullable().defaultTo(0);
      table.unique(['tenant_id', 'year']);
    });
  }
  if (!(await knex.schema.hasTable('tickets'))) {
    await knex.schema.createTable('tickets', (table) => {
      table.increments('id');
      table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
      table.integer('year').notNullable();
      table.integer('sequence').notNullable();
      table.integer('customer_id').unsigned().notNullable();
      table.integer('filed_by').unsigned().nullable();
      table.string('source', 10).notNullable();
      table.integer('category_id').unsigned().notNullable();
      table.string('title', 200).notNullable();
      table.text('description').notNullable();
      table.date('preferred_date').nullable();
      table.string('preferred_time', 5).nullable();
      table.string('status', 24).notNullable();
      table.string('priority', 10).notNullable().defaultTo('normal');
      table.integer('assignee_id').unsigned().nullable();
      table.date('due_date').nullable();
      table.integer('related_ticket_id').unsigned().nullable();
      table.integer('version').notNullable().defaultTo(1);
      table.string('submission_key', 36).nullable();
      table.datetime('resolved_at').nullable();
      table.datetime('created_at').notNullable();
      table.datetime('updated_at').notNullable();
      table.unique(['tenant_id', 'id']);
      table.unique(['tenant_id', 'year', 'sequence']);
      table.unique(['tenant_id', 'submission_key']);
      table.index(['tenant_id', 'assignee_id', 'status', 'due_date']);
      table.index(['tenant_id', 'status', 'due_date']);
      table.index(['tenant_id', 'customer_id', 'updated_at']);
      table.index(['tenant_id', 'filed_by', 'updated_at']);
      table.foreign(['tenant_id', 'customer_id']).references(['tenant_id', 'id']).inTable('customers');
      table.foreign(['tenant_id', 'category_id']).references(['tenant_id', 'id']).inTable('ticket_categories');
      table.foreign(['tenant_id', 'assignee_id']).references(['tenant_id', 'id']).inTable('users');
      table.foreign(['tenant_id', 'filed_by']).references(['tenant_id', 'id']).inTable('users');
    });
  }
  if (!(await knex.schema.hasTable('ticket_messages'))) {
    await knex.schema.createTable('ticket_messages', (table) => {
      table.increments('id');
      table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
      table.integer('ticket_id').unsigned().notNullable();
      table.integer('author_id').unsigned().nullable();
      table.text('body').notNullable();
      table.boolean('is_internal').notNullable().defaultTo(false);
      table.datetime('created_at').notNullable();
      table.unique(['tenant_id', 'id']);
      table.index(['tenant_id', 'ticket_id', 'created_at']);
      table.foreign(['tenant_id', 'ticket_id']).references(['tenant_id', 'id']).inTable('tickets').onDelete('CASCADE');
      table.foreign(['tenant_id', 'author_id']).references(['tenant_id', 'id']).inTable('users');
    });
  }
  if (!(await knex.schema.hasTable('ticket_events'))) {
    await knex.schema.createTable('ticket_events', (table) => {
      table.increments('id');
      table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
      table.integer('ticket_id').unsigned().notNullable();
      table.string('kind', 20).notNullable();
      table.string('from_value', 40).nullable();
      table.string('to_value', 40).nullable();
      table.string('note', 500).nullable();
      table.integer('actor_id').unsigned().nullable();
      table.datetime('created_at').notNullable();
      table.index(['tenant_id', 'ticket_id', 'id']);
      table.foreign(['tenant_id', 'ticket_id']).references(['tenant_id', 'id']).inTable('tickets').onDelete('CASCADE');
      table.foreign(['tenant_id', 'actor_id']).references(['tenant_id', 'id']).inTable('users');
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['ticket_events', 'ticket_messages', 'tickets', 'ticket_counters']) await knex.schema.dropTableIfExists(table);
}
