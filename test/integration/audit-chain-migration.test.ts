import { describe, expect, it } from 'vitest';
import * as addAuditChain from '../../migrations/20261125_1000_add_audit_chain.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { genesisHash } from '../../src/lib/audit-chain.js';
import { logEvent } from '../../src/models/audit.js';
import { verifyAuditChain } from '../../src/models/audit-verification.js';
import { databaseBefore } from '../support/empty-database.js';
import { databaseKinds } from '../support/environment.js';
import { scopeFor } from '../support/factories.js';

const chainMigration = '20261125_1000_add_audit_chain';

for (const kind of databaseKinds()) {
  describe(`the audit chain migration [${kind}]`, () => {
    /** A database just before the chain, with two tenants' rows interleaved and a third tenant with none. */
    async function databaseWithOldRows() {
      const db = await databaseBefore(kind, chainMigration);
      const tenantIds: number[] = [];
      for (const slug of ['first', 'second', 'quiet']) {
        const [id] = await db('tenants').insert({ slug, name: slug, default_locale: 'pl', created_at: '2026-01-01 09:00:00', updated_at: '2026-01-01 09:00:00' });
        tenantIds.push(Number(id));
      }
      const [first, second] = tenantIds as [number, number, number];
      const old = (tenantId: number, action: string, details: string | null, minute: number) => ({ tenant_id: tenantId, actor_id: null, action, subject_type: 'customer', subject_id: 7, details, ip: '198.51.100.4', created_at: `2026-01-01 10:${String(minute).padStart(2, '0')}:00` });
      await db('audit_log').insert([
        old(first, 'customer.created', '{"name":"Jan Kowalski"}', 1),
        old(second, 'group.renamed', '{"to":"B","from":"A"}', 2),
        old(first, 'customer.updated', '{"fields":["city"]}', 3),
        old(first, 'user.locked', null, 4),
        old(second, 'customer.created', '{"name":"Anna Nowak","extra":1}', 5),
      ]);
      return { db, tenantIds };
    }

    it('chains the rows already there in order of id per tenant, and gives every tenant a head', async () => {
      const { db, tenantIds } = await databaseWithOldRows();
      const [first, second, quiet] = tenantIds as [number, number, number];
      await migrateToLatest(db);
      const actionsOf = async (tenantId: number) => (await db('audit_log').where('tenant_id', tenantId).orderBy('sequence')).map((row) => `${row.sequence} ${row.action}`);
      expect(await actionsOf(first)).toEqual(['1 customer.created', '2 customer.updated', '3 user.locked']);
      expect(await actionsOf(second)).toEqual(['1 group.renamed', '2 customer.created']);
      expect(await verifyAuditChain(scopeFor(db, { id: first }))).toMatchObject({ isIntact: true, rows: 3 });
      expect(await verifyAuditChain(scopeFor(db, { id: second }))).toMatchObject({ isIntact: true, rows: 2 });
      expect(await db('audit_chain_heads').where('tenant_id', quiet).first()).toMatchObject({ last_sequence: 0, last_hash: genesisHash });
    });

    it('takes the names out of old rows’ details before hashing them, and sorts the keys of the rest', async () => {
      const { db, tenantIds } = await databaseWithOldRows();
      const [first, second] = tenantIds as [number, number, number];
      await migrateToLatest(db);
      const detailsOf = (tenantId: number, action: string) => db('audit_log').where({ tenant_id: tenantId, action }).first('details', 'ip');
      expect(await detailsOf(first, 'customer.created')).toEqual({ details: null, ip: '198.51.100.4' });
      expect((await detailsOf(second, 'customer.created'))!.details).toBe('{"extra":1}');
      expect((await detailsOf(second, 'group.renamed'))!.details).toBe('{"from":"A","to":"B"}');
    });

    it('lets new events go on from the chained rows, and a tenant without rows start at one', async () => {
      const { db, tenantIds } = await databaseWithOldRows();
      const [first, , quiet] = tenantIds as [number, number, number];
      await migrateToLatest(db);
      await logEvent(scopeFor(db, { id: first }), { action: 'user.unlocked' });
      await logEvent(scopeFor(db, { id: quiet }), { action: 'user.unlocked' });
      expect(await verifyAuditChain(scopeFor(db, { id: first }))).toMatchObject({ isIntact: true, rows: 4 });
      expect(await verifyAuditChain(scopeFor(db, { id: quiet }))).toMatchObject({ isIntact: true, rows: 1 });
    });

    it('finishes when run again after a first run stopped while chaining the rows', async () => {
      // MariaDB commits each ALTER and CREATE at once: a run that failed later leaves the columns, the heads and some chained rows.
      const { db, tenantIds } = await databaseWithOldRows();
      const [first, second] = tenantIds as [number, number, number];
      await addAuditChain.up(db);
      await db('audit_log').where('tenant_id', second).update({ sequence: null, previous_hash: null, hash: null });
      await db('audit_chain_heads').where('tenant_id', second).delete();
      await migrateToLatest(db);
      expect(await verifyAuditChain(scopeFor(db, { id: first }))).toMatchObject({ isIntact: true, rows: 3 });
      expect(await verifyAuditChain(scopeFor(db, { id: second }))).toMatchObject({ isIntact: true, rows: 2 });
      expect(await db('audit_chain_heads').where('tenant_id', first).first()).toMatchObject({ last_sequence: 3 });
    });

    it('is undone by its down: the chain’s columns and heads go', async () => {
      const { db } = await databaseWithOldRows();
      await migrateToLatest(db);
      await addAuditChain.down(db);
      expect(await db.schema.hasTable('audit_chain_heads')).toBe(false);
      for (const column of ['sequence', 'previous_hash', 'hash']) expect(await db.schema.hasColumn('audit_log', column)).toBe(false);
      expect(await db('audit_log').count({ count: '*' }).first()).toMatchObject({ count: 5 });
    });
  });
}
