import { expect, it } from 'vitest';
import { issuePasswordToken } from '../../src/models/password-token.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor } from '../support/factories.js';

/**
 * Links of one account issued at once (a resend clicked twice, two admins resending): each voids the
 * earlier ones and inserts its own, one after the other (the account's row is locked first). All
 * succeed and one link stays usable. A deadlock between two such inserts was seen once in a full
 * MariaDB run under heavy load; this test did not reproduce it, so it holds the outcome, not the cause.
 */
describeOnEachDatabase('one-time links issued at once for one account', (env) => {
  it('are all issued, none failing, and only the last stays usable', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client', { password: null });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => issuePasswordToken(scopeFor(env.db, tenant), user.id, 'invitation')));
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const tokens = await env.db('password_tokens').where({ user_id: user.id, purpose: 'invitation' });
    expect(tokens).toHaveLength(8);
    expect(tokens.filter((token) => token.used_at === null)).toHaveLength(1);
  });
});
