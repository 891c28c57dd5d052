import bcrypt from 'bcrypt';
import request from 'supertest';
import { afterEach, expect, it } from 'vitest';
import { hashPassword } from '../../src/lib/passwords.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, testPassword } from '../support/factories.js';
import { signedInAgent, submitSignIn } from '../support/http.js';

/**
 * A hash made with another bcrypt cost than today's (BCRYPT_COST was raised) is replaced at the
 * next sign-in. That is upkeep of the stored hash, not a change of password: the password, what
 * depends on its last change and what the audit log says of it stay as they were.
 */
describeOnEachDatabase('a password hash upgraded at sign-in', (env) => {
  const userRow = (id: number) => env.db('users').where('id', id).first();
  /** The account's hash as an earlier BCRYPT_COST made it. */
  const hashWithOlderCost = async (id: number) => env.db('users').where('id', id).update({ password_hash: await hashPassword(testPassword, env.config.bcryptCost + 1) });
  afterEach(() => env.clock.reset());

  it('replaces the hash with one of today’s cost, and neither logs a password change nor moves its date', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    await hashWithOlderCost(client.id);
    const before = await userRow(client.id);
    env.clock.advance(5_000);
    expect((await submitSignIn(request.agent(env.app), tenant, client.login)).status).toBe(303);
    const after = await userRow(client.id);
    expect(bcrypt.getRounds(after.password_hash)).toBe(env.config.bcryptCost);
    expect(await bcrypt.compare(testPassword, after.password_hash)).toBe(true);
    expect(after.password_changed_at).toBe(before.password_changed_at);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'user.password_changed', subject_id: client.id })).toHaveLength(0);
  });

  it('keeps a forced password change in force after the sign-in that upgrades the hash', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { mustChangePassword: true });
    await hashWithOlderCost(client.id);
    const agent = request.agent(env.app);
    const signIn = await submitSignIn(agent, tenant, client.login);
    expect(signIn.headers.location).toBe(`/${tenant.slug}/account/password`);
    const dashboard = await agent.get(`/${tenant.slug}/portal`);
    expect(dashboard.status).toBe(303);
    expect(dashboard.headers.location).toBe(`/${tenant.slug}/account/password`);
    const after = await userRow(client.id);
    expect(bcrypt.getRounds(after.password_hash), 'the sign-in did upgrade the hash').toBe(env.config.bcryptCost);
    expect(after.must_change_password).toBeTruthy();
  });

  it('keeps the user’s other sessions when a sign-in upgrades the hash', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const phone = await signedInAgent(env.app, tenant, client.login);
    await hashWithOlderCost(client.id);
    env.clock.advance(2_000);
    await signedInAgent(env.app, tenant, client.login);
    expect(bcrypt.getRounds((await userRow(client.id)).password_hash), 'the sign-in did upgrade the hash').toBe(env.config.bcryptCost);
    const page = await phone.get(`/${tenant.slug}/portal`);
    expect(page.status).toBe(200);
  });
});
