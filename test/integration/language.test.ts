import request from 'supertest';
import { expect, it } from 'vitest';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, testPassword } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent, submitSignIn, type Agent } from '../support/http.js';

/** The <html> element's language and text-size class. */
function htmlOf(page: string): { lang?: string; textSize?: string } {
  const match = /<html lang="([^"]*)" class="text-([^"]*)">/.exec(page);
  return { lang: match?.[1], textSize: match?.[2] };
}

describeOnEachDatabase('language and text size', (env) => {
  async function choose(agent: Agent, tenant: Tenant, form: 'language' | 'text-size', fields: Record<string, string>, from = `/${tenant.slug}/login`) {
    const token = await csrfTokenFrom(agent, from);
    return agent.post(`/${tenant.slug}/${form}`).type('form').send({ _csrf: token, ...fields });
  }

  const userRow = (id: number) => env.db('users').where('id', id).first();

  it('speaks the tenant’s default language to a browser that names none', async () => {
    const english = await makeTenant(env.db, { defaultLocale: 'en' });
    const polish = await makeTenant(env.db, { defaultLocale: 'pl' });
    const inEnglish = await request(env.app).get(`/${english.slug}/login`);
    expect(htmlOf(inEnglish.text).lang).toBe('en');
    expect(inEnglish.text).toContain('<h1 id="sign-in-heading">Sign in</h1>');
    const inPolish = await request(env.app).get(`/${polish.slug}/login`);
    expect(htmlOf(inPolish.text).lang).toBe('pl');
    expect(inPolish.text).toContain('<h1 id="sign-in-heading">Zaloguj się</h1>');
  });

  it.each([
    ['pl', 'en', 'en'],
    ['en', 'pl', 'pl'],
    ['pl', 'de-DE, en;q=0.8', 'en'],
    ['en', 'de-DE, fr', 'en'],
  ])('for a %s tenant and a browser asking for "%s", speaks %s', async (defaultLocale, accepted, expected) => {
    const tenant = await makeTenant(env.db, { defaultLocale });
    const page = await request(env.app).get(`/${tenant.slug}/login`).set('Accept-Language', accepted);
    expect(htmlOf(page.text).lang).toBe(expected);
  });

  it('keeps an anonymous visitor’s choice of language in a cookie, over the browser’s', async () => {
    const tenant = await makeTenant(env.db);
    const agent = request.agent(env.app).set('Accept-Language', 'pl');
    const response = await choose(agent, tenant, 'language', { locale: 'en', returnTo: `/${tenant.slug}/login` });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/login`);
    const page = await agent.get(`/${tenant.slug}/login`);
    expect(htmlOf(page.text).lang).toBe('en');
    expect(page.text).toContain('<h1 id="sign-in-heading">Sign in</h1>');
    const stranger = await request(env.app).get(`/${tenant.slug}/login`).set('Accept-Language', 'pl');
    expect(htmlOf(stranger.text).lang).toBe('pl');
  });

  it('saves a signed-in user’s language on the account, where it beats the browser in every later session', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, user.login);
    const response = await choose(agent, tenant, 'language', { locale: 'en', returnTo: `/${tenant.slug}/portal` }, `/${tenant.slug}/portal`);
    expect(response.headers.location).toBe(`/${tenant.slug}/portal`);
    expect((await userRow(user.id)).locale).toBe('en');
    const page = await agent.get(`/${tenant.slug}/portal`).set('Accept-Language', 'pl');
    expect(htmlOf(page.text).lang).toBe('en');
    const later = request.agent(env.app).set('Accept-Language', 'pl');
    await submitSignIn(later, tenant, user.login, testPassword);
    expect(htmlOf((await later.get(`/${tenant.slug}/portal`)).text).lang).toBe('en');
  });

  it('remembers larger text for a visitor in a cookie and for a user on the account', async () => {
    const tenant = await makeTenant(env.db);
    const visitor = request.agent(env.app);
    expect(htmlOf((await visitor.get(`/${tenant.slug}/login`)).text).textSize).toBe('default');
    expect((await choose(visitor, tenant, 'text-size', { textSize: 'larger' })).status).toBe(303);
    expect(htmlOf((await visitor.get(`/${tenant.slug}/login`)).text).textSize).toBe('larger');

    const user = await makeUser(env.db, tenant, 'caretaker');
    const member = await signedInAgent(env.app, tenant, user.login);
    await choose(member, tenant, 'text-size', { textSize: 'larger' }, `/${tenant.slug}/staff`);
    expect((await userRow(user.id)).text_size).toBe('larger');
    const later = await signedInAgent(env.app, tenant, user.login);
    expect(htmlOf((await later.get(`/${tenant.slug}/staff`)).text).textSize).toBe('larger');
  });

  it('changes nothing for a language or text size it does not offer', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const member = await signedInAgent(env.app, tenant, user.login);
    const portal = `/${tenant.slug}/portal`;
    for (const [form, fields] of [
      ['language', { locale: 'de' }],
      ['language', { locale: '' }],
      ['text-size', { textSize: 'huge' }],
    ] as const) {
      const response = await choose(member, tenant, form, { ...fields, returnTo: portal }, portal);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(portal);
    }
    const row = await userRow(user.id);
    expect(row.locale).toBeNull();
    expect(row.text_size).toBe('default');
    expect(htmlOf((await member.get(portal)).text)).toEqual({ lang: 'pl', textSize: 'default' });

    const visitor = request.agent(env.app);
    await choose(visitor, tenant, 'language', { locale: 'xx' });
    await choose(visitor, tenant, 'text-size', { textSize: 'gigantic' });
    expect(htmlOf((await visitor.get(`/${tenant.slug}/login`)).text)).toEqual({ lang: 'pl', textSize: 'default' });
  });

  it('returns to a page of the same tenant after a choice', async () => {
    const tenant = await makeTenant(env.db);
    const response = await choose(request.agent(env.app), tenant, 'language', { locale: 'en', returnTo: `/${tenant.slug}/login?next=%2Fx` });
    expect(response.headers.location).toBe(`/${tenant.slug}/login?next=%2Fx`);
  });

  it('returns to the tenant’s own home instead of another site or another tenant', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const elsewhere = [
      'https://evil.example/',
      '//evil.example/login',
      '/\\evil.example',
      `/${other.slug}/login`,
      `/${tenant.slug}-evil/login`,
      `/${tenant.slug}//evil.example`,
      'javascript:alert(1)',
    ];
    for (const returnTo of elsewhere) {
      for (const form of ['language', 'text-size'] as const) {
        const fields: Record<string, string> = form === 'language' ? { locale: 'en', returnTo } : { textSize: 'larger', returnTo };
        const response = await choose(request.agent(env.app), tenant, form, fields);
        expect(response.status, returnTo).toBe(303);
        expect(response.headers.location, `${form} ${returnTo}`).toBe(`/${tenant.slug}`);
      }
    }
  });

  it('shows the sign-in page after sign-out in the language the user chose, not the browser’s', async () => {
    const tenant = await makeTenant(env.db, { defaultLocale: 'pl' });
    const user = await makeUser(env.db, tenant, 'client', { locale: 'en' });
    const agent = await signedInAgent(env.app, tenant, user.login);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/portal`);
    const signedOut = await agent.post(`/${tenant.slug}/logout`).set('Accept-Language', 'pl').type('form').send({ _csrf: token });
    const page = await agent.get(signedOut.headers.location!).set('Accept-Language', 'pl');
    expect(htmlOf(page.text).lang).toBe('en');
    expect(page.text).toContain('You have signed out.');
    expect(await env.db('sessions').where('user_id', user.id).first()).toBeUndefined();
  });

  it('ignores a ?lang= address of an unknown language', async () => {
    const tenant = await makeTenant(env.db, { defaultLocale: 'pl' });
    const page = await request(env.app).get(`/${tenant.slug}/login?lang=xx`);
    expect(htmlOf(page.text).lang).toBe('pl');
  });
});
