import type { Knex } from 'knex';

/** The five categories a provider starts with (T1); each provider may rename, reorder and add its own. */
const defaultTicketCategories = [
  { code: 'service_order', name_pl: 'Zlecenie serwisowe na dzień i godzinę', name_en: 'Service order at a date and hour' },
  { code: 'meeting', name_pl: 'Prośba o spotkanie', name_en: 'Meeting request' },
  { code: 'failure', name_pl: 'Zgłoszenie awarii', name_en: 'Failure report' },
  { code: 'question', name_pl: 'Pytanie', name_en: 'Question' },
  { code: 'message', name_pl: 'Wiadomość do biura', name_en: 'Message to the office' },
] as const;

/**
 * The categories of tickets, per tenant (T1), each with its name in Polish and English, a kind code
 * the product can act on (a service order asks for a date), its place in the list and whether it is
 * still offered. Every existing tenant gets the five defaults; guarded so a run that stopped half-way
 * on MariaDB (each CREATE TABLE commits on its own) can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('ticket_categories'))) {
    await knex.schema.createTable('ticket_categories', (table) => {
      table.increments('id');
      table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
      table.string('code', 30).notNullable();
      table.string('name_pl', 100).notNullable();
      table.string('name_en', 100).notNullable();
      table.integer('position').notNullable().defaultTo(0);
      table.boolean('is_active').notNullable().defaultTo(true);
      table.datetime('created_at').notNullable();
      table.unique(['tenant_id', 'id']);
      table.index(['tenant_id', 'is_active', 'position']);
    });
  }
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
  const tenants: Array<{ id: number }> = await knex('tenants').whereNotExists(knex('ticket_categories').whereRaw('ticket_categories.tenant_id = tenants.id').select(knex.raw('1'))).select('id');
  for (const tenant of tenants) {
    await knex('ticket_categories').insert(defaultTicketCategories.map((category, index) => ({ ...category, tenant_id: tenant.id, position: (index + 1) * 10, is_active: true, created_at: now })));
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('ticket_categories');
}
