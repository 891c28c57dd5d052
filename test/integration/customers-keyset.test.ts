import { expect, it } from 'vitest';
import { toDatabaseTime } from '../../src/lib/time.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, type TestTenant } from '../support/factories.js';
import { signedInAgent, type Agent } from '../support/http.js';
import { insertInBatches } from '../support/page-data.js';
import { listedNames } from './customers-helpers.js';

describeOnEachDatabase('customers: keyset pages of the staff list (issue 20)', (env) => {
  const linkOf = (html: string, rel: 'next' | 'prev') => new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1]?.replace(/&amp;/g, '&');

  /** Customers written straight into the table: equal names and towns, some without a town, registered in a few seconds. */
  async function tenantWith(count: number): Promise<{ tenant: TestTenant; agent: Agent }> {
    const tenant = await makeTenant(env.db);
    const base = Date.parse('2026-11-01T10:00:00Z');
    await insertInBatches(
      env.db,
      'customers',
      Array.from({ length: count }, (_, index) => ({
        tenant_id: tenant.id,
        name: `${index % 3 === 0 ? 'alfa' : 'Beta'} ${String(index % 7).padStart(2, '0')}`,
        city: index % 4 === 0 ? null : `Miasto ${index % 5}`,
        is_active: true,
        tax_country: 'PL',
        country: 'PL',
        created_at: toDatabaseTime(new Date(base + (index % 9) * 1000)),
        updated_at: toDatabaseTime(new Date(base)),
      })),
    );
    const agent = await signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'admin')).login);
    return { tenant, agent };
  }

  async function walk(agent: Agent, start: string, rel: 'next' | 'prev'): Promise<Array<{ ids: string[]; text: string }>> {
    const pages: Array<{ ids: string[]; text: string }> = [];
    let url: string | undefined = start;
    while (url && pages.length < 20) {
      const response = await agent.get(url).set('Accept-Language', 'en');
      expect(response.status).toBe(200);
      pages.push({ ids: [...response.text.matchAll(/href="[^"]*\/staff\/customers\/(\d+)"/g)].map((match) => match[1]!), text: response.text });
      url = linkOf(response.text, rel);
    }
    return pages;
  }

  it('walks every sort forwards and back through pages that neither repeat nor skip a customer, equal values and missing towns included', async () => {
    const { tenant, agent } = await tenantWith(60);
    for (const sort of ['name-asc', 'name-desc', 'city-asc', 'city-desc', 'created-asc', 'created-desc']) {
      const forwards = await walk(agent, `/${tenant.slug}/staff/customers?sort=${sort}`, 'next');
      expect(forwards.map((page) => page.ids.length)).toEqual([25, 25, 10]);
      const seen = forwards.flatMap((page) => page.ids);
      expect(new Set(seen).size).toBe(60);
      expect(forwards[2]!.text).toContain('Page 3 of 3');
      const backwards = await walk(agent, linkOf(forwards[1]!.text, 'next')!, 'prev');
      expect(backwards.map((page) => page.ids)).toEqual(forwards.map((page) => page.ids).reverse());
      expect(linkOf(backwards[2]!.text, 'prev')).toBeUndefined();
    }
    const byName = await walk(agent, `/${tenant.slug}/staff/customers?sort=name-asc`, 'next');
    const names = byName.flatMap((page) => listedNames(page.text));
    expect(names).toEqual([...names].sort((left, right) => left.localeCompare(right, 'en', { sensitivity: 'base' })));
  });

  it('counts up to 1,000 customers and says "more than" past them, the next page still one link away', async () => {
    const { tenant, agent } = await tenantWith(1010);
    const first = await agent.get(`/${tenant.slug}/staff/customers`);
    expect(first.text).toMatch(/Znaleziono ponad 1\s?000 klientów/);
    expect(first.text).toContain('Strona 1<');
    const english = await agent.get(`/${tenant.slug}/staff/customers`).set('Accept-Language', 'en');
    expect(english.text).toContain('More than 1,000 customers found');
    const second = await agent.get(linkOf(first.text, 'next')!);
    expect(second.text).toContain('Strona 2<');
    expect(linkOf(second.text, 'prev')).toBe(`/${tenant.slug}/staff/customers`);
  });
});
