import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser } from '../support/factories.js';
import { submitSignIn } from '../support/http.js';

describeOnEachDatabase('sign-in', (env) => {
  it('signs a client in and lands on the portal dashboard', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { firstName: 'Anna' });
    const agent = request.agent(env.app);
    const response = await submitSignIn(agent, tenant, client.login);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/portal`);
    const dashboard = await agent.get(`/${tenant.slug}/portal`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('Anna');
  });
});
