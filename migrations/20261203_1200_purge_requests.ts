import type { Knex } from 'knex';

/**
 * Purge requests (D2): a superadmin asks to delete approved data for good (a decided ledger entry, a
 * closed ticket, a whole customer); where the tenant asks for it a second person approves, and the
 * purge runs then. A request keeps the kind and id of its target and the counts it removed, never a
 * name: the target is gone afterwards, and the request is no personal data. `open_key`
 * (`kind:target id`) is set while the request waits, so the unique key lets one request wait per
 * target (a double click asks once); nulls do not collide on either database. The accounts are
 * nullable, as every reference to an account is, so a purge can unlink one (they are staff). Created
 * only when missing, so a run that stopped half-way can go again.
 */
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('purge_requests')) return;
  await knex.schema.createTable('purge_requests', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    // customer | ticket | ledger_entry
    table.string('kind', 12).notNullable();
    table.integer('target_id').unsigned().notNullable();
    // requested | run | cancelled
    table.string('status', 10).notNullable();
    // JSON: { table: rows } of what the purge removes (when asked), then of what it removed (when run).
    table.text('counts').notNullable();
    table.string('open_key', 40).nullable();
    table.integer('requested_by').unsigned().nullable();
    table.datetime('requested_at').notNullable();
    table.integer('approved_by').unsigned().nullable();
    table.datetime('approved_at').nullable();
    // Who ran or cancelled it, and when.
    table.integer('finished_by').unsigned().nullable();
    table.datetime('finished_at').nullable();
    table.integer('version').unsigned().notNullable().defaultTo(1);
    table.unique(['tenant_id', 'id']);
    table.unique(['tenant_id', 'open_key']);
    table.index(['tenant_id', 'status', 'requested_at']);
    table.foreign(['tenant_id', 'requested_by']).references(['tenant_id', 'id']).inTable('users');
    table.foreign(['tenant_id', 'approved_by']).references(['tenant_id', 'id']).inTable('users');
    table.foreign(['tenant_id', 'finished_by']).references(['tenant_id', 'id']).inTable('users');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('purge_requests');
}
