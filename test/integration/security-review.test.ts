import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, expect, it } from 'vitest';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, testPassword } from '../support/factories.js';
import { appBehindProxy, csrfTokenFrom, fieldErrorOf, signedInAgent, submitSignIn, uniqueClientAddress, postForm } from '../support/http.js';
import { customerFields, otherValidNip, submitNewCustomer, validNip } from './customers-helpers.js';

const attackersPassword = 'the attacker’s password 1';

/**
 * Security review of issue 14 (reviewer R1): each hole found, tried as an attacker would. The
 * holes the build already closed are tested beside their features.
 */
describeOnEachDatabase('security review of the customer layer (issue 14)', (env) => {
  let app: Express;
  beforeAll(() => {
    app = appBehindProxy(env.deps);
  });
  const visitor = () => request.agent(app).set('X-Forwarded-For', uniqueClientAddress());

  const post = postForm;

  /** The link of the latest message for an account, as the development mailbox's reader would copy it. */
  async function latestLinkFor(tenant: Tenant, userId: number, template: string): Promise<string> {
    const row = await env.db('outbox').where({ tenant_id: tenant.id, recipient_user_id: userId, template }).orderBy('id', 'desc').first();
    expect(row, `a ${template} message for user ${userId}`).toBeDefined();
    return new URL(String(JSON.parse(String(row.data)).link)).pathname;
  }

  async function setPasswordThrough(link: string) {
    const agent = visitor();
    const opened = await agent.get(link);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(opened.text)?.[1] ?? (await csrfTokenFrom(agent, link.split('/').slice(0, 2).join('/') + '/login'));
    return agent.post(link).type('form').send({ _csrf: csrf, newPassword: attackersPassword, passwordConfirmation: attackersPassword });
  }

  it('voids a caretaker’s reset link, read by an admin in the mailbox, once a superadmin promotes the caretaker', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const asAdmin = await signedInAgent(env.app, tenant, admin.login);
    // The admin may reset a caretaker's password and read the link: a caretaker ranks below an admin.
    const reset = await post(asAdmin, `/${tenant.slug}/admin/accounts/${caretaker.id}`, `/${tenant.slug}/admin/accounts/${caretaker.id}/password-reset`, {});
    expect(reset.status).toBe(303);
    const link = await latestLinkFor(tenant, caretaker.id, 'password-reset');
    expect((await asAdmin.get(`/${tenant.slug}/admin/mailbox`)).text).toContain(link);

    const asSuperadmin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const promoted = await post(asSuperadmin, `/${tenant.slug}/admin/accounts/${caretaker.id}`, `/${tenant.slug}/admin/accounts/${caretaker.id}/role`, { role: 'superadmin' });
    expect(promoted.status).toBe(303);
    expect((await env.db('users').where('id', caretaker.id).first()).role).toBe('superadmin');

    // The link the admin copied while the account ranked lower must not make the admin a superadmin.
    const used = await setPasswordThrough(link);
    expect(used.status).not.toBe(303);
    expect((await submitSignIn(visitor(), tenant, caretaker.login, attackersPassword)).status).not.toBe(303);
    expect((await submitSignIn(visitor(), tenant, caretaker.login, testPassword)).status).toBe(303);
  });

  it('voids the invitation of an invited caretaker promoted to admin, and invites again where other admins cannot read it', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const invited = await makeUser(env.db, tenant, 'caretaker', { password: null });
    const asAdmin = await signedInAgent(env.app, tenant, admin.login);
    const invitation = await post(asAdmin, `/${tenant.slug}/admin/accounts/${invited.id}`, `/${tenant.slug}/admin/accounts/${invited.id}/invitation`, {});
    expect(invitation.status).toBe(303);
    const link = await latestLinkFor(tenant, invited.id, 'staff-invitation');
    expect((await asAdmin.get(`/${tenant.slug}/admin/mailbox`)).text).toContain(link);

    const asSuperadmin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    expect((await post(asSuperadmin, `/${tenant.slug}/admin/accounts/${invited.id}`, `/${tenant.slug}/admin/accounts/${invited.id}/role`, { role: 'admin' })).status).toBe(303);

    expect((await setPasswordThrough(link)).status).not.toBe(303);
    expect((await env.db('users').where('id', invited.id).first()).password_hash).toBeNull();
    // The colleague still gets in: a new invitation, whose link an admin's mailbox hides.
    const fresh = await latestLinkFor(tenant, invited.id, 'staff-invitation');
    expect(fresh).not.toBe(link);
    const mailbox = (await asAdmin.get(`/${tenant.slug}/admin/mailbox`)).text;
    expect(mailbox).not.toContain(fresh);
    expect((await setPasswordThrough(fresh)).status).toBe(303);
  });

  it('asks again about a NIP another customer has when the box was ticked for a different NIP, and takes no bare “on” for a confirmation', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'admin')).login);
    for (const [name, nip] of [['Alfa', validNip], ['Beta', otherValidNip]] as const) {
      const holder = await makeCustomer(env.db, tenant, { name });
      await env.db('customers').where('id', holder.id).update({ tax_id: nip });
    }
    const customers = () => env.db('customers').where('tenant_id', tenant.id);
    // Alfa's NIP asked about and confirmed, but the form refused for another field: the box stays ticked for Alfa's NIP.
    const refused = await submitNewCustomer(agent, tenant, customerFields({ name: 'Gamma', taxId: validNip, sharedTaxIdConfirmed: `PL ${validNip}`, postalCode: 'zły' }));
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(new RegExp(`name="sharedTaxIdConfirmed" value="PL ${validNip}"[^>]* checked`));
    // The user then types Beta's NIP: the tick was for Alfa's, so Beta is named and nothing is saved.
    const switched = await submitNewCustomer(agent, tenant, customerFields({ name: 'Gamma', taxId: otherValidNip, sharedTaxIdConfirmed: `PL ${validNip}` }));
    expect(switched.status).toBe(422);
    expect(fieldErrorOf(switched.text, 'taxId')).toContain('Another customer already has this tax id');
    expect(switched.text).toMatch(/data-testid="shared-tax-id">[\s\S]*?>Beta<\/a>/);
    expect(switched.text).not.toMatch(/name="sharedTaxIdConfirmed"[^>]* checked/);
    // A forged “on” (the box's old value) confirms no number either.
    expect((await submitNewCustomer(agent, tenant, customerFields({ name: 'Gamma', taxId: otherValidNip, sharedTaxIdConfirmed: 'on' }))).status).toBe(422);
    expect(await customers()).toHaveLength(2);
    // Ticked for the NIP in the form (with or without its PL prefix), it is saved.
    expect((await submitNewCustomer(agent, tenant, customerFields({ name: 'Gamma', taxId: `PL ${otherValidNip}`, sharedTaxIdConfirmed: `PL ${otherValidNip}` }))).status).toBe(303);
    expect(await customers()).toHaveLength(3);
  });

  it('holds: a caretaker’s account edit ignores fields not on the form (role, customer, tenant, activity) and shows a script in a name as text', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const other = await makeCustomer(env.db, tenant);
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const form = `/${tenant.slug}/staff/customers/${customer.id}/accounts/${client.id}/details/edit`;
    const page = await agent.get(form);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    const script = '<script>alert(1)</script>';
    const saved = await post(agent, form, `/${tenant.slug}/staff/customers/${customer.id}/accounts/${client.id}/details`, {
      version, firstName: script, lastName: '=HYPERLINK("x")', email: client.email!, phone: '',
      role: 'superadmin', customerId: String(other.id), customer_id: String(other.id), tenant_id: '1', tenantId: '1', is_active: '0', isActive: '', login: 'taken-over', password_hash: 'x',
    });
    expect(saved.status).toBe(303);
    const row = await env.db('users').where('id', client.id).first();
    expect(row).toMatchObject({ role: 'client', customer_id: customer.id, tenant_id: tenant.id, login: client.login, first_name: script });
    expect(Boolean(row.is_active)).toBe(true);
    const shown = await agent.get(`/${tenant.slug}/staff/customers/${customer.id}/accounts`);
    expect(shown.text).not.toContain(script);
    expect(shown.text).toContain('&lt;script&gt;');
    // Another customer's client through this customer's path: 404, nothing written.
    const stranger = await makeUser(env.db, tenant, 'client', { customer: other });
    const refused = await post(agent, form, `/${tenant.slug}/staff/customers/${customer.id}/accounts/${stranger.id}/details`, { version: '1', firstName: 'Przejęte', lastName: '', email: '', phone: '' });
    expect(refused.status).toBe(404);
    expect((await env.db('users').where('id', stranger.id).first()).first_name).not.toBe('Przejęte');
  });
});
