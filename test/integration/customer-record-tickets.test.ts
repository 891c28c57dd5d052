import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser } from '../support/factories.js';
import { signedInAgent } from '../support/http.js';
import { makeTicket } from '../support/tickets.js';

/** The customer record lists the customer's tickets (T5): what staff see on it, and never another customer's. */
describeOnEachDatabase('the customer record’s tickets', (env) => {
  const sectionOf = (html: string) => /data-testid="customer-tickets">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';

  it('lists the latest changed tickets of the customer with their numbers and who handles them, and links to all of them past ten', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Karolina', lastName: 'Zielińska' });
    const customer = await makeCustomer(env.db, tenant, { name: 'Alfa', caretaker });
    const other = await makeCustomer(env.db, tenant, { name: 'Beta', caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const stranger = await makeUser(env.db, tenant, 'client', { customer: other });
    for (let index = 1; index <= 11; index += 1) await makeTicket(env.db, tenant, client, { title: `Sprawa ${index}` });
    await makeTicket(env.db, tenant, stranger, { title: 'Sprawa Bety' });

    const admin = await signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'admin')).login);
    const section = sectionOf((await admin.get(`/${tenant.slug}/staff/customers/${customer.id}`).set('Accept-Language', 'pl')).text);
    expect(section).toContain('Zgłoszenia klienta <span class="badge">11</span>');
    expect(section.match(/staff\/tickets\/\d+"/g)).toHaveLength(10);
    expect(section).toContain('Karolina Zielińska');
    expect(section).not.toContain('Sprawa Bety');
    expect(section).toContain(`/${tenant.slug}/admin/tasks?customer=${customer.id}&amp;status=all&amp;sort=updated-desc`);
    expect(section).toContain('Wszystkie zgłoszenia klienta (11)');

    const staff = await signedInAgent(env.app, tenant, caretaker.login);
    const empty = sectionOf((await staff.get(`/${tenant.slug}/staff/customers/${(await makeCustomer(env.db, tenant, { caretaker })).id}`).set('Accept-Language', 'en')).text);
    expect(empty).toContain('The customer has no tickets yet.');
  });
});
