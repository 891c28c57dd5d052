import type { Knex } from 'knex';

/**
 * Each customer keeps its balance (issue 20): the sum of its approved entries, invoices and
 * corrections as they stand, payments taken off. The balance report summed every entry of the
 * tenant for each customer's opening and closing balance (4.3 s a statement on 2,000,000 entries,
 * twice a page); with the balance kept, a period needs only the entries dated from its first day
 * on (`periodMovements`). allocateCustomer keeps it in the transaction of every change, as it keeps
 * the invoices' open amounts (docs/decisions.md). Guarded; the fill is idempotent.
 */
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('customers', 'ledger_balance'))) {
    await knex.schema.alterTable('customers', (table) => {
      table.bigInteger('ledger_balance').notNullable().defaultTo(0);
    });
  }
  const signed = "CASE WHEN kind = 'payment' THEN -amount ELSE amount END";
  if (knex.client.config.client === 'mysql2') {
    await knex.raw(`
      UPDATE customers
      LEFT JOIN (SELECT tenant_id, customer_id, SUM(${signed}) AS total FROM ledger_entries WHERE status = 'approved' GROUP BY tenant_id, customer_id) balances
        ON balances.tenant_id = customers.tenant_id AND balances.customer_id = customers.id
      SET customers.ledger_balance = COALESCE(balances.total, 0)`);
  } else {
    await knex.raw(`
      UPDATE customers SET ledger_balance = COALESCE((SELECT SUM(${signed}) FROM ledger_entries
        WHERE ledger_entries.tenant_id = customers.tenant_id AND ledger_entries.customer_id = customers.id AND ledger_entries.status = 'approved'), 0)`);
  }
}

export async function down(knex: Knex): Promise<void> {
  if (await knex.schema.hasColumn('customers', 'ledger_balance')) {
    await knex.schema.alterTable('customers', (table) => {
      table.dropColumn('ledger_balance');
    });
  }
}
