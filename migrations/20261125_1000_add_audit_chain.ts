import type { Knex } from 'knex';
import { canonicalJson, chainHash, genesisHash, type ChainHead } from '../src/lib/audit-chain.js';

/**
 * The audit chain (docs/decisions.md, "The audit chain"): each row gets a per-tenant sequence,
 * the previous row's hash and its own; `audit_chain_heads` holds each tenant's last sequence and
 * hash, and its row is the lock appenders queue on. Rows already there are chained in order of
 * id per tenant, after their details lose the personal data they used to carry.
 */
export async function up(knex: Knex): Promise<void> {
  // MySQL commits each ALTER and CREATE at once: after a run that failed while chaining the rows,
  // the columns and the heads table are there already, and the rows are chained again from the first.
  if (!(await knex.schema.hasColumn('audit_log', 'hash'))) {
    await knex.schema.alterTable('audit_log', (table) => {
      // Nullable: a row without a sequence was never appended through the chain, and verification says so.
      table.integer('sequence').unsigned().nullable();
      table.string('previous_hash', 64).nullable();
      table.string('hash', 64).nullable();
      table.unique(['tenant_id', 'sequence']);
    });
  }
  if (!(await knex.schema.hasTable('audit_chain_heads'))) {
    await knex.schema.createTable('audit_chain_heads', (table) => {
      table.integer('tenant_id').unsigned().notNullable().primary().references('id').inTable('tenants').onDelete('CASCADE');
      table.integer('last_sequence').unsigned().notNullable();
      table.string('last_hash', 64).notNullable();
    });
  }
  const tenants: Array<{ id: number }> = await knex('tenants').orderBy('id').select('id');
  for (const tenant of tenants) {
    const head = await chainTenantRows(knex, Number(tenant.id));
    await knex('audit_chain_heads').insert({ tenant_id: tenant.id, last_sequence: head.lastSequence, last_hash: head.lastHash }).onConflict('tenant_id').merge();
  }
}

/** Detail keys that held personal data before the chain: a customer's name (a sole trader is a person). */
const personalDetails: Record<string, readonly string[]> = { 'customer.created': ['name'] };

function scrubbedDetails(action: string, stored: string | null): string | null {
  if (stored === null) return null;
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(stored) as Record<string, unknown>;
  } catch {
    return stored;
  }
  for (const key of personalDetails[action] ?? []) delete details[key];
  return Object.keys(details).length > 0 ? canonicalJson(details) : null;
}

async function chainTenantRows(knex: Knex, tenantId: number): Promise<ChainHead> {
  let head: ChainHead = { lastSequence: 0, lastHash: genesisHash };
  for (let afterId = 0; ; ) {
    const rows: Array<Record<string, unknown>> = await knex('audit_log').where('tenant_id', tenantId).where('id', '>', afterId).orderBy('id').limit(500);
    for (const row of rows) {
      const content = {
        tenantId,
        sequence: head.lastSequence + 1,
        createdAt: String(row.created_at),
        actorId: row.actor_id === null ? null : Number(row.actor_id),
        action: String(row.action),
        subjectType: (row.subject_type as string | null) ?? null,
        subjectId: row.subject_id === null ? null : Number(row.subject_id),
        details: scrubbedDetails(String(row.action), (row.details as string | null) ?? null),
        previousHash: head.lastHash,
      };
      const hash = chainHash(content);
      await knex('audit_log').where('id', Number(row.id)).update({ sequence: content.sequence, previous_hash: content.previousHash, hash, details: content.details });
      head = { lastSequence: content.sequence, lastHash: hash };
    }
    if (rows.length < 500) return head;
    afterId = Number(rows[rows.length - 1]!.id);
  }
}

/** The chain goes; the names taken out of old rows' details do not come back. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_chain_heads');
  await knex.schema.alterTable('audit_log', (table) => {
    table.dropUnique(['tenant_id', 'sequence']);
    table.dropColumn('sequence');
    table.dropColumn('previous_hash');
    table.dropColumn('hash');
  });
}
