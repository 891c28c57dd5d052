import type { Knex } from 'knex';

/** The system category, as models/ticket-category.ts gives it to a new tenant (migrations never import code). */
const officeMessage = { code: 'message', name_pl: 'Wiadomość do biura', name_en: 'Message to the office' };

/**
 * Messages to the office (C1) are tickets of the system category "message to the office" (code
 * `message`), which every tenant got with its categories but which an admin could delete while no
 * ticket had it, or take out of the offer. This gives it back to a tenant without it, at the end
 * of its list, and puts it back in use where it was withdrawn (it is no longer offered in the ticket
 * forms anyway, and an admin can no longer delete or withdraw it). A name the tenant has since given
 * another category is not taken twice: the new one is marked "(system)". Safe to run again.
 */
export async function up(knex: Knex): Promise<void> {
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
  await knex('ticket_categories').where('code', officeMessage.code).update({ is_active: true });
  const tenants: Array<{ id: number }> = await knex('tenants').whereNotExists(knex('ticket_categories').whereRaw('ticket_categories.tenant_id = tenants.id').where('code', officeMessage.code).select(knex.raw('1'))).select('id');
  for (const tenant of tenants) {
    const rows: Array<{ name_pl: string; name_en: string; position: number }> = await knex('ticket_categories').where('tenant_id', tenant.id).select('name_pl', 'name_en', 'position');
    const isTaken = (column: 'name_pl' | 'name_en', name: string) => rows.some((row) => row[column].toLowerCase() === name.toLowerCase());
    const last = rows.reduce((max, row) => Math.max(max, Number(row.position)), 0);
    await knex('ticket_categories').insert({
      tenant_id: tenant.id,
      code: officeMessage.code,
      name_pl: isTaken('name_pl', officeMessage.name_pl) ? `${officeMessage.name_pl} (systemowa)` : officeMessage.name_pl,
      name_en: isTaken('name_en', officeMessage.name_en) ? `${officeMessage.name_en} (system)` : officeMessage.name_en,
      position: last + 10,
      is_active: true,
      version: 1,
      created_at: now,
      updated_at: now,
    });
  }
}

/** Nothing to undo: the category belongs to every tenant from its start, and tickets may have it now. */
export async function down(): Promise<void> {}
