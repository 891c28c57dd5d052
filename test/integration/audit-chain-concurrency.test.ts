import { expect, it } from 'vitest';
import { openSystemWork } from '../../src/db/installation.js';
import { systemClock } from '../../src/lib/time.js';
import { lockAccount, unlockAccount } from '../../src/models/account.js';
import { logEvent } from '../../src/models/audit.js';
import { verifyAuditChain } from '../../src/models/audit-verification.js';
import { createGroup } from '../../src/models/group.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor, uniqueName, userScope, type TestTenant } from '../support/factories.js';

/**
 * Writers at the same moment (on MySQL they really overlap: five pooled connections; SQLite runs
 * one write transaction at a time) must all land, one after the other, in one unforked chain.
 */
describeOnEachDatabase('the audit chain under concurrent writers', (env) => {
  const sequencesOf = async (tenant: TestTenant) => (await env.db('audit_log').where('tenant_id', tenant.id).orderBy('sequence').pluck('sequence')).map(Number);
  const oneTo = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

  it('lands twenty parallel transactions with consecutive sequence numbers and a valid chain', async () => {
    const tenant = await makeTenant(env.db);
    const scope = scopeFor(env.db, tenant);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        scope.transaction(async (trx) => {
          // Work of the verb's own first, so that the transactions overlap before they log.
          await trx.table('users').where('id', tenant.superadmin.id).first('id');
          await logEvent(trx, { action: 'user.locked', subjectType: 'user', subjectId: tenant.superadmin.id, details: { writer: index } });
        }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect(await sequencesOf(tenant)).toEqual(oneTo(22));
    expect(await verifyAuditChain(scope)).toMatchObject({ isIntact: true, rows: 22 });
  });

  it('lands twenty parallel events logged outside any transaction, and twenty in transactions opened elsewhere', async () => {
    const tenant = await makeTenant(env.db);
    const scope = scopeFor(env.db, tenant);
    const alone = Array.from({ length: 20 }, () => logEvent(scope, { action: 'user.unlocked' }));
    // A transaction not opened through a scope appends at once and holds the head until it commits.
    const elsewhere = Array.from({ length: 20 }, () => env.db.transaction((trx) => logEvent(openSystemWork(trx, systemClock, 'test').scopeFor(tenant.id), { action: 'user.locked' })));
    const outcomes = await Promise.allSettled([...alone, ...elsewhere]);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect(await sequencesOf(tenant)).toEqual(oneTo(42));
    expect(await verifyAuditChain(scope)).toMatchObject({ isIntact: true, rows: 42 });
  });

  it('creates ten tenants at the same moment, each with a chain of its own', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => makeTenant(env.db)));
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    for (const outcome of outcomes) {
      const tenant = (outcome as PromiseFulfilledResult<TestTenant>).value;
      expect(await sequencesOf(tenant)).toEqual([1, 2]);
      expect(await verifyAuditChain(scopeFor(env.db, tenant))).toMatchObject({ isIntact: true, rows: 2 });
    }
  });

  it('runs verbs that keep a superadmin beside verbs that touch only their own rows, without a deadlock', async () => {
    const tenant = await makeTenant(env.db);
    const superadmins = await Promise.all(Array.from({ length: 4 }, () => makeUser(env.db, tenant, 'superadmin')));
    const caretakers = await Promise.all(Array.from({ length: 6 }, () => makeUser(env.db, tenant, 'caretaker')));
    const scope = userScope(env.db, tenant.superadmin);
    const before = (await sequencesOf(tenant)).length;
    for (let round = 0; round < 3; round += 1) {
      // Locking a superadmin first locks every superadmin row (keepAnotherSuperadmin); the others touch only their own rows.
      const outcomes = await Promise.allSettled([
        ...superadmins.slice(0, 2).map((user) => lockAccount(scope, user.id)),
        ...caretakers.map((user) => lockAccount(scope, user.id)),
        createGroup(scope, uniqueName('Group')),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
      await Promise.all([...superadmins.slice(0, 2), ...caretakers].map((user) => unlockAccount(scope, user.id)));
    }
    expect(await sequencesOf(tenant)).toEqual(oneTo(before + 3 * (2 + 6 + 1 + 8)));
    expect((await verifyAuditChain(scope)).isIntact).toBe(true);
  });
});
