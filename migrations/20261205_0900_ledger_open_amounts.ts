import type { Knex } from 'knex';

/**
 * Each approved invoice keeps what is still open of it (issue 20): its amount after its approved
 * corrections, less what stands allocated to it. The aging (M9), the balance report's overdue
 * column and the start pages summed every invoice's corrections and allocations of the tenant in
 * grouped subqueries: 40 to 100 s on 2,000,000 entries. They now read the open invoices by
 * (tenant_id, open_amount), and what changed after the report's day by (tenant_id, entry_date).
 * allocateCustomer keeps the column in the transaction of every change (docs/decisions.md,
 * "Each invoice keeps its open amount"). Pending and rejected invoices, payments and corrections
 * have none (NULL). Guarded, so a run that stopped half-way can go again; the fill is idempotent.
 */
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('ledger_entries', 'open_amount'))) {
    await knex.schema.alterTable('ledger_entries', (table) => {
      table.bigInteger('open_amount').nullable();
    });
  }
  for (const [name, columns] of indexes) {
    if (await hasIndex(knex, name)) continue;
    await knex.schema.alterTable('ledger_entries', (table) => {
      table.index(columns, name);
    });
  }
  if (knex.client.config.client === 'mysql2') {
    await knex.raw(`
      UPDATE ledger_entries invoices
      LEFT JOIN (SELECT tenant_id, corrects_entry_id AS id, SUM(amount) AS total FROM ledger_entries
                 WHERE status = 'approved' AND corrects_entry_id IS NOT NULL GROUP BY tenant_id, corrects_entry_id) corrections
        ON corrections.tenant_id = invoices.tenant_id AND corrections.id = invoices.id
      LEFT JOIN (SELECT tenant_id, debit_entry_id AS id, SUM(amount) AS total FROM ledger_allocations GROUP BY tenant_id, debit_entry_id) paid
        ON paid.tenant_id = invoices.tenant_id AND paid.id = invoices.id
      SET invoices.open_amount = invoices.amount + COALESCE(corrections.total, 0) - COALESCE(paid.total, 0)
      WHERE invoices.kind = 'invoice' AND invoices.status = 'approved'`);
  } else {
    await knex.raw(`
      UPDATE ledger_entries SET open_amount = amount
        + COALESCE((SELECT SUM(corrections.amount) FROM ledger_entries corrections WHERE corrections.tenant_id = ledger_entries.tenant_id
                    AND corrections.corrects_entry_id = ledger_entries.id AND corrections.status = 'approved'), 0)
        - COALESCE((SELECT SUM(paid.amount) FROM ledger_allocations paid WHERE paid.tenant_id = ledger_entries.tenant_id AND paid.debit_entry_id = ledger_entries.id), 0)
      WHERE kind = 'invoice' AND status = 'approved'`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [name, columns] of indexes) {
    if (!(await hasIndex(knex, name))) continue;
    await knex.schema.alterTable('ledger_entries', (table) => {
      table.dropIndex(columns, name);
    });
  }
  if (await knex.schema.hasColumn('ledger_entries', 'open_amount')) {
    await knex.schema.alterTable('ledger_entries', (table) => {
      table.dropColumn('open_amount');
    });
  }
}

const indexes: ReadonlyArray<readonly [string, string[]]> = [
  ['ledger_entries_tenant_id_open_amount_index', ['tenant_id', 'open_amount']],
  ['ledger_entries_tenant_id_entry_date_index', ['tenant_id', 'entry_date']],
];

async function hasIndex(knex: Knex, name: string): Promise<boolean> {
  if (knex.client.config.client === 'mysql2') {
    const [rows] = (await knex.raw('SHOW INDEX FROM ledger_entries WHERE Key_name = ?', [name])) as [unknown[]];
    return rows.length > 0;
  }
  const rows = (await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?`, [name])) as unknown[];
  return rows.length > 0;
}
