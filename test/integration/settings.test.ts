import request from 'supertest';
import { expect, it } from 'vitest';
import { settingsInForce, settingsSetOn } from '../../src/models/settings.js';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { ConflictError } from '../../src/lib/errors.js';
import { changeTicketStatus, reopenTicket } from '../../src/models/ticket-workflow.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, userScope } from '../support/factories.js';
import { makeTicket } from '../support/tickets.js';
import { csrfTokenFrom, fieldErrorOf, formErrorOf, signedInAgent, submitSignIn, type Agent } from '../support/http.js';

const defaults = { portalAccess: 'on', autoCreateAccounts: 'on', landingPage: 'dashboard', ticketApproval: 'off', ticketVisibility: 'all', visibleSince: '', reopenDays: '14', caretakersWork: 'own', queueEmail: '', paymentApproval: 'other' };

/** What the page says is in force for one setting. */
function inForce(html: string, field: string): string | undefined {
  return new RegExp(`data-testid="in-force-${field}">([^<]*)<`).exec(html)?.[1];
}

function isChecked(html: string, field: string, value: string): boolean {
  return new RegExp(`id="field-${field}-${value}" name="${field}" value="${value}" checked`).test(html);
}

describeOnEachDatabase('tenant settings (A6, A7, D5)', (env) => {
  const page = (tenant: Tenant) => `/${tenant.slug}/admin/settings`;

  async function save(agent: Agent, tenant: Tenant, fields: Record<string, string>) {
    const token = await csrfTokenFrom(agent, page(tenant));
    return agent.post(page(tenant)).type('form').send({ _csrf: token, ...fields });
  }

  async function adminOf(tenant: Tenant) {
    const admin = await makeUser(env.db, tenant, 'admin');
    return signedInAgent(env.app, tenant, admin.login);
  }

  it('shows each setting with the value in force and that it is the default', async () => {
    const tenant = await makeTenant(env.db);
    const response = await (await adminOf(tenant)).get(page(tenant));
    expect(response.status).toBe(200);
    expect(inForce(response.text, 'portalAccess')).toBe('Obowiązuje: dla wszystkich klientów (wartość domyślna)');
    expect(inForce(response.text, 'autoCreateAccounts')).toBe('Obowiązuje: zakładaj automatycznie (wartość domyślna)');
    expect(inForce(response.text, 'landingPage')).toBe('Obowiązuje: pulpit (wartość domyślna)');
    expect(isChecked(response.text, 'portalAccess', 'on')).toBe(true);
    expect(response.text).toContain('<legend>Dostęp do portalu</legend>');
  });

  it('shows the ticket settings with their defaults: approval, visibility, the day it counts from, the days for reopening', async () => {
    const tenant = await makeTenant(env.db);
    const response = await (await adminOf(tenant)).get(page(tenant));
    for (const field of ['ticketApproval', 'ticketVisibility', 'visibleSince', 'reopenDays', 'caretakersWork']) expect(response.text, field).toContain(`name="${field}"`);
    expect(inForce(response.text, 'ticketApproval')).toBe('Obowiązuje: bez akceptacji (wartość domyślna)');
    expect(inForce(response.text, 'ticketVisibility')).toBe('Obowiązuje: wszystkie (wartość domyślna)');
    expect(inForce(response.text, 'reopenDays')).toBe('Obowiązuje: 14 dni (wartość domyślna)');
    expect(isChecked(response.text, 'reopenDays', '14')).toBe(true);
    expect(response.text).toContain('<legend>Wznawianie rozwiązanych zgłoszeń</legend>');
    expect(inForce(response.text, 'caretakersWork')).toBe('Obowiązuje: tylko własne zadania; cudze mogą przeglądać (wartość domyślna)');
  });

  it('saves what changed, shows it as set here, and records it in the audit log', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await adminOf(tenant);
    const response = await save(agent, tenant, { ...defaults, portalAccess: 'off', autoCreateAccounts: 'off', landingPage: 'last' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(page(tenant));

    const settings = await settingsInForce(scopeFor(env.db, tenant));
    expect(settings['portal.access']).toEqual({ value: 'off', source: { level: 'tenant', targetId: 0 } });
    expect(settings['accounts.auto_create']).toEqual({ value: 'off', source: { level: 'tenant', targetId: 0 } });
    expect(settings['account.landing_page']).toEqual({ value: 'last', source: { level: 'tenant', targetId: 0 } });

    const shown = await agent.get(page(tenant)).set('Accept-Language', 'en');
    expect(shown.text).toContain('The settings have been saved.');
    expect(inForce(shown.text, 'portalAccess')).toBe('In force: for selected customers only (set here)');
    expect(inForce(shown.text, 'landingPage')).toBe('In force: the last page visited (set here)');
    expect(isChecked(shown.text, 'landingPage', 'last')).toBe(true);
    const audit = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'settings.changed' });
    expect(audit).toHaveLength(1);
  });

  it('saves the ticket settings, which then apply to every customer without its own', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await adminOf(tenant);
    const response = await save(agent, tenant, { ...defaults, ticketApproval: 'mandatory', ticketVisibility: 'since', visibleSince: '2026-03-01', reopenDays: '30', caretakersWork: 'any' });
    expect(response.status).toBe(303);
    expect(await settingsSetOn(scopeFor(env.db, tenant), 'tenant')).toEqual({ 'tickets.approval': 'mandatory', 'tickets.visibility': 'since', 'tickets.visible_since': '2026-03-01', 'tickets.reopen_days': '30', 'tickets.caretakers_work': 'any' });
    const customer = await makeCustomer(env.db, tenant);
    const settings = await settingsInForce(scopeFor(env.db, tenant), { customerId: customer.id });
    expect(settings['tickets.approval']).toEqual({ value: 'mandatory', source: { level: 'tenant', targetId: 0 } });
    const shown = await agent.get(page(tenant)).set('Accept-Language', 'en');
    expect(inForce(shown.text, 'ticketApproval')).toBe('In force: mandatory approval (set here)');
    expect(inForce(shown.text, 'reopenDays')).toBe('In force: 30 days (set here)');
    // Another visibility clears the day it no longer needs.
    expect((await save(agent, tenant, { ...defaults, ticketApproval: 'mandatory', ticketVisibility: 'portal', visibleSince: '2026-03-01', reopenDays: '30', caretakersWork: 'any' })).status).toBe(303);
    expect(await settingsSetOn(scopeFor(env.db, tenant), 'tenant')).toEqual({ 'tickets.approval': 'mandatory', 'tickets.visibility': 'portal', 'tickets.reopen_days': '30', 'tickets.caretakers_work': 'any' });
  });

  it('applies the days for reopening set on the page: with none, a resolved ticket can no longer be reopened', async () => {
    const tenant = await makeTenant(env.db);
    expect((await save(await adminOf(tenant), tenant, { ...defaults, reopenDays: '0' })).status).toBe(303);
    const client = await makeUser(env.db, tenant, 'client');
    const ticket = await makeTicket(env.db, tenant, client);
    await changeTicketStatus(scopeFor(env.db, tenant), ticket.id, { to: 'resolved', version: ticket.version, mover: 'staff' });
    await expect(reopenTicket(userScope(env.db, client), ticket.id)).rejects.toThrow(ConflictError);
    const response = await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal/tickets/${ticket.id}`);
    expect(response.text).toContain('Rozwiązane');
  });

  it('refuses visibility since a day without the day, with 422 and the choices kept', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await adminOf(tenant);
    const response = await save(agent, tenant, { ...defaults, ticketApproval: 'optional', ticketVisibility: 'since', visibleSince: '' });
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'visibleSince')).toBe('Podaj dzień, od którego zgłoszenia są widoczne.');
    expect(isChecked(response.text, 'ticketApproval', 'optional')).toBe(true);
    expect(await settingsSetOn(scopeFor(env.db, tenant), 'tenant')).toEqual({});
  });

  it('leaves a value sent back unchanged where it came from: a default stays a default', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await adminOf(tenant);
    expect((await save(agent, tenant, { ...defaults, autoCreateAccounts: 'off' })).status).toBe(303);
    expect(await settingsSetOn(scopeFor(env.db, tenant), 'tenant')).toEqual({ 'accounts.auto_create': 'off' });
    const shown = await agent.get(page(tenant));
    expect(inForce(shown.text, 'portalAccess')).toBe('Obowiązuje: dla wszystkich klientów (wartość domyślna)');
    expect(inForce(shown.text, 'autoCreateAccounts')).toBe('Obowiązuje: nie zakładaj (ustawione tutaj)');
    // Saving the same form again writes nothing and logs nothing more.
    expect((await save(agent, tenant, { ...defaults, autoCreateAccounts: 'off' })).status).toBe(303);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'settings.changed' })).toHaveLength(1);
  });

  it.each([
    ['an unknown portal access value', { portalAccess: 'sometimes' }, 'portalAccess', 'Nieprawidłowa wartość.'],
    ['an unknown landing page', { landingPage: 'elsewhere' }, 'landingPage', 'Nieprawidłowa wartość.'],
    ['a missing landing page', { landingPage: undefined }, 'landingPage', 'Nieprawidłowa wartość.'],
  ])('refuses %s with 422, the message and the values sent, and saves nothing', async (_case, overrides, field, message) => {
    const tenant = await makeTenant(env.db);
    const agent = await adminOf(tenant);
    const fields = Object.fromEntries(Object.entries({ ...defaults, autoCreateAccounts: 'off', ...overrides }).filter(([, value]) => value !== undefined)) as Record<string, string>;
    const response = await save(agent, tenant, fields);
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, field)).toBe(message);
    expect(isChecked(response.text, 'autoCreateAccounts', 'off')).toBe(true);
    expect(await settingsSetOn(scopeFor(env.db, tenant), 'tenant')).toEqual({});
  });

  it('refuses a caretaker with 403 and saves nothing', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/staff`);
    const response = await agent.post(page(tenant)).type('form').send({ _csrf: token, ...defaults, portalAccess: 'off' });
    expect(response.status).toBe(403);
    expect(await settingsSetOn(scopeFor(env.db, tenant), 'tenant')).toEqual({});
  });

  it('keeps out clients of customers not switched on once the portal is for selected customers only', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    expect((await save(await adminOf(tenant), tenant, { ...defaults, portalAccess: 'off' })).status).toBe(303);
    const response = await submitSignIn(request.agent(env.app), tenant, client.login);
    expect(response.status).toBe(403);
    expect(formErrorOf(response.text)).toContain('Twoja firma nie ma dostępu do portalu.');
  });

  it('changes only its own tenant', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    await save(await adminOf(tenant), tenant, { ...defaults, portalAccess: 'off' });
    expect((await settingsInForce(scopeFor(env.db, other)))['portal.access']).toEqual({ value: 'on', source: { level: 'default', targetId: null } });
  });
});
