import type { Knex } from 'knex';

/**
 * The ledger of the money issue (M1): entries of a customer (invoices, payments, corrections) in
 * whole minor units, their allocations (which payment paid how much of which invoice), and the
 * idempotency keys that make a repeated submission (a double click, twenty at once, an API retry)
 * do its work once. Entries are append-only once approved: the app never updates an approved row's
 * amount or dates, and a mistake is fixed by a correction that points at the entry it corrects.
 * Each table is created only when missing, so a run that stopped half-way can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('ledger_entries'))) {
    await knex.schema.createTable('ledger_entries', (table) => {
      table.increments('id');
      table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
      table.integer('customer_id').unsigned().notNullable();
      // invoice | payment | correction
      table.string('kind', 12).notNullable();
      // pending (entered, waiting for approval) | approved | rejected
      table.string('status', 10).notNullable();
      // Positive for invoices and payments; a correction's sign says which way it moves the balance (+ owes more).
      table.bigInteger('amount').notNullable();
      table.string('currency', 3).notNullable();
      // The invoice's number, or the payment's reference (a bank transfer's title, a receipt number).
      table.string('document_number', 64).nullable();
      // An invoice's issue date, a payment's date, a correction's date.
      table.date('entry_date').notNullable();
      table.date('due_date').nullable();
      // A payment's method: transfer | cash | card | other.
      table.string('method', 10).nullable();
      table.string('description', 500).nullable();
      // A correction's original; a payment's named invoice (paid first).
      table.integer('corrects_entry_id').unsigned().nullable();
      table.integer('pays_entry_id').unsigned().nullable();
      // The accounting system's id of the row (imports and the API match on it): unique per kind in the tenant.
      table.string('external_id', 64).nullable();
      // manual | import | api
      table.string('source', 10).notNullable();
      table.integer('entered_by').unsigned().nullable();
      table.datetime('entered_at').notNullable();
      table.integer('decided_by').unsigned().nullable();
      table.datetime('decided_at').nullable();
      table.string('rejection_reason', 500).nullable();
      table.integer('version').notNullable().defaultTo(1);
      table.unique(['tenant_id', 'id']);
      table.unique(['tenant_id', 'kind', 'external_id']);
      table.index(['tenant_id', 'customer_id', 'status', 'due_date']);
      table.index(['tenant_id', 'customer_id', 'entry_date']);
      table.index(['tenant_id', 'status', 'kind', 'entered_at']);
      table.index(['tenant_id', 'corrects_entry_id']);
      table.foreign(['tenant_id', 'customer_id']).references(['tenant_id', 'id']).inTable('customers');
      table.foreign(['tenant_id', 'corrects_entry_id']).references(['tenant_id', 'id']).inTable('ledger_entries');
      table.foreign(['tenant_id', 'pays_entry_id']).references(['tenant_id', 'id']).inTable('ledger_entries');
      table.foreign(['tenant_id', 'entered_by']).references(['tenant_id', 'id']).inTable('users');
      table.foreign(['tenant_id', 'decided_by']).references(['tenant_id', 'id']).inTable('users');
    });
  }
  if (!(await knex.schema.hasTable('ledger_allocations'))) {
    await knex.schema.createTable('ledger_allocations', (table) => {
      table.increments('id');
      table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
      table.integer('customer_id').unsigned().notNullable();
      // What pays (a payment, or a correction that lowers what is owed) and what is paid (an invoice, or a correction that raises it).
      table.integer('credit_entry_id').unsigned().notNullable();
      table.integer('debit_entry_id').unsigned().notNullable();
      // Negative when a correction of a payment takes part of an allocation back.
      table.bigInteger('amount').notNullable();
      table.datetime('created_at').notNullable();
      table.unique(['tenant_id', 'id']);
      table.index(['tenant_id', 'debit_entry_id']);
      table.index(['tenant_id', 'credit_entry_id']);
      table.index(['tenant_id', 'customer_id']);
      table.foreign(['tenant_id', 'credit_entry_id']).references(['tenant_id', 'id']).inTable('ledger_entries');
      table.foreign(['tenant_id', 'debit_entry_id']).references(['tenant_id', 'id']).inTable('ledger_entries');
    });
  }
  if (!(await knex.schema.hasTable('idempotency_keys'))) {
    await knex.schema.createTable('idempotency_keys', (table) => {
      table.increments('id');
      table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
      // What the key was given for (payment.entry, api.invoices, …): the same key may serve two purposes.
      table.string('purpose', 40).notNullable();
      table.string('idempotency_key', 100).notNullable();
      // What the first request made (an entry's id), so that a repeat answers with it.
      table.integer('result_id').unsigned().nullable();
      table.datetime('created_at').notNullable();
      table.unique(['tenant_id', 'id']);
      table.unique(['tenant_id', 'purpose', 'idempotency_key']);
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('idempotency_keys');
  await knex.schema.dropTableIfExists('ledger_allocations');
  await knex.schema.dropTableIfExists('ledger_entries');
}
