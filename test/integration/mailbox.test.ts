import { expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { enqueueMail } from '../../src/models/outbox.js';
import type { Tenant } from '../../src/models/tenant.js';
import { toDatabaseTime } from '../../src/lib/time.js';
import { describeOnEachDatabase, testConfig } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor } from '../support/factories.js';
import { signedInAgent } from '../support/http.js';

describeOnEachDatabase('the development mailbox (issue 4, point 9)', (env) => {
  const mailbox = (tenant: Tenant) => `/${tenant.slug}/admin/mailbox`;

  /**
   * Queues a message the way the models do. Its job is put off till tomorrow in the same
   * transaction, so no test's job runner (they share the MySQL database) sends it while this test
   * looks at it: putting it off after the commit left a moment in which one did (seen in full runs).
   */
  async function queue(tenant: Tenant, mail: { to: string; locale: string; link?: string; recipientUserId?: number | null }, state: Record<string, unknown> = {}): Promise<number> {
    const recipientUserId = mail.recipientUserId === undefined ? (await makeUser(env.db, tenant, 'client')).id : mail.recipientUserId;
    const tomorrow = toDatabaseTime(new Date(Date.now() + 24 * 3600 * 1000));
    // Queued and put off in one transaction: no job runner sees the message's job before it waits for tomorrow.
    return env.db.transaction(async (trx) => {
      const id = await enqueueMail(scopeFor(trx, tenant), {
        to: mail.to,
        recipientUserId,
        locale: mail.locale,
        template: 'password-setup',
        data: { tenant: tenant.name, login: 'anna', link: mail.link ?? `https://ebok.example/${tenant.slug}/password-setup/abc` },
      });
      await trx('jobs').where({ tenant_id: tenant.id, kind: 'mail.send', status: 'pending' }).update({ run_at: tomorrow });
      await trx('outbox').where('id', id).update({ next_attempt_at: tomorrow, ...state });
      return id;
    });
  }

  async function adminAgent(tenant: Tenant) {
    return signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'admin')).login);
  }

  it('shows the tenant’s messages as their recipients read them, in their language, with links, status, attempts and the last error', async () => {
    const tenant = await makeTenant(env.db);
    const polish = await queue(tenant, { to: 'anna@example.test', locale: 'pl' });
    const english = await queue(tenant, { to: 'john@example.test', locale: 'en', link: 'https://ebok.example/x?a=1&b=2' }, { status: 'failed', attempts: 8, last_error: 'connect ECONNREFUSED 127.0.0.1:1' });
    const page = await (await adminAgent(tenant)).get(mailbox(tenant));
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<h2 id="mail-${polish}-subject" lang="pl">${tenant.name}: ustaw hasło do portalu</h2>`);
    expect(page.text).toContain(`<h2 id="mail-${english}-subject" lang="en">${tenant.name}: set your portal password</h2>`);
    expect(page.text).toContain('<dd>anna@example.test</dd>');
    expect(page.text).toContain(`<a href="https://ebok.example/${tenant.slug}/password-setup/abc">https://ebok.example/${tenant.slug}/password-setup/abc</a>`);
    expect(page.text).toContain('<a href="https://ebok.example/x?a=1&amp;b=2">https://ebok.example/x?a=1&amp;b=2</a>');
    expect(page.text).toContain(`data-testid="mail-${polish}-status">czeka w kolejce<`);
    expect(page.text).toContain(`data-testid="mail-${english}-status">nie udało się (wyczerpano próby)<`);
    expect(page.text).toContain(`data-testid="mail-${english}-error">connect ECONNREFUSED 127.0.0.1:1<`);
    expect(page.text).toContain('<dd>8</dd>');
    // Newest first.
    expect(page.text.indexOf(`mail-${english}-subject`)).toBeLessThan(page.text.indexOf(`mail-${polish}-subject`));
  });

  it('escapes what the messages carry instead of running it', async () => {
    const tenant = await makeTenant(env.db, { name: 'Acme <script>alert(1)</script>' });
    await queue(tenant, { to: 'anna@example.test', locale: 'pl', link: 'https://ebok.example/"><script>x</script>' });
    const page = await (await adminAgent(tenant)).get(mailbox(tenant));
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('Acme &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows only this tenant’s messages', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    await queue(other, { to: 'secret@other.test', locale: 'pl' });
    const page = await (await adminAgent(tenant)).get(mailbox(tenant));
    expect(page.text).not.toContain('secret@other.test');
    expect(page.text).toContain('Nie ma jeszcze żadnych wiadomości.');
  });

  it('shows the messages 20 to a page', async () => {
    const tenant = await makeTenant(env.db);
    for (let index = 1; index <= 23; index += 1) await queue(tenant, { to: `person${index}@example.test`, locale: 'pl' });
    const agent = await adminAgent(tenant);
    const first = await agent.get(mailbox(tenant));
    expect(first.text.match(/class="card mail"/g)).toHaveLength(20);
    expect(first.text).toContain('person23@example.test');
    expect(first.text).toContain('Strona 1 z 2');
    expect(first.text).toContain(`href="${mailbox(tenant)}?page=2"`);
    const second = await agent.get(`${mailbox(tenant)}?page=2`);
    expect(second.text.match(/class="card mail"/g)).toHaveLength(3);
    expect(second.text).toContain('<dd>person1@example.test</dd>');
  });

  it('is in the admins’ menu outside production, and not in a caretaker’s', async () => {
    const tenant = await makeTenant(env.db);
    expect((await (await adminAgent(tenant)).get(`/${tenant.slug}/admin`)).text).toContain(`href="${mailbox(tenant)}"`);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    expect((await agent.get(`/${tenant.slug}/staff`)).text).not.toContain(`href="${mailbox(tenant)}"`);
    expect((await agent.get(mailbox(tenant))).status).toBe(403);
  });

  it('does not exist in production: 404, and no menu entry', async () => {
    const production = createApp({ ...env.deps, config: testConfig({ NODE_ENV: 'production' }) });
    const tenant = await makeTenant(env.db);
    await queue(tenant, { to: 'anna@example.test', locale: 'pl' });
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(production, tenant, admin.login);
    const response = await agent.get(mailbox(tenant));
    expect(response.status).toBe(404);
    expect(response.text).not.toContain('anna@example.test');
    expect((await agent.get(`/${tenant.slug}/admin`)).text).not.toContain(`href="${mailbox(tenant)}"`);
  });

  it('does not exist while a mail server is set, even in development', async () => {
    const withSmtp = createApp({ ...env.deps, config: testConfig({ NODE_ENV: 'development', SMTP_URL: 'smtp://mail.example.test:587' }) });
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(withSmtp, tenant, admin.login);
    expect((await agent.get(mailbox(tenant))).status).toBe(404);
  });

  it('hides from an admin the links of messages to accounts as high as theirs, so no one takes over a superadmin', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const client = await makeUser(env.db, tenant, 'client');
    await queue(tenant, { to: tenant.superadmin.email!, locale: 'en', link: 'https://ebok.example/superadmin-reset', recipientUserId: tenant.superadmin.id });
    await queue(tenant, { to: client.email!, locale: 'en', link: 'https://ebok.example/client-invitation', recipientUserId: client.id });
    const asAdmin = await (await signedInAgent(env.app, tenant, admin.login)).get(mailbox(tenant));
    expect(asAdmin.text).toContain(tenant.superadmin.email!);
    expect(asAdmin.text).not.toContain('superadmin-reset');
    expect(asAdmin.text).toContain('client-invitation');
    const asSuperadmin = await (await signedInAgent(env.app, tenant, tenant.superadmin.login)).get(mailbox(tenant));
    expect(asSuperadmin.text).toContain('superadmin-reset');
  });
});
