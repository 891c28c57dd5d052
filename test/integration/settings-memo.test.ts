import { expect, it } from 'vitest';
import type { Scope } from '../../src/db/scope.js';
import { createGroup, updateGroup } from '../../src/models/group.js';
import { findProfile, updateProfile } from '../../src/models/profile.js';
import { settingsInForce } from '../../src/models/settings.js';
import type { User } from '../../src/models/user.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor, uniqueName, userScope } from '../support/factories.js';

/**
 * The settings in force are worked out once per request (scope.memo). A verb that saves settings
 * in its own transaction must not leave the request reading what was in force before it.
 */
describeOnEachDatabase('the settings memoised for a request', (env) => {
  /** The scope a request of the user has: its memo is shared by the request's scopes (middleware/context.ts). */
  const requestScope = (user: User): Scope => userScope(env.db, user, { memo: new Map() });

  it('gives the landing page a user has just chosen, later in the same request', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const scope = requestScope(user);
    const before = await findProfile(scope, user.id);
    expect(before.landingPage).toBe('dashboard');
    await updateProfile(scope, user.id, { ...before, landingPage: 'last' });
    expect((await findProfile(scope, user.id)).landingPage).toBe('last');
  });

  it('gives a group’s new portal access, later in the same request', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const group = await createGroup(scopeFor(env.db, tenant), uniqueName('VIP'));
    const scope = requestScope(admin);
    expect((await settingsInForce(scope, { groupId: group.id }))['portal.access'].value).toBe('on');
    await updateGroup(scope, group.id, { name: group.name, portalAccess: 'off' });
    expect((await settingsInForce(scope, { groupId: group.id }))['portal.access']).toEqual({ value: 'off', source: { level: 'group', targetId: group.id } });
  });
});
