import { expect, it } from 'vitest';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, testPassword } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, type Agent } from '../support/http.js';

const profile = { phone: '', correspondenceAddress: '', locale: 'pl', landingPage: 'dashboard', textSize: 'default' };

describeOnEachDatabase('the profile warns about an e-mail address another account uses, as the staff forms do', (env) => {
  const form = (tenant: Tenant) => `/${tenant.slug}/account/profile/edit`;

  async function saveProfile(agent: Agent, tenant: Tenant, fields: Record<string, string>) {
    const token = await csrfTokenFrom(agent, form(tenant));
    return agent.post(`/${tenant.slug}/account/profile`).type('form').send({ _csrf: token, ...profile, ...fields });
  }

  it('refuses an address another account uses until it is confirmed, naming the account to staff, and keeps what was typed', async () => {
    const tenant = await makeTenant(env.db);
    const colleague = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Ewa', lastName: 'Zając' });
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const shared = colleague.email!.toUpperCase();

    const refused = await saveProfile(agent, tenant, { email: shared, currentPassword: testPassword, phone: '600 700 800' });

    expect(refused.status).toBe(422);
    expect(fieldErrorOf(refused.text, 'email')).toBe(
      `Ten adres e-mail jest już przypisany do innego konta: ${colleague.login} (Ewa Zając). Jeśli adres ma być wspólny, zaznacz potwierdzenie poniżej i zapisz ponownie.`,
    );
    expect(refused.text).toContain('data-testid="shared-email-confirmation"');
    expect(refused.text).toContain(`name="confirmSharedEmail" value="${shared}"`);
    expect(refused.text).toContain('value="600 700 800"');
    expect((await env.db('users').where('id', caretaker.id).first()).email).toBe(caretaker.email);

    // A confirmation of another address confirms nothing.
    const wrongConfirmation = await saveProfile(agent, tenant, { email: shared, currentPassword: testPassword, confirmSharedEmail: 'other@example.test' });
    expect(wrongConfirmation.status).toBe(422);

    const saved = await saveProfile(agent, tenant, { email: shared, currentPassword: testPassword, confirmSharedEmail: shared });
    expect(saved.status).toBe(303);
    expect((await env.db('users').where('id', caretaker.id).first()).email.toLowerCase()).toBe(colleague.email!.toLowerCase());
  });

  it('tells a client only how many accounts use the address, and only after the right password', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeUser(env.db, tenant, 'client');
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);

    const wrongPassword = await saveProfile(agent, tenant, { email: other.email!, currentPassword: 'a wrong guess' });
    expect(wrongPassword.status).toBe(422);
    expect(fieldErrorOf(wrongPassword.text, 'email')).toBeUndefined();
    expect(wrongPassword.text).not.toContain('shared-email-confirmation');

    const refused = await saveProfile(agent, tenant, { email: other.email!, currentPassword: testPassword });
    expect(refused.status).toBe(422);
    expect(fieldErrorOf(refused.text, 'email')).toContain('1 inne konto, którego nie możesz zobaczyć');
    expect(refused.text).not.toContain(other.login);
  });

  it('does not ask when the address stays the account’s own', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);

    const saved = await saveProfile(agent, tenant, { email: client.email!, currentPassword: '', phone: '600 100 200' });

    expect(saved.status).toBe(303);
  });
});
