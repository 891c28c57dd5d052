import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser } from '../support/factories.js';
import { signedInAgent, type Agent } from '../support/http.js';
import { makeTicket } from '../support/tickets.js';

/** Issue 20's page-weight targets, compressed as the app compresses (gzip, its default level). */
const budgets = { dashboardHtml: 30 * 1024, stylesAndScripts: 60 * 1024 };

const gzippedSize = (content: string | Buffer) => gzipSync(content).length;

/** Every address a page makes the browser fetch by itself: stylesheets, icons, scripts, pictures, frames, media. */
function fetchedAddressesOf(html: string): string[] {
  const tags = html.match(/<(link|script|img|iframe|source|video|audio|embed|object)\b[^>]*>/gi) ?? [];
  return tags.flatMap((tag) => [...tag.matchAll(/\b(?:href|src|srcset|data)="([^"]*)"/gi)].map((match) => match[1]!));
}

const isOwnOrigin = (address: string) => address.startsWith('/') && !address.startsWith('//');

describeOnEachDatabase('page weight', (env) => {
  async function clientWithTickets() {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { name: 'Łódzka Spółka Wodna sp. z o.o.', caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer, firstName: 'Zofia', lastName: 'Wiśniewska-Kowalczyk' });
    for (let index = 0; index < 12; index += 1) await makeTicket(env.db, tenant, client, { title: `Awaria numer ${index} w budynku przy ul. Świętokrzyskiej` });
    return { tenant, caretaker, client };
  }

  const pageOf = async (agent: Agent | ReturnType<typeof request>, path: string) => {
    const response = await agent.get(path);
    expect(response.status, path).toBe(200);
    return response.text;
  };

  it('keeps the signed-in client dashboard under 30 KB of compressed HTML, and its styles and scripts under 60 KB', async () => {
    const { tenant, client } = await clientWithTickets();
    const agent = await signedInAgent(env.app, tenant, client.login);
    const dashboard = await pageOf(agent, `/${tenant.slug}/portal`);
    expect(dashboard).toContain('Awaria numer');
    const html = gzippedSize(dashboard);
    expect(html, `dashboard: ${html} bytes gzipped`).toBeLessThanOrEqual(budgets.dashboardHtml);
    const assets = fetchedAddressesOf(dashboard).filter((address) => /\.(css|js)$/.test(address));
    expect(assets.length).toBeGreaterThan(0);
    let total = 0;
    for (const address of assets) total += gzippedSize(Buffer.from((await request(env.app).get(address)).text));
    expect(total, `styles and scripts: ${total} bytes gzipped`).toBeLessThanOrEqual(budgets.stylesAndScripts);
  });

  it('makes the browser fetch nothing from another origin on the public, client and staff pages', async () => {
    const { tenant, caretaker, client } = await clientWithTickets();
    const admin = await makeUser(env.db, tenant, 'admin');
    const pages: Array<[Agent | ReturnType<typeof request>, string]> = [
      [request(env.app), `/${tenant.slug}/login`],
      [request(env.app), `/${tenant.slug}/password-resets/new`],
      [await signedInAgent(env.app, tenant, client.login), `/${tenant.slug}/portal`],
      [await signedInAgent(env.app, tenant, caretaker.login), `/${tenant.slug}/staff`],
      [await signedInAgent(env.app, tenant, admin.login), `/${tenant.slug}/staff/customers`],
    ];
    for (const [agent, path] of pages) {
      const addresses = fetchedAddressesOf(await pageOf(agent, path));
      expect(addresses.length, path).toBeGreaterThan(0);
      expect(addresses.filter((address) => !isOwnOrigin(address)), path).toEqual([]);
    }
  });
});

it('finds the addresses a page fetches, and tells another origin’s from its own', () => {
  const html = '<link rel="stylesheet" href="/assets/a.css"><script src="https://cdn.example/x.js"></script><img src="//cdn.example/p.png" alt=""><a href="https://example.com">x</a>';
  expect(fetchedAddressesOf(html)).toEqual(['/assets/a.css', 'https://cdn.example/x.js', '//cdn.example/p.png']);
  expect(fetchedAddressesOf(html).map(isOwnOrigin)).toEqual([true, false, false]);
});
