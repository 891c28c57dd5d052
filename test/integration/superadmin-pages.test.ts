import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser } from '../support/factories.js';
import { signedInAgent } from '../support/http.js';

/** The menu's entries, each with whether it is marked as the current section. */
function menuOf(html: string): Array<{ href: string; isCurrent: boolean }> {
  const nav = html.split('<nav')[1]!.split('</nav>')[0]!;
  return [...nav.matchAll(/<a href="([^"]+)"( aria-current="page")?/g)].map((match) => ({ href: match[1]!, isCurrent: Boolean(match[2]) }));
}

describeOnEachDatabase('the superadmin’s pages are listed under Administration, which the menu marks', (env) => {
  it('lists the audit log and the failed jobs on the Administration page for a superadmin, not as menu entries', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);

    const page = await agent.get(`/${tenant.slug}/admin`).set('Accept-Language', 'pl');

    expect(page.status).toBe(200);
    const card = page.text.split('data-testid="superadmin-pages"')[1]!.split('</section>')[0]!;
    expect(card).toContain(`href="/${tenant.slug}/admin/audit-log">Dziennik zdarzeń</a>`);
    expect(card).toContain(`href="/${tenant.slug}/admin/jobs">Nieudane zadania</a>`);
    const menu = menuOf(page.text);
    expect(menu.map((item) => item.href)).not.toContain(`/${tenant.slug}/admin/audit-log`);
    expect(menu.filter((item) => item.isCurrent).map((item) => item.href)).toEqual([`/${tenant.slug}/admin`]);
  });

  it('marks Administration on the audit log and the failed jobs', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);

    for (const path of ['admin/audit-log', 'admin/jobs']) {
      const page = await agent.get(`/${tenant.slug}/${path}`);
      expect(page.status, path).toBe(200);
      expect(menuOf(page.text).filter((item) => item.isCurrent).map((item) => item.href), path).toEqual([`/${tenant.slug}/admin`]);
    }
  });

  it('shows an admin no superadmin’s pages', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(env.app, tenant, admin.login);

    const page = await agent.get(`/${tenant.slug}/admin`);

    expect(page.status).toBe(200);
    expect(page.text).not.toContain('data-testid="superadmin-pages"');
    expect(page.text).not.toContain('/admin/audit-log');
  });
});
