import { expect, it } from 'vitest';
import { toDatabaseTime } from '../../src/lib/time.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent, type Agent } from '../support/http.js';

const daysAgo = (days: number) => toDatabaseTime(new Date(Date.now() - days * 86_400_000));

/** The state badge of an account's row in a list, or of its page. */
function stateIn(html: string): string | undefined {
  return html.match(/data-testid="account-state"[^>]*>([^<]*)</)?.[1]?.trim();
}

describeOnEachDatabase('account states: an invitation sent or expired, and a client’s flags on the account page', (env) => {
  async function adminOf(tenant: TestTenant): Promise<Agent> {
    const admin = await makeUser(env.db, tenant, 'admin');
    return signedInAgent(env.app, tenant, admin.login);
  }

  async function invitedClient(tenant: TestTenant, invitedDaysAgo: number, customer = undefined as Awaited<ReturnType<typeof makeCustomer>> | undefined) {
    const client = await makeUser(env.db, tenant, 'client', { customer, password: null });
    await env.db('users').where('id', client.id).update({ invited_at: daysAgo(invitedDaysAgo) });
    return client;
  }

  it('shows “invitation expired” on the account page once the last invitation is past its lifetime, with the resend action', async () => {
    const tenant = await makeTenant(env.db);
    const expired = await invitedClient(tenant, 8);
    const fresh = await invitedClient(tenant, 1);
    const agent = await adminOf(tenant);

    const expiredPage = await agent.get(`/${tenant.slug}/admin/accounts/${expired.id}`).set('Accept-Language', 'pl');
    const freshPage = await agent.get(`/${tenant.slug}/admin/accounts/${fresh.id}`).set('Accept-Language', 'en');

    expect(stateIn(expiredPage.text)).toBe('zaproszenie wygasło');
    expect(expiredPage.text).toContain(`/admin/accounts/${expired.id}/invitation`);
    expect(stateIn(freshPage.text)).toBe('invitation sent');
  });

  it('filters the accounts panel by invitation state, and an account waiting for its invitation is not “active”', async () => {
    const tenant = await makeTenant(env.db);
    const expired = await invitedClient(tenant, 8);
    const fresh = await invitedClient(tenant, 1);
    const agent = await adminOf(tenant);
    const ids = async (state: string) => {
      const page = await agent.get(`/${tenant.slug}/admin/accounts?state=${state}`).set('Accept-Language', 'en');
      expect(page.status).toBe(200);
      return [...page.text.matchAll(/data-account-id="(\d+)"/g)].map((match) => Number(match[1]));
    };

    expect(await ids('invitationExpired')).toEqual([expired.id]);
    expect(await ids('invited')).toEqual([fresh.id]);
    const active = await ids('active');
    expect(active).not.toContain(expired.id);
    expect(active).not.toContain(fresh.id);
    expect(active).toContain(tenant.superadmin.id);
  });

  it('shows “invitation expired” on the customer’s Accounts tab and sends the invitation again from there', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant);
    const expired = await invitedClient(tenant, 8, customer);
    const agent = await adminOf(tenant);
    const tab = `/${tenant.slug}/staff/customers/${customer.id}/accounts`;

    const page = await agent.get(tab).set('Accept-Language', 'en');
    const row = page.text.split(`data-login="${expired.login}"`)[1]!.split('</tr>')[0]!;
    expect(stateIn(row)).toBe('invitation expired');
    expect(row).toContain(`/staff/customers/${customer.id}/accounts/${expired.id}/invitation`);

    const resent = await agent
      .post(`/${tenant.slug}/staff/customers/${customer.id}/accounts/${expired.id}/invitation`)
      .type('form')
      .send({ _csrf: await csrfTokenFrom(agent, tab) });
    expect(resent.status).toBe(303);
    const after = await agent.get(tab).set('Accept-Language', 'en');
    expect(stateIn(after.text.split(`data-login="${expired.login}"`)[1]!.split('</tr>')[0]!)).toBe('invitation sent');
  });

  it('shows a client account’s primary-contact and approver flags on its page in the accounts panel', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant);
    const flagged = await makeUser(env.db, tenant, 'client', { customer });
    await env.db('users').where('id', flagged.id).update({ is_primary_contact: true, is_approver: true });
    const plain = await makeUser(env.db, tenant, 'client', { customer });
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const agent = await adminOf(tenant);
    const rolesOf = async (userId: number, language: string) => {
      const page = await agent.get(`/${tenant.slug}/admin/accounts/${userId}`).set('Accept-Language', language);
      return page.text.match(/data-testid="account-roles-at-customer">([^<]*)</)?.[1];
    };

    expect(await rolesOf(flagged.id, 'pl')).toBe('główny kontakt, akceptuje zgłoszenia');
    expect(await rolesOf(flagged.id, 'en')).toBe('primary contact, approver');
    expect(await rolesOf(plain.id, 'en')).toBe('—');
    expect(await rolesOf(caretaker.id, 'en')).toBeUndefined();
  });
});
