import { expect, it, vi } from 'vitest';
import { describeOnEachDatabase, type TestEnvironment } from '../support/environment.js';
import { exportBatches } from '../../src/models/data-export.js';
import { makeTenant, makeUser, userScope, type TestTenant } from '../support/factories.js';
import { signedInAgent } from '../support/http.js';

/** Customers K/00000… inserted 500 a statement, as many as asked for. */
async function manyCustomers(env: TestEnvironment, tenant: TestTenant, count: number): Promise<void> {
  const now = '2026-11-30 10:00:00';
  for (let start = 0; start < count; start += 500) {
    const rows = Array.from({ length: Math.min(500, count - start) }, (_, offset) => ({ tenant_id: tenant.id, name: `Klient ${start + offset}`, customer_number: `K/${String(start + offset).padStart(5, '0')}`, is_active: true, created_at: now, updated_at: now }));
    await env.db('customers').insert(rows);
  }
}

describeOnEachDatabase('CSV exports of many rows', (env) => {
  it('reads the customers in keyset batches of 1,000 (no OFFSET) and writes every one of them', async () => {
    const tenant = await makeTenant(env.db);
    await manyCustomers(env, tenant, 2500);
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(env.app, tenant, admin.login);
    const statements: Array<{ sql: string; bindings: unknown[] }> = [];
    const listener = (query: { sql: string; bindings?: unknown[] }) => statements.push({ sql: query.sql, bindings: query.bindings ?? [] });
    env.db.on('query', listener);
    const response = await agent.get(`/${tenant.slug}/admin/exports/customers.csv`);
    env.db.off('query', listener);
    expect(response.status).toBe(200);
    const lines = response.text.trim().split('\r\n');
    // The header, the tenant's 2,500 customers, and none of another tenant's.
    expect(lines).toHaveLength(2501);
    expect(lines[1]).toMatch(/^K\/00000;Klient 0;/);
    expect(lines.at(-1)).toMatch(/^K\/02499;Klient 2499;/);
    const batches = statements.filter(({ sql }) => /order by [`"]?customers[`"]?\.[`"]?id/i.test(sql));
    expect(batches).toHaveLength(3);
    for (const { sql } of batches) {
      expect(sql).not.toMatch(/offset/i);
      expect(sql).toMatch(/[`"]?customers[`"]?\.[`"]?id[`"]? > \?/i);
    }
  });

  it('asks for the next batch while the caller writes this one, and a caller that stops early leaves no query running', async () => {
    const tenant = await makeTenant(env.db);
    await manyCustomers(env, tenant, 2500);
    const admin = await makeUser(env.db, tenant, 'admin');
    let started = 0;
    let answered = 0;
    const onQuery = () => (started += 1);
    const onAnswer = () => (answered += 1);
    env.db.on('query', onQuery).on('query-response', onAnswer);
    try {
      const batches = exportBatches(userScope(env.db, admin), 'customers');
      const first = await batches.next();
      expect(first.done).toBe(false);
      expect((first.value as unknown[]).map((row) => (row as { customer_number: string }).customer_number).slice(0, 2)).toEqual(['K/00000', 'K/00001']);
      // The second batch is read while the reader still holds the first, without it asking.
      await vi.waitFor(() => expect(started).toBe(2));
      await batches.return(undefined);
      // The reader has gone: the batch asked for ahead was waited for, not left to fail unheard.
      expect(answered).toBe(started);
      expect(started).toBe(2);
    } finally {
      env.db.off('query', onQuery).off('query-response', onAnswer);
    }
  });
});
