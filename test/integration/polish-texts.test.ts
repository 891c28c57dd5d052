import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { expect, it } from 'vitest';
import { signedSessionCookie } from '../support/apps.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent } from '../support/http.js';
import { latestMailTo } from '../support/mail.js';

// The terms are those of "Polish terms" in docs/decisions.md; test/unit/polish-style.test.ts reads every message.
describeOnEachDatabase('texts and dates as Polish users read them (issue 14)', (env) => {
  /** A client of a new customer who has asked to change its street; the request made on 1 December 2026 at 13:05 UTC. */
  async function requestMadeOnTheFirstOfDecember() {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.' });
    await env.db('customers').where('id', customer.id).update({ street: 'ul. Stara 1', postal_code: '00-001', city: 'Warszawa', country: 'PL' });
    const client = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Anna', lastName: 'Nowak' });
    const agent = await signedInAgent(env.app, tenant, client.login);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/portal/company/change-requests/new`);
    const sent = await agent.post(`/${tenant.slug}/portal/company/change-requests`).type('form').send({ _csrf: token, street: 'ul. Nowa 2', postalCode: '00-001', city: 'Warszawa', country: 'PL' });
    expect(sent.status).toBe(303);
    await env.db('customer_change_requests').where('customer_id', customer.id).update({ created_at: '2026-12-01 13:05:00' });
    const { id } = await env.db('customer_change_requests').where('customer_id', customer.id).first();
    return { tenant, customer, agent, requestId: Number(id) };
  }

  it('writes a moment as 1.12.2026, 14:05 in the tenant’s time zone in Polish, and as 1 Dec 2026, 14:05 in English', async () => {
    const { tenant, agent, requestId } = await requestMadeOnTheFirstOfDecember();
    const polish = await agent.get(`/${tenant.slug}/portal/company`);
    expect(polish.text).toContain('Wniosek z 1.12.2026, 14:05 (Anna Nowak)');
    expect(polish.text).not.toMatch(/\d{1,2} (sty|lut|mar|kwi|maj|cze|lip|sie|wrz|paź|lis|gru) \d{4}/);
    const english = await agent.get(`/${tenant.slug}/portal/company`).set('Accept-Language', 'en');
    expect(english.text).toContain('Requested by Anna Nowak on 1 Dec 2026, 14:05');

    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const staffPage = await admin.get(`/${tenant.slug}/staff/change-requests/${requestId}`);
    expect(staffPage.status).toBe(200);
    expect(staffPage.text).toContain('<time datetime="2026-12-01T13:05:00.000Z">1.12.2026, 14:05</time>');
  });

  it('calls a change of the company’s data a „wniosek” on both sides, and names its author without a gendered form', async () => {
    const { tenant, customer } = await requestMadeOnTheFirstOfDecember();
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const list = await admin.get(`/${tenant.slug}/staff/change-requests`);
    expect(list.status).toBe(200);
    expect(list.text).toContain('<h1>Wnioski o zmianę danych klientów</h1>');
    expect(list.text).toContain('Autor wniosku');
    expect(list.text).not.toContain('Zgłosił(a)');
    expect(list.text).toContain(customer.name);
  });

  it('names the provider on the sign-in page without calling it „firma”', async () => {
    const tenant = await makeTenant(env.db, { name: 'Wodociągi Złotów sp. z o.o.' });
    const page = await request(env.app).get(`/${tenant.slug}/login`).set('Accept-Language', 'pl');
    expect(page.text).toContain('Wodociągi Złotów sp. z o.o. — portal klienta');
    expect(page.text).not.toContain('firmy Wodociągi');
  });

  it('calls the error page’s reference „Identyfikator błędu”, since „zgłoszenie” is a ticket', async () => {
    const tenant = await makeTenant(env.db);
    // A session row that cannot be read makes the store fail: a 500 nothing maps to a known status.
    const sessionId = `broken-${randomBytes(8).toString('hex')}`;
    await env.db('sessions').insert({ sid: sessionId, sess: '{not json', expires_at: '2999-01-01 00:00:00', tenant_id: tenant.id, user_id: null });
    try {
      const response = await request(env.app).get(`/${tenant.slug}/login`).set('Accept-Language', 'pl').set('Cookie', signedSessionCookie(sessionId, env.config.sessionSecret));
      expect(response.status).toBe(500);
      expect(response.text).toContain(`Identyfikator błędu: <code>${response.headers['x-request-id']}</code>`);
      expect(response.text).not.toContain('zgłoszenia');
    } finally {
      await env.db('sessions').where('sid', sessionId).delete();
    }
  });

  it('asks for a new password in an e-mail that reads as Polish, without „mamy nadzieję, że Ty”', async () => {
    const tenant = await makeTenant(env.db);
    const user = await makeUser(env.db, tenant, 'client');
    const visitor = request.agent(env.app);
    const token = await csrfTokenFrom(visitor, `/${tenant.slug}/password-resets/new`);
    expect((await visitor.post(`/${tenant.slug}/password-resets`).type('form').send({ _csrf: token, loginOrEmail: user.login })).status).toBe(303);
    const mail = await latestMailTo(env, user.email!);
    expect(mail.text).toContain(`Otrzymaliśmy prośbę o ustawienie nowego hasła do konta ${user.login}.`);
    expect(mail.text).toContain('Jeśli prośba nie pochodzi od Ciebie, zignoruj tę wiadomość: hasło pozostanie bez zmian.');
    expect(mail.text).not.toMatch(/mamy nadzieję|tutaj/);
  });
});
