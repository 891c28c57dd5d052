import type { Knex } from 'knex';

/**
 * Announcements (C2, C3) and their read receipts. An announcement has one audience: every client
 * of the tenant (`all`), one group, one customer or one account; the target is in the column of
 * its kind, the others null, each under a composite foreign key (a cross-tenant target is
 * impossible). Who is in the audience is worked out when it is read (models/visibility.ts), so a
 * client who joins a group later sees its announcements. A target that is deleted takes its
 * announcements with it (groups can be deleted; accounts and customers only by a purge).
 *
 * A receipt is one row per announcement and account (the unique key): reading twice, in two tabs
 * or with a double click, leaves one row. `emails_sent_at` marks the announcement whose e-mail
 * copies were queued, claimed by a conditional update so that they go once.
 */
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('announcements'))) {
    await knex.schema.createTable('announcements', (table) => {
      table.increments('id');
      table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
      table.string('title', 200).notNullable();
      table.text('body').notNullable();
      table.string('audience', 10).notNullable();
      table.integer('group_id').unsigned().nullable();
      table.integer('customer_id').unsigned().nullable();
      table.integer('user_id').unsigned().nullable();
      table.boolean('is_urgent').notNullable().defaultTo(false);
      table.boolean('sends_email').notNullable().defaultTo(false);
      table.datetime('publish_at').notNullable();
      table.datetime('ends_at').nullable();
      table.datetime('withdrawn_at').nullable();
      table.datetime('emails_sent_at').nullable();
      table.integer('version').notNullable().defaultTo(1);
      table.integer('created_by').unsigned().nullable();
      table.datetime('created_at').notNullable();
      table.datetime('updated_at').notNullable();
      table.unique(['tenant_id', 'id']);
      table.index(['tenant_id', 'publish_at']);
      table.index(['tenant_id', 'is_urgent', 'publish_at']);
      table.foreign(['tenant_id', 'group_id']).references(['tenant_id', 'id']).inTable('groups').onDelete('CASCADE');
      table.foreign(['tenant_id', 'customer_id']).references(['tenant_id', 'id']).inTable('customers').onDelete('CASCADE');
      table.foreign(['tenant_id', 'user_id']).references(['tenant_id', 'id']).inTable('users').onDelete('CASCADE');
    });
  }
  if (!(await knex.schema.hasTable('announcement_readings'))) {
    await knex.schema.createTable('announcement_readings', (table) => {
      table.increments('id');
      table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
      table.integer('announcement_id').unsigned().notNullable();
      table.integer('user_id').unsigned().notNullable();
      table.datetime('read_at').notNullable();
      table.unique(['tenant_id', 'id']);
      table.unique(['tenant_id', 'announcement_id', 'user_id']);
      table.index(['tenant_id', 'user_id']);
      table.foreign(['tenant_id', 'announcement_id']).references(['tenant_id', 'id']).inTable('announcements').onDelete('CASCADE');
      table.foreign(['tenant_id', 'user_id']).references(['tenant_id', 'id']).inTable('users').onDelete('CASCADE');
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('announcement_readings');
  await knex.schema.dropTableIfExists('announcements');
}
