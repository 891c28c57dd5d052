import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, type Agent } from '../support/http.js';
import { categoryId } from '../support/tickets.js';

const ticketIdFrom = (location: string | undefined) => Number(/\/tickets\/(\d+)$/.exec(location ?? '')?.[1]);

async function fileInPortal(agent: Agent, slug: string, fields: Record<string, string>) {
  const token = await csrfTokenFrom(agent, `/${slug}/portal/tickets/new`);
  return agent.post(`/${slug}/portal/tickets`).type('form').send({ _csrf: token, ...fields });
}

describeOnEachDatabase('filing a ticket', (env) => {
  it('files a client’s ticket, routes it to the caretaker and shows its number, status and handler', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Karolina', lastName: 'Zielińska' });
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const agent = await signedInAgent(env.app, tenant, client.login);
    const form = await agent.get(`/${tenant.slug}/portal/tickets/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Zgłoszenie awarii');
    const response = await fileInPortal(agent, tenant.slug, { categoryId: String(await categoryId(env.db, tenant)), title: 'Nie działa drukarka', description: 'Od rana.\r\nW biurze.', submissionKey: randomUUID() });
    expect(response.status).toBe(303);
    const id = ticketIdFrom(response.headers.location);
    const row = await env.db('tickets').where({ tenant_id: tenant.id, id }).first();
    expect(row).toMatchObject({ status: 'new', assignee_id: caretaker.id, filed_by: client.id, source: 'portal', description: 'Od rana.\nW biurze.' });
    const page = await agent.get(response.headers.location!);
    expect(page.text).toMatch(/\d{4}\/000001/);
    expect(page.text).toContain('Karolina Zielińska');
    expect(page.text).toContain('Zgłoszenie zostało przyjęte.');
    expect(page.text).toContain('Nowe');
  });

  it('refuses a missing title and category, a past day and an over-long text with 422, keeping what was typed', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    const missing = await fileInPortal(agent, tenant.slug, { categoryId: '', title: '', description: 'Opis, który zostaje' });
    expect(missing.status).toBe(422);
    expect(fieldErrorOf(missing.text, 'categoryId')).toBe('Wybierz kategorię zgłoszenia.');
    expect(fieldErrorOf(missing.text, 'title')).toBeTruthy();
    expect(missing.text).toContain('Opis, który zostaje');
    const category = String(await categoryId(env.db, tenant));
    const past = await fileInPortal(agent, tenant.slug, { categoryId: category, title: 'Serwis', description: 'x', preferredDate: '2020-01-01' });
    expect(past.status).toBe(422);
    expect(fieldErrorOf(past.text, 'preferredDate')).toBe('Preferowany dzień nie może być w przeszłości.');
    const long = await fileInPortal(agent, tenant.slug, { categoryId: category, title: 'T'.repeat(201), description: 'x' });
    expect(long.status).toBe(422);
    expect(fieldErrorOf(long.text, 'title')).toBeTruthy();
    const foreign = await fileInPortal(agent, tenant.slug, { categoryId: '999999', title: 'Obca kategoria', description: 'x' });
    expect(foreign.status).toBe(422);
    expect(await env.db('tickets').where('tenant_id', tenant.id)).toHaveLength(0);
  });

  it('files one ticket when the form is sent twice (a double click)', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    const fields = { categoryId: String(await categoryId(env.db, tenant)), title: 'Dwuklik', description: 'x', submissionKey: randomUUID() };
    const [one, two] = [await fileInPortal(agent, tenant.slug, fields), await fileInPortal(agent, tenant.slug, fields)];
    expect(one.headers.location).toBe(two.headers.location);
    expect(await env.db('tickets').where('tenant_id', tenant.id)).toHaveLength(1);
  });

  it('sends a ticket of a customer without a caretaker to the queue, where caretakers see it', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    await fileInPortal(agent, tenant.slug, { categoryId: String(await categoryId(env.db, tenant)), title: 'Do kolejki', description: 'x' });
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const queue = await (await signedInAgent(env.app, tenant, caretaker.login)).get(`/${tenant.slug}/staff/queue`);
    expect(queue.text).toContain('Do kolejki');
    expect(queue.text).toContain('Kolejka (jeszcze nieprzypisane)');
  });

  it('lets staff file a ticket on a customer’s behalf from the customer record', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const agent = await signedInAgent(env.app, tenant, caretaker.login);
    expect((await agent.get(`/${tenant.slug}/staff/customers/${customer.id}`)).text).toContain(`/${tenant.slug}/staff/customers/${customer.id}/tickets/new`);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/staff/customers/${customer.id}/tickets/new`);
    const response = await agent.post(`/${tenant.slug}/staff/customers/${customer.id}/tickets`).type('form').send({ _csrf: token, categoryId: String(await categoryId(env.db, tenant, 'question')), title: 'Telefon od klienta', description: 'Pyta o fakturę' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toMatch(/\/staff\/tickets\/\d+$/);
    const row = await env.db('tickets').where({ tenant_id: tenant.id, customer_id: customer.id }).first();
    expect(row).toMatchObject({ source: 'staff', filed_by: caretaker.id, assignee_id: caretaker.id });
  });
});
