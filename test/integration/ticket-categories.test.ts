import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, renewConfigurationVersion, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, type Agent } from '../support/http.js';
import { categoryId, makeTicket } from '../support/tickets.js';

type Signed = { agent: Agent; csrfToken: string };

describeOnEachDatabase('ticket categories on the admins’ pages (issue 15, T1)', (env) => {
  const listPath = (tenant: TestTenant) => `/${tenant.slug}/admin/ticket-categories`;
  const categoryPath = (tenant: TestTenant, id: number) => `${listPath(tenant)}/${id}`;

  async function adminOf(tenant: TestTenant): Promise<Signed> {
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(env.app, tenant, admin.login);
    return { agent, csrfToken: await csrfTokenFrom(agent, listPath(tenant)) };
  }

  async function clientOf(tenant: TestTenant): Promise<Signed & { client: Awaited<ReturnType<typeof makeUser>> }> {
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const agent = await signedInAgent(env.app, tenant, client.login);
    return { agent, client, csrfToken: await csrfTokenFrom(agent, `/${tenant.slug}/portal/tickets/new`) };
  }

  const post = (actor: Signed, path: string, fields: Record<string, string> = {}) =>
    actor.agent.post(path).set('Accept-Language', 'en').type('form').send({ _csrf: actor.csrfToken, ...fields });
  const rowsOf = (tenant: TestTenant) => env.db('ticket_categories').where('tenant_id', tenant.id).orderBy('position').orderBy('id');
  const auditActions = async (tenant: TestTenant) => (await env.db('audit_log').where('tenant_id', tenant.id).where('action', 'like', 'ticket_category.%').orderBy('id')).map((row) => String(row.action));
  /** The values of the edit form as the page gives them (version and base included). */
  async function openedForm(actor: Signed, tenant: TestTenant, id: number): Promise<Record<string, string>> {
    const page = await actor.agent.get(`${categoryPath(tenant, id)}/edit`).set('Accept-Language', 'en');
    expect(page.status).toBe(200);
    return formOf(page.text);
  }
  /** The categories a client is offered on the new-ticket form, in order (English names). */
  async function offeredTo(client: Signed, tenant: TestTenant): Promise<string[]> {
    const form = await client.agent.get(`/${tenant.slug}/portal/tickets/new`).set('Accept-Language', 'en');
    const select = form.text.split('name="categoryId"')[1]!.split('</select>')[0]!;
    return [...select.matchAll(/<option value="\d+"[^>]*>([^<]*)<\/option>/g)].map((match) => match[1]!.trim());
  }

  it('lists the tenant’s categories in the clients’ order with how many tickets each has, and only to admins', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    await env.db('ticket_categories').where({ tenant_id: other.id, code: 'question' }).update({ name_en: 'Foreign question' });
    await renewConfigurationVersion(env.db, other);
    const { client } = await clientOf(tenant);
    await makeTicket(env.db, tenant, client);
    await makeTicket(env.db, tenant, client);
    const admin = await adminOf(tenant);

    const page = await admin.agent.get(listPath(tenant)).set('Accept-Language', 'en');

    expect(page.status).toBe(200);
    const names = ['Service order at a date and hour', 'Meeting request', 'Failure report', 'Question', 'Message to the office'];
    const positions = names.map((name) => page.text.indexOf(name));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(page.text).not.toContain('Foreign question');
    const failureRow = page.text.split(`data-category-id="${await categoryId(env.db, tenant, 'failure')}"`)[1]!.split('</tr>')[0]!;
    expect(failureRow).toMatch(/data-testid="ticket-count"[^>]*>\s*<span class="data-table__value">2</);
    // Administration leads to it; a caretaker is refused.
    expect((await admin.agent.get(`/${tenant.slug}/admin`)).text).toContain(`href="${listPath(tenant)}"`);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const caretakerAgent = await signedInAgent(env.app, tenant, caretaker.login);
    expect((await caretakerAgent.get(listPath(tenant))).status).toBe(403);
  });

  it('adds a category at the end of the list, which clients are offered at once, and records it', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await adminOf(tenant);
    const client = await clientOf(tenant);

    const response = await post(admin, listPath(tenant), { namePl: '  Reklamacja  ', nameEn: 'Complaint' });

    expect(response.status).toBe(303);
    const rows = await rowsOf(tenant);
    expect(rows.at(-1)).toMatchObject({ name_pl: 'Reklamacja', name_en: 'Complaint', code: 'custom' });
    expect(Boolean(rows.at(-1).is_active)).toBe(true);
    expect((await offeredTo(client, tenant)).at(-1)).toBe('Complaint');
    expect(await auditActions(tenant)).toEqual(['ticket_category.created']);
  });

  it('refuses an empty name and a name the tenant has (in any letter case) with 422, keeping what was typed', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await adminOf(tenant);

    const empty = await post(admin, listPath(tenant), { namePl: 'Reklamacja', nameEn: '  ' });
    expect(empty.status).toBe(422);
    expect(fieldErrorOf(empty.text, 'nameEn')).toBeDefined();
    expect(empty.text).toContain('value="Reklamacja"');

    const taken = await post(admin, listPath(tenant), { namePl: 'PYTANIE', nameEn: 'Other question' });
    expect(taken.status).toBe(422);
    expect(fieldErrorOf(taken.text, 'namePl')).toBe('A category of this name already exists (letter case does not matter). Choose another name.');
    expect(taken.text).toContain('value="Other question"');
    expect(await rowsOf(tenant)).toHaveLength(5);

    // Renaming into another category's name is refused the same way.
    const questionId = await categoryId(env.db, tenant, 'question');
    const form = await openedForm(admin, tenant, questionId);
    const rename = await post(admin, categoryPath(tenant, questionId), { ...form, nameEn: 'failure REPORT' });
    expect(rename.status).toBe(422);
    expect(fieldErrorOf(rename.text, 'nameEn')).toContain('already exists');
    expect(rename.text).toContain('value="failure REPORT"');
  });

  it('takes a category out of the offer: clients no longer see or file it, and its tickets keep showing it', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await adminOf(tenant);
    const client = await clientOf(tenant);
    const meetingId = await categoryId(env.db, tenant, 'meeting');
    const ticket = await makeTicket(env.db, tenant, client.client, { categoryId: meetingId });

    const form = await openedForm(admin, tenant, meetingId);
    expect(form.isActive).toBe('on');
    const { isActive: _offered, ...withdrawn } = form;
    const response = await post(admin, categoryPath(tenant, meetingId), { ...withdrawn, nameEn: 'Meeting at the office' });

    expect(response.status).toBe(303);
    expect(await offeredTo(client, tenant)).not.toContain('Meeting at the office');
    const filing = await post(client, `/${tenant.slug}/portal/tickets`, { categoryId: String(meetingId), title: 'Spotkanie', description: 'Proszę o spotkanie.' });
    expect(filing.status).toBe(422);
    const ticketPage = await client.agent.get(`/${tenant.slug}/portal/tickets/${ticket.id}`).set('Accept-Language', 'en');
    expect(ticketPage.text).toContain('Meeting at the office');
    const list = await admin.agent.get(listPath(tenant)).set('Accept-Language', 'en');
    expect(list.text.split(`data-category-id="${meetingId}"`)[1]!.split('</tr>')[0]).toContain('withdrawn');
    expect(await auditActions(tenant)).toEqual(['ticket_category.updated', 'ticket_category.deactivated']);
    const updated = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'ticket_category.updated' }).first();
    expect(JSON.parse(String(updated.details))).toEqual({ fields: ['nameEn'] });
  });

  it('keeps one category offered: withdrawing the last one is refused with 422', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await adminOf(tenant);
    const questionId = await categoryId(env.db, tenant, 'question');
    await env.db('ticket_categories').where('tenant_id', tenant.id).whereNot('id', questionId).update({ is_active: false });
    await renewConfigurationVersion(env.db, tenant);

    const { isActive: _offered, ...withdrawn } = await openedForm(admin, tenant, questionId);
    const response = await post(admin, categoryPath(tenant, questionId), withdrawn);

    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'isActive')).toContain('only offered category');
    expect(Boolean((await env.db('ticket_categories').where('id', questionId).first()).is_active)).toBe(true);
  });

  it('merges an edit into a change saved meanwhile (409): each admin’s field is kept, and nothing is written until saved again', async () => {
    const tenant = await makeTenant(env.db);
    const first = await adminOf(tenant);
    const second = await adminOf(tenant);
    const questionId = await categoryId(env.db, tenant, 'question');
    const firstForm = await openedForm(first, tenant, questionId);
    const secondForm = await openedForm(second, tenant, questionId);

    expect((await post(first, categoryPath(tenant, questionId), { ...firstForm, namePl: 'Pytanie ogólne' })).status).toBe(303);
    const conflict = await post(second, categoryPath(tenant, questionId), { ...secondForm, nameEn: 'General question' });

    expect(conflict.status).toBe(409);
    expect(conflict.text).toContain('data-testid="category-conflict"');
    expect(conflict.text).toContain('value="Pytanie ogólne"');
    expect(conflict.text).toContain('value="General question"');
    expect((await env.db('ticket_categories').where('id', questionId).first()).name_en).toBe('Question');

    const merged = formOf(conflict.text);
    expect((await post(second, categoryPath(tenant, questionId), merged)).status).toBe(303);
    const row = await env.db('ticket_categories').where('id', questionId).first();
    expect([row.name_pl, row.name_en, Number(row.version)]).toEqual(['Pytanie ogólne', 'General question', 3]);
  });

  it('shows both values when two admins changed the same name differently (409), and the same values sent twice count as saved', async () => {
    const tenant = await makeTenant(env.db);
    const first = await adminOf(tenant);
    const second = await adminOf(tenant);
    const questionId = await categoryId(env.db, tenant, 'question');
    const firstForm = await openedForm(first, tenant, questionId);
    const secondForm = await openedForm(second, tenant, questionId);

    expect((await post(first, categoryPath(tenant, questionId), { ...firstForm, nameEn: 'Enquiry' })).status).toBe(303);
    expect((await post(first, categoryPath(tenant, questionId), { ...firstForm, nameEn: 'Enquiry' })).status).toBe(303);
    const clash = await post(second, categoryPath(tenant, questionId), { ...secondForm, nameEn: 'Query' });

    expect(clash.status).toBe(409);
    const row = clash.text.split('data-testid="clash-nameEn"')[1]!.split('</tr>')[0]!;
    expect(row).toContain('Query');
    expect(row).toContain('Enquiry');
    expect((await env.db('ticket_categories').where('id', questionId).first()).name_en).toBe('Enquiry');
  });

  it('moves a category up and down the list clients choose from, and leaves the first where it is', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await adminOf(tenant);
    const client = await clientOf(tenant);
    const messageId = await categoryId(env.db, tenant, 'message');
    const serviceId = await categoryId(env.db, tenant, 'service_order');

    expect((await post(admin, `${categoryPath(tenant, messageId)}/position`, { direction: 'up' })).status).toBe(303);
    expect((await post(admin, `${categoryPath(tenant, serviceId)}/position`, { direction: 'down' })).status).toBe(303);
    // Meeting is first now: up leaves it there.
    expect((await post(admin, `${categoryPath(tenant, await categoryId(env.db, tenant, 'meeting'))}/position`, { direction: 'up' })).status).toBe(303);

    // The office message category keeps its place in the list, but is not offered in the ticket form (C1).
    expect(await offeredTo(client, tenant)).toEqual(['Meeting request', 'Service order at a date and hour', 'Failure report', 'Question']);
    expect((await rowsOf(tenant)).map((row) => Number(row.position))).toEqual([10, 20, 30, 40, 50]);
    expect(await auditActions(tenant)).toEqual(['ticket_category.moved', 'ticket_category.moved']);
    expect((await post(admin, `${categoryPath(tenant, messageId)}/position`, { direction: 'sideways' })).status).toBe(422);
  });

  it('deletes a category no ticket has, and answers 409 for one a ticket has, which stays', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await adminOf(tenant);
    const { client } = await clientOf(tenant);
    const failureId = await categoryId(env.db, tenant, 'failure');
    const questionId = await categoryId(env.db, tenant, 'question');
    await makeTicket(env.db, tenant, client, { categoryId: failureId });

    const edit = await admin.agent.get(`${categoryPath(tenant, failureId)}/edit`).set('Accept-Language', 'en');
    expect(edit.text).toContain('data-testid="category-in-use"');
    expect(edit.text).not.toContain('data-testid="delete-category"');
    const refused = await post(admin, `${categoryPath(tenant, failureId)}/deletion`);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('cannot be deleted');
    expect(await env.db('ticket_categories').where('id', failureId).first()).toBeDefined();

    expect((await post(admin, `${categoryPath(tenant, questionId)}/deletion`)).status).toBe(303);
    expect(await env.db('ticket_categories').where('id', questionId).first()).toBeUndefined();
    expect(await auditActions(tenant)).toEqual(['ticket_category.deleted']);
    expect((await admin.agent.get(`${categoryPath(tenant, questionId)}/edit`)).status).toBe(404);
  });

  it('hides another tenant’s category with a 404', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const admin = await adminOf(tenant);
    const foreignId = await categoryId(env.db, other, 'question');
    expect((await admin.agent.get(`${categoryPath(tenant, foreignId)}/edit`)).status).toBe(404);
    expect((await post(admin, `${categoryPath(tenant, foreignId)}/position`, { direction: 'up' })).status).toBe(404);
  });

  it('says so when the tenant has no categories', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await adminOf(tenant);
    await env.db('ticket_categories').where('tenant_id', tenant.id).delete();
    await renewConfigurationVersion(env.db, tenant);
    const page = await admin.agent.get(listPath(tenant)).set('Accept-Language', 'en');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-testid="categories-empty"');
    expect(page.text).toContain('There are no categories yet.');
  });
});

function decodeEntities(text: string): string {
  return text.replace(/&#34;|&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The values the edit form of a page holds (after a conflict: the merged values at the stored version). */
function formOf(html: string): Record<string, string> {
  const valueOf = (name: string) => decodeEntities(html.match(new RegExp(`name="${name}"[^>]*value="([^"]*)"`))?.[1] ?? '');
  const isActive = new RegExp('name="isActive"[^>]*checked').test(html);
  return { namePl: valueOf('namePl'), nameEn: valueOf('nameEn'), version: valueOf('version'), base: valueOf('base'), ...(isActive ? { isActive: 'on' } : {}) };
}
