import request from 'supertest';
import { expect, it } from 'vitest';
import { issuePasswordToken, usePasswordToken } from '../../src/models/password-token.js';
import { updateProfile, findProfile } from '../../src/models/profile.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor } from '../support/factories.js';
import { sessionCookieOf, signedInAgent } from '../support/http.js';

const cost = { bcryptCost: 4 };

describeOnEachDatabase('how long one-time links and sessions last', (env) => {
  it('spends an invitation once the account has a password set another way', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { password: null });
    const scope = scopeFor(env.db, tenant);
    const invitation = await issuePasswordToken(scope, client.id, 'invitation');
    const reset = await issuePasswordToken(scope, client.id, 'reset');
    expect(await usePasswordToken(scope, reset, 'reset', 'a password from the reset', cost)).not.toBeNull();
    const page = await request(env.app).get(`/${tenant.slug}/invitations/${invitation}`);
    expect(page.status).toBe(410);
  });

  it('voids every other link of the user when one of them sets the password', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const scope = scopeFor(env.db, tenant);
    const first = await issuePasswordToken(scope, client.id, 'reset');
    const setup = await issuePasswordToken(scope, client.id, 'setup');
    expect(await usePasswordToken(scope, setup, 'setup', 'a password from the setup', cost)).not.toBeNull();
    expect(await usePasswordToken(scope, first, 'reset', 'another password', cost)).toBeNull();
  });

  it('voids the reset links sent to an address once the user changes it', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const scope = scopeFor(env.db, tenant);
    const reset = await issuePasswordToken(scope, client.id, 'reset');
    const profile = await findProfile(scope, client.id);
    await updateProfile(scope, client.id, { ...profile, email: `new-${client.email}` });
    expect((await request(env.app).get(`/${tenant.slug}/password-resets/${reset}`)).status).toBe(410);
  });

  it('signs out a session that began before the password changed, even if it was written back afterwards', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const thief = await signedInAgent(env.app, tenant, client.login);
    const cookie = sessionCookieOf(thief, tenant);
    const stolen = await env.db('sessions').where('user_id', client.id).first();
    // The clock of the password change must be past the sign-in's second (times are kept to the second).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const reset = await issuePasswordToken(scopeFor(env.db, tenant), client.id, 'reset');
    await usePasswordToken(scopeFor(env.db, tenant), reset, 'reset', 'the owner’s new password', cost);
    expect(await env.db('sessions').where('user_id', client.id).first()).toBeUndefined();
    // A request that was in flight during the reset saves its session again.
    await env.db('sessions').insert(stolen);
    const response = await request(env.app).get(`/${tenant.slug}/portal`).set('Cookie', cookie);
    expect(response.status).toBe(303);
    expect(response.headers.location).toContain(`/${tenant.slug}/login`);
  });
});
