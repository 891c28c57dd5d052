import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser } from '../support/factories.js';
import { signedInAgent } from '../support/http.js';

describeOnEachDatabase('administration pages', (env) => {
  it('shows an admin the numbers of their own tenant only', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin', { firstName: 'Ada' });
    await makeCustomer(env.db, tenant);
    await makeUser(env.db, tenant, 'client');
    await makeUser(env.db, other, 'client');
    await makeUser(env.db, other, 'client');
    const agent = await signedInAgent(env.app, tenant, admin.login);
    const page = await agent.get(`/${tenant.slug}/admin`).set('Accept-Language', 'en');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ada');
    // Two customers: the one made here and the client's own; one client; owner and admin on staff.
    expect(page.text).toMatch(/data-testid="count-customers">2 of 2 active</);
    expect(page.text).toMatch(/data-testid="count-clients">1</);
    expect(page.text).toMatch(/data-testid="count-staff">2</);
  });

  it('lists sign-ins and account events in the superadmin audit log, newest first', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    await signedInAgent(env.app, tenant, client.login);
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = await agent.get(`/${tenant.slug}/admin/audit-log`).set('Accept-Language', 'en');
    expect(page.status).toBe(200);
    const rows = page.text.split('<tr role="row">').slice(2);
    expect(rows[0]).toContain(tenant.superadmin.login);
    expect(rows[0]).toContain('Signed in');
    expect(page.text).toContain(client.login);
    expect(page.text).toContain('Account created');
    expect(page.text).toContain('Provider portal created');
  });

  it('pages the audit log fifty entries at a time', async () => {
    const tenant = await makeTenant(env.db);
    const rows = Array.from({ length: 60 }, (_, index) => ({
      tenant_id: tenant.id,
      action: 'user.signed_in',
      subject_type: 'user',
      subject_id: tenant.superadmin.id,
      ip: `10.0.0.${index}`,
      created_at: '2026-01-01 10:00:00',
    }));
    await env.db('audit_log').insert(rows);
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const first = await agent.get(`/${tenant.slug}/admin/audit-log`).set('Accept-Language', 'en');
    expect(first.text.split('<tr role="row">').length - 2).toBe(50);
    expect(first.text).toContain('Page 1 of 2');
    const second = await agent.get(`/${tenant.slug}/admin/audit-log?page=2`).set('Accept-Language', 'en');
    expect(second.status).toBe(200);
    expect(second.text).toContain('Page 2 of 2');
    expect(second.text.split('<tr role="row">').length - 2).toBeGreaterThan(0);
    const nonsense = await agent.get(`/${tenant.slug}/admin/audit-log?page=abc`).set('Accept-Language', 'en');
    expect(nonsense.status).toBe(200);
    expect(nonsense.text).toContain('Page 1 of 2');
  });

  it('never shows another tenant’s events in the audit log', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const stranger = await makeUser(env.db, other, 'caretaker', { login: `stranger-${other.slug}` });
    await signedInAgent(env.app, other, stranger.login);
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = await agent.get(`/${tenant.slug}/admin/audit-log`);
    expect(page.text).not.toContain(stranger.login);
  });

  it('refuses the audit log to an admin who is not a superadmin', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(env.app, tenant, admin.login);
    const page = await agent.get(`/${tenant.slug}/admin/audit-log`);
    expect(page.status).toBe(403);
  });
});
