import request from 'supertest';
import { expect, it } from 'vitest';
import { issuePasswordToken, type PasswordTokenPurpose } from '../../src/models/password-token.js';
import { saveSettings } from '../../src/models/settings.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor } from '../support/factories.js';
import { csrfTokenFrom } from '../support/http.js';

const chosen = 'a password of my own';

describeOnEachDatabase('the page a one-time link ends on', (env) => {
  /** A client or staff account without a password and a link of the purpose for it; sets the password through the link. */
  async function useLink(purpose: PasswordTokenPurpose, role: 'client' | 'caretaker', options: { hasPortalAccess?: boolean; language?: string } = {}) {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant);
    if (options.hasPortalAccess === false) await saveSettings(scopeFor(env.db, tenant), 'customer', customer.id, { 'portal.access': 'off' });
    const user = await makeUser(env.db, tenant, role, { password: null, customer: role === 'client' ? customer : undefined });
    const token = await issuePasswordToken(scopeFor(env.db, tenant), user.id, purpose);
    const path = purpose === 'invitation' ? `/${tenant.slug}/invitations/${token}` : `/${tenant.slug}/password-setup/${token}`;
    const agent = request.agent(env.app);
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    const response = await agent.post(path).set('Accept-Language', options.language ?? 'pl').type('form').send({ _csrf: csrf, newPassword: chosen, passwordConfirmation: chosen });
    expect(response.status).toBe(303);
    const landing = await agent.get(response.headers.location as string).set('Accept-Language', options.language ?? 'pl');
    return { tenant, agent, response, landing };
  }

  it('confirms an accepted invitation on the dashboard the client lands on, signed in, once', async () => {
    const { tenant, agent, response, landing } = await useLink('invitation', 'client');
    expect(response.headers.location).toBe(`/${tenant.slug}/portal`);
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('Konto jest gotowe: hasło zostało zapisane i nastąpiło zalogowanie.');
    expect(landing.text).toMatch(/role="status"|class="notice notice--success"/);
    expect((await agent.get(`/${tenant.slug}/portal`)).text).not.toContain('Konto jest gotowe');
  });

  it('says the same in English to an English reader', async () => {
    const tenant = await makeTenant(env.db, { defaultLocale: 'en' });
    const user = await makeUser(env.db, tenant, 'client', { password: null, locale: 'en' });
    const token = await issuePasswordToken(scopeFor(env.db, tenant), user.id, 'invitation');
    const agent = request.agent(env.app);
    const csrf = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
    const response = await agent.post(`/${tenant.slug}/invitations/${token}`).type('form').send({ _csrf: csrf, newPassword: chosen, passwordConfirmation: chosen });
    expect((await agent.get(response.headers.location as string)).text).toContain('Your account is ready: the password is saved and you are signed in.');
  });

  it('confirms a first password set through a set-up link on the staff start page', async () => {
    const { tenant, response, landing } = await useLink('setup', 'caretaker');
    expect(response.headers.location).toBe(`/${tenant.slug}/staff`);
    expect(landing.text).toContain('Hasło zostało zapisane i nastąpiło zalogowanie.');
  });

  it('leads to the sign-in page, saying why, when the customer has no portal access', async () => {
    const { tenant, response, landing } = await useLink('invitation', 'client', { hasPortalAccess: false });
    expect(response.headers.location).toBe(`/${tenant.slug}/login`);
    expect(landing.status).toBe(200);
    expect(landing.text).not.toContain('nastąpiło zalogowanie');
    expect(landing.text).toMatch(/zostało zapisane|został[oa]? zapisane|zapisano/i);
  });
});
