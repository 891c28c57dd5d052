import request from 'supertest';
import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, testPassword } from '../support/factories.js';
import { appBehindProxy, csrfTokenFrom, uniqueClientAddress } from '../support/http.js';

describeOnEachDatabase('sign-in attempts sent at the same moment', (env) => {
  it('lets no more than the free attempts reach the password check, so a parallel burst cannot guess past the limit', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'caretaker');
    const app = appBehindProxy(env.deps);
    const address = uniqueClientAddress();
    const agent = request.agent(app);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    const attempt = (password: string) =>
      agent.post(`/${tenant.slug}/login`).set('X-Forwarded-For', address).type('form').send({ _csrf: token, login: user.login, password });
    // Twenty wrong passwords and, among them, the right one: all at once.
    const passwords = Array.from({ length: 21 }, (_, index) => (index === 15 ? testPassword : `wrong guess ${index}`));
    const responses = await Promise.all(passwords.map(attempt));
    const checked = responses.filter((response) => response.status !== 429).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(responses.filter((response) => response.status === 429).length).toBeGreaterThanOrEqual(16);
    const row = await env.db('users').where('id', user.id).first();
    expect(Number(row.failed_login_count)).toBeLessThanOrEqual(5);
  });
});
