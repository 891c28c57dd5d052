import { expect, it } from 'vitest';
import type { Scope } from '../../src/db/scope.js';
import { findSessionUser } from '../../src/models/authentication.js';
import { listCustomers, type PortalState } from '../../src/models/customer-list.js';
import { createGroup, findDefaultGroup, moveAccountsToGroup } from '../../src/models/group.js';
import { saveSettings, settingsInForce } from '../../src/models/settings.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, uniqueName } from '../support/factories.js';

type Value = 'on' | 'off' | null;
const values: Value[] = [null, 'on', 'off'];
/** The accounts of one customer: the group each is in, and whether it is active. */
const compositions: Array<Array<{ group: 'clients' | 'g1' | 'g2' | 'none'; isActive?: boolean }>> = [
  [],
  [{ group: 'clients' }],
  [{ group: 'g1' }],
  [{ group: 'g2' }],
  [{ group: 'clients' }, { group: 'g1' }],
  [{ group: 'g1' }, { group: 'g2' }],
  [{ group: 'g1', isActive: false }],
  [{ group: 'g2', isActive: false }, { group: 'clients' }],
  [{ group: 'none' }],
  [{ group: 'none' }, { group: 'g1' }],
];

/**
 * The portal state the customer list shows (and filters by) is what sign-in decides for the
 * customer's active people, for every combination of the tenant's, the groups' and the
 * customer's values.
 */
type Composition = (typeof compositions)[number];
type TenantValues = { tenant: Value; clients: Value; g1: Value; g2: Value };
const query = { search: '', caretaker: 'all' as const, status: 'all' as const, sort: 'created-asc' as const };
const onePage = { page: 1, perPage: 100, offset: 0 };

/** Every combination of the tenant's, CLIENTS' and G1's values; G2 takes each value in turn. */
function combinations(): TenantValues[] {
  return values.flatMap((tenant) => values.flatMap((clients) => values.map((g1) => ({ tenant, clients, g1 }))))
    .map((combination, index) => ({ ...combination, g2: values[(index + 1) % 3]! }));
}

describeOnEachDatabase('the customer list’s portal state against sign-in', (env) => {
  const setPortal = async (scope: Scope, level: 'tenant' | 'group' | 'customer', targetId: number, value: Value) => {
    if (value) await saveSettings(scope, level, targetId, { 'portal.access': value });
  };

  async function tenantWith(given: TenantValues) {
    const tenant = await makeTenant(env.db);
    const scope = scopeFor(env.db, tenant);
    const groups = { clients: (await findDefaultGroup(scope))!.id, g1: (await createGroup(scope, uniqueName('G1'))).id, g2: (await createGroup(scope, uniqueName('G2'))).id };
    await setPortal(scope, 'tenant', 0, given.tenant);
    for (const name of ['clients', 'g1', 'g2'] as const) await setPortal(scope, 'group', groups[name], given[name]);
    return { tenant, scope, groups };
  }

  /** A customer with its accounts, and the state sign-in gives it: each active account asked as sign-in asks. */
  async function customerWith(setup: Awaited<ReturnType<typeof tenantWith>>, composition: Composition, customerValue: Value): Promise<[number, PortalState]> {
    const { tenant, scope, groups } = setup;
    const customer = await makeCustomer(env.db, tenant);
    await setPortal(scope, 'customer', customer.id, customerValue);
    const verdicts: boolean[] = [];
    for (const account of composition) {
      const user = await makeUser(env.db, tenant, 'client', { customer });
      if (account.group === 'none') await env.db('users').where('id', user.id).update({ group_id: null });
      else await moveAccountsToGroup(scope, [user.id], groups[account.group]);
      if (account.isActive === false) await env.db('users').where('id', user.id).update({ is_active: false });
      else verdicts.push((await findSessionUser(scope, user.id))!.hasPortalAccess);
    }
    // Without active accounts: what a new account, which joins CLIENTS, would get.
    if (verdicts.length === 0) return [customer.id, (await settingsInForce(scope, { customerId: customer.id, groupId: groups.clients }))['portal.access'].value as PortalState];
    return [customer.id, verdicts.every(Boolean) ? 'on' : verdicts.some(Boolean) ? 'mixed' : 'off'];
  }

  it('shows and filters by the state that sign-in gives the customer’s people, in every combination', async () => {
    for (const given of combinations()) {
      const setup = await tenantWith(given);
      const expected = new Map<number, PortalState>();
      for (const [index, composition] of compositions.entries()) {
        for (const customerValue of index < 2 ? values : [null]) expected.set(...(await customerWith(setup, composition, customerValue)));
      }
      const context = JSON.stringify(given);
      const { rows } = await listCustomers(setup.scope, { ...query, portal: 'all' }, onePage);
      expect(Object.fromEntries(rows.map((row) => [row.id, row.portalState])), context).toEqual(Object.fromEntries(expected));
      for (const state of ['on', 'off', 'mixed'] as const) {
        const filtered = await listCustomers(setup.scope, { ...query, portal: state }, onePage);
        const ids = [...expected].filter(([, shown]) => shown === state).map(([id]) => id);
        expect(filtered.rows.map((row) => row.id), `${context}: ${state}`).toEqual(ids);
        expect(filtered.pagination.total, `${context}: ${state}`).toBe(ids.length);
      }
    }
  }, 600_000);
});
