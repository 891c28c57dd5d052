import request from 'supertest';
import { expect, it } from 'vitest';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { settingsSetOn } from '../../src/models/settings.js';
import { makeTenant, makeUser, scopeFor, testPassword } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, type Agent } from '../support/http.js';

const valid = {
  // The e-mail differs from the factory's, so the current password is asked for.
  currentPassword: testPassword,
  email: 'anna.kowalska@firma.pl',
  phone: '+48 600 123 456',
  correspondenceAddress: 'Anna Kowalska\r\nul. Długa 5/7\r\n00-950 Warszawa',
  locale: 'pl',
  landingPage: 'dashboard',
  textSize: 'default',
};

describeOnEachDatabase('self-service profile (A9, A14)', (env) => {
  const form = (tenant: Tenant) => `/${tenant.slug}/account/profile/edit`;
  const row = (userId: number) => env.db('users').where('id', userId).first();

  async function saveProfile(agent: Agent, tenant: Tenant, fields: Record<string, string>) {
    const token = await csrfTokenFrom(agent, form(tenant));
    return agent.post(`/${tenant.slug}/account/profile`).type('form').send({ _csrf: token, ...fields });
  }

  it('is linked from “my account” and shows the form filled with the user’s data', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    await env.db('users').where('id', client.id).update({ phone: '600 100 200', correspondence_address: 'Line one\nLine two' });
    const agent = await signedInAgent(env.app, tenant, client.login);
    expect((await agent.get(`/${tenant.slug}/account`)).text).toContain(`href="/${tenant.slug}/account/profile/edit"`);
    const page = await agent.get(form(tenant));
    expect(page.status).toBe(200);
    expect(page.text).toContain(`value="${client.email}"`);
    expect(page.text).toContain('value="600 100 200"');
    expect(page.text).toContain('>Line one\nLine two</textarea>');
    expect(page.text).toContain('id="field-landingPage-dashboard" name="landingPage" value="dashboard" checked');
    expect(page.text).toContain('id="field-locale-pl" name="locale" value="pl" checked');
    expect(page.text).toContain('„Lista zgłoszeń” otwiera Twoje zgłoszenia');
    expect(page.text).toContain('class="layout-portal"');
  });

  it('saves the contact data and preferences, says so in the language just chosen, and records the change', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const response = await saveProfile(agent, tenant, { ...valid, locale: 'en', landingPage: 'last', textSize: 'larger' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/account`);
    const saved = await row(caretaker.id);
    expect(saved).toMatchObject({
      email: 'anna.kowalska@firma.pl',
      phone: '+48 600 123 456',
      correspondence_address: 'Anna Kowalska\nul. Długa 5/7\n00-950 Warszawa',
      locale: 'en',
      text_size: 'larger',
    });
    expect(await settingsSetOn(scopeFor(env.db, tenant), 'account', caretaker.id)).toEqual({ 'account.landing_page': 'last' });
    const account = await agent.get(`/${tenant.slug}/account`);
    expect(account.text).toContain('Your profile has been saved.');
    expect(account.text).toContain('<html lang="en" class="text-larger">');
    const audit = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'user.profile_changed', subject_id: caretaker.id });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].details).fields).toEqual(['email', 'phone', 'correspondenceAddress', 'locale', 'textSize', 'landingPage']);
  });

  it('lets a user remove the phone and the address, and writes nothing when nothing changed', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    await saveProfile(agent, tenant, valid);
    expect((await saveProfile(agent, tenant, { ...valid, phone: '  ', correspondenceAddress: '' })).status).toBe(303);
    expect(await row(client.id)).toMatchObject({ phone: null, correspondence_address: null });
    expect((await saveProfile(agent, tenant, { ...valid, phone: '', correspondenceAddress: '' })).status).toBe(303);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'user.profile_changed' })).toHaveLength(2);
  });

  it('accepts an address of exactly 500 characters', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    const address = `${'a'.repeat(249)}\n${'b'.repeat(250)}`;
    expect((await saveProfile(agent, tenant, { ...valid, correspondenceAddress: address })).status).toBe(303);
    expect((await row(client.id)).correspondence_address).toBe(address);
  });

  it.each([
    ['an e-mail address without @', { email: 'anna.firma.pl' }, 'email', 'Podaj poprawny adres e-mail, np. jan.kowalski@firma.pl.'],
    ['an empty e-mail address', { email: '' }, 'email', 'To pole jest wymagane.'],
    ['a phone with letters', { phone: '600-CALL-ME' }, 'phone', 'Podaj numer telefonu: od 6 do 20 cyfr, dozwolone spacje, myślniki, nawiasy i + na początku.'],
    ['a phone too short', { phone: '12 34' }, 'phone', 'Podaj numer telefonu: od 6 do 20 cyfr, dozwolone spacje, myślniki, nawiasy i + na początku.'],
    ['an address over 500 characters', { correspondenceAddress: 'x'.repeat(501) }, 'correspondenceAddress', 'To pole może mieć najwyżej 500 znaków.'],
    ['an unknown language', { locale: 'de' }, 'locale', 'Nieprawidłowa wartość.'],
    ['an unknown landing page', { landingPage: 'elsewhere' }, 'landingPage', 'Nieprawidłowa wartość.'],
    ['an unknown text size', { textSize: 'huge' }, 'textSize', 'Nieprawidłowa wartość.'],
  ])('refuses %s with 422, the message and the values sent, and changes nothing', async (_case, overrides, field, message) => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    const before = await row(client.id);
    const sent: Record<string, string> = { ...valid, landingPage: 'last', ...overrides };
    const response = await saveProfile(agent, tenant, sent);
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, field)).toBe(message);
    expect(response.text).toContain(`name="email" type="email" value="${sent.email}"`);
    expect(response.text).toContain(`name="phone" type="tel" value="${sent.phone}"`);
    if (field !== 'correspondenceAddress') expect(response.text).toMatch(/>Anna Kowalska\r?\nul\. Długa 5\/7\r?\n00-950 Warszawa<\/textarea>/);
    if (field !== 'landingPage') expect(response.text).toContain('name="landingPage" value="last" checked');
    const after = await row(client.id);
    expect(after.updated_at).toBe(before.updated_at);
    expect(after.email).toBe(client.email);
  });

  it('asks anyone signed out to sign in first', async () => {
    const tenant = await makeTenant(env.db);
    const response = await request(env.app).get(form(tenant));
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/login?next=${encodeURIComponent(form(tenant))}`);
  });

  it('asks for the current password to change the e-mail address, and tells the old address', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    for (const currentPassword of ['', 'a wrong guess']) {
      const refused = await saveProfile(agent, tenant, { ...valid, email: 'thief@example.test', currentPassword });
      expect(refused.status).toBe(422);
      expect(fieldErrorOf(refused.text, 'currentPassword')).toBe('Aby zmienić adres e-mail, podaj obecne hasło.');
      expect(refused.text).not.toContain('a wrong guess');
      expect((await row(client.id)).email).toBe(client.email);
    }
    const saved = await saveProfile(agent, tenant, { ...valid, email: 'new.address@example.test', currentPassword: testPassword });
    expect(saved.status).toBe(303);
    expect((await row(client.id)).email).toBe('new.address@example.test');
    const notice = await env.db('outbox').where({ tenant_id: tenant.id, recipient: client.email, template: 'email-changed' }).first();
    expect(JSON.parse(notice.data)).toMatchObject({ login: client.login, email: 'new.address@example.test' });
  });

  it('saves the rest of the profile without the password when the e-mail stays', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    const response = await saveProfile(agent, tenant, { ...valid, email: client.email!, currentPassword: '', phone: '+48 601 000 000' });
    expect(response.status).toBe(303);
    expect((await row(client.id)).phone).toBe('+48 601 000 000');
  });
});
