import type { Knex } from 'knex';

const columns = ['office_email', 'office_phone', 'office_address', 'office_hours'] as const;

/**
 * The provider's own contact details (the office): its e-mail, phone, address and opening hours,
 * which the client's start page shows, and where a change request of a customer without a
 * caretaker is announced. Each column is added only when missing, so a run stopped half-way on
 * MariaDB (which commits before every ALTER TABLE) can go again.
 */
export async function up(knex: Knex): Promise<void> {
  for (const column of columns) {
    if (await knex.schema.hasColumn('tenants', column)) continue;
    await knex.schema.alterTable('tenants', (table) => {
      if (column === 'office_address') table.string(column, 500).nullable();
      else if (column === 'office_phone') table.string(column, 40).nullable();
      else table.string(column, 200).nullable();
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const column of [...columns].reverse()) {
    if (!(await knex.schema.hasColumn('tenants', column))) continue;
    await knex.schema.alterTable('tenants', (table) => {
      table.dropColumn(column);
    });
  }
}
