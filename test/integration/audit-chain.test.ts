import { expect, it } from 'vitest';
import { chainHash, genesisHash } from '../../src/lib/audit-chain.js';
import { logEvent } from '../../src/models/audit.js';
import { verifyAuditChain } from '../../src/models/audit-verification.js';
import { createGroup, deleteGroup } from '../../src/models/group.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, scopeFor, userScope, type TestTenant } from '../support/factories.js';

describeOnEachDatabase('the audit chain', (env) => {
  const rowsOf = (tenant: TestTenant) => env.db('audit_log').where('tenant_id', tenant.id).orderBy('sequence');
  const rowAt = (tenant: TestTenant, sequence: number) => env.db('audit_log').where({ tenant_id: tenant.id, sequence });
  const breakOf = async (tenant: TestTenant) => {
    const report = await verifyAuditChain(scopeFor(env.db, tenant));
    return report.isIntact ? undefined : report.break;
  };

  /** A tenant whose log holds its two creation events and `extra` more: sequences 1 … 2 + extra. */
  async function tenantWithEvents(extra: number): Promise<TestTenant> {
    const tenant = await makeTenant(env.db);
    for (let index = 0; index < extra; index += 1) {
      await logEvent(scopeFor(env.db, tenant), { action: 'user.locked', subjectType: 'user', subjectId: tenant.superadmin.id, details: { step: index } });
    }
    return tenant;
  }

  it('gives each event the next sequence number and the hash of the row before it', async () => {
    const tenant = await tenantWithEvents(3);
    const rows = await rowsOf(tenant);
    expect(rows.map((row) => Number(row.sequence))).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0].previous_hash).toBe(genesisHash);
    for (let index = 1; index < rows.length; index += 1) expect(rows[index].previous_hash).toBe(rows[index - 1].hash);
    const head = await env.db('audit_chain_heads').where('tenant_id', tenant.id).first();
    expect({ sequence: Number(head.last_sequence), hash: head.last_hash }).toEqual({ sequence: 5, hash: rows[4].hash });
    expect(await verifyAuditChain(scopeFor(env.db, tenant))).toEqual({ isIntact: true, rows: 5, lastHash: rows[4].hash });
  });

  it('stores details as JSON with sorted keys and keeps the IP address out of the hash', async () => {
    const tenant = await tenantWithEvents(0);
    await logEvent(scopeFor(env.db, tenant), { action: 'user.signed_in', subjectType: 'user', subjectId: 1, details: { zeta: 1, alpha: { b: 2, a: 1 } }, ip: '203.0.113.9' });
    const [row] = await rowAt(tenant, 3);
    expect(row.details).toBe('{"alpha":{"a":1,"b":2},"zeta":1}');
    // A purge clears the address; the chain does not notice.
    await rowAt(tenant, 3).update({ ip: null });
    expect(await verifyAuditChain(scopeFor(env.db, tenant))).toMatchObject({ isIntact: true, rows: 3 });
  });

  it('chains the events of one transaction in the order they were logged, and none of a transaction that rolled back', async () => {
    const tenant = await tenantWithEvents(0);
    const scope = scopeFor(env.db, tenant);
    await expect(
      scope.transaction(async (trx) => {
        await logEvent(trx, { action: 'user.locked' });
        throw new Error('the verb failed');
      }),
    ).rejects.toThrow('the verb failed');
    await scope.transaction(async (trx) => {
      await logEvent(trx, { action: 'user.locked' });
      await logEvent(trx, { action: 'user.unlocked' });
    });
    expect((await rowsOf(tenant)).map((row) => `${row.sequence} ${row.action}`)).toEqual(['1 user.created', '2 tenant.created', '3 user.locked', '4 user.unlocked']);
    expect(await verifyAuditChain(scope)).toMatchObject({ isIntact: true, rows: 4 });
  });

  it('keeps each tenant’s chain apart', async () => {
    const first = await tenantWithEvents(2);
    const second = await tenantWithEvents(1);
    expect((await rowsOf(second)).map((row) => Number(row.sequence))).toEqual([1, 2, 3]);
    await rowAt(first, 3).update({ action: 'user.unlocked' });
    expect((await verifyAuditChain(scopeFor(env.db, first))).isIntact).toBe(false);
    expect(await verifyAuditChain(scopeFor(env.db, second))).toMatchObject({ isIntact: true, rows: 3 });
  });

  it('names a row whose details were edited in the database', async () => {
    const tenant = await tenantWithEvents(3);
    const [row] = await rowAt(tenant, 4);
    await rowAt(tenant, 4).update({ details: '{"step":7}' });
    expect(await verifyAuditChain(scopeFor(env.db, tenant))).toEqual({ isIntact: false, rows: 3, break: { kind: 'edited', sequence: 4, rowId: Number(row.id) } });
  });

  it('names a row whose action was edited in the database', async () => {
    const tenant = await tenantWithEvents(3);
    await rowAt(tenant, 2).update({ action: 'user.unlocked' });
    expect((await breakOf(tenant))).toMatchObject({ kind: 'edited', sequence: 2 });
  });

  it('names a row that was edited and given a correctly recomputed hash', async () => {
    const tenant = await tenantWithEvents(3);
    const [row] = await rowAt(tenant, 3);
    const forged = { tenantId: tenant.id, sequence: 3, createdAt: String(row.created_at), actorId: null, action: 'user.unlocked', subjectType: row.subject_type, subjectId: Number(row.subject_id), details: row.details, previousHash: row.previous_hash };
    await rowAt(tenant, 3).update({ action: 'user.unlocked', hash: chainHash(forged) });
    expect((await breakOf(tenant))).toEqual({ kind: 'edited', sequence: 3, rowId: Number(row.id) });
  });

  it('reports a deleted row as missing', async () => {
    const tenant = await tenantWithEvents(3);
    await rowAt(tenant, 3).delete();
    expect(await verifyAuditChain(scopeFor(env.db, tenant))).toEqual({ isIntact: false, rows: 2, break: { kind: 'missing', sequence: 3, rowId: null } });
  });

  it('reports the last row deleted as missing', async () => {
    const tenant = await tenantWithEvents(3);
    await rowAt(tenant, 5).delete();
    expect((await breakOf(tenant))).toEqual({ kind: 'missing', sequence: 5, rowId: null });
  });

  it('reports two rows whose sequence numbers were swapped as out of place', async () => {
    const tenant = await tenantWithEvents(3);
    const [fourth] = await rowAt(tenant, 4);
    // Three steps, as the unique key (tenant_id, sequence) wants.
    await rowAt(tenant, 2).update({ sequence: 1000 });
    await rowAt(tenant, 4).update({ sequence: 2 });
    await rowAt(tenant, 1000).update({ sequence: 4 });
    expect((await breakOf(tenant))).toEqual({ kind: 'out-of-place', sequence: 2, rowId: Number(fourth.id) });
  });

  it('reports a forged row after the last one as out of place', async () => {
    const tenant = await tenantWithEvents(1);
    const [last] = await rowAt(tenant, 3);
    const forged = { tenantId: tenant.id, sequence: 4, createdAt: String(last.created_at), actorId: null, action: 'user.unlocked', subjectType: null, subjectId: null, details: null, previousHash: String(last.hash) };
    // Even a forger who knows the format is caught: the chain's head says the chain ends at 3.
    const [id] = await env.db('audit_log').insert({ tenant_id: tenant.id, sequence: 4, action: 'user.unlocked', created_at: last.created_at, previous_hash: last.hash, hash: chainHash(forged) });
    expect((await breakOf(tenant))).toEqual({ kind: 'out-of-place', sequence: 4, rowId: Number(id) });
  });

  it('reports a row inserted without a sequence number', async () => {
    const tenant = await tenantWithEvents(1);
    const [id] = await env.db('audit_log').insert({ tenant_id: tenant.id, action: 'user.unlocked', created_at: '2026-01-01 10:00:00' });
    expect((await breakOf(tenant))).toEqual({ kind: 'out-of-place', sequence: null, rowId: Number(id) });
  });

  it('goes on from the last chained row when a tenant’s head has been lost', async () => {
    const tenant = await tenantWithEvents(1);
    await env.db('audit_chain_heads').where('tenant_id', tenant.id).delete();
    await logEvent(scopeFor(env.db, tenant), { action: 'user.unlocked' });
    expect(await verifyAuditChain(scopeFor(env.db, tenant))).toMatchObject({ isIntact: true, rows: 4 });
  });

  it('chains the events of the model verbs that log', async () => {
    const tenant = await tenantWithEvents(0);
    const scope = userScope(env.db, tenant.superadmin);
    const group = await createGroup(scope, 'Chained');
    await deleteGroup(scope, group.id);
    expect((await rowsOf(tenant)).map((row) => row.action)).toEqual(['user.created', 'tenant.created', 'group.created', 'group.deleted']);
    expect(await verifyAuditChain(scope)).toMatchObject({ isIntact: true, rows: 4 });
  });
});
