import type { Knex } from 'knex';
import { expect, it } from 'vitest';
import { ForbiddenError } from '../../src/lib/errors.js';
import { verifyAuditChain } from '../../src/models/audit-verification.js';
import { ownedTables, references } from '../../src/models/purge-plan.js';
import { saveSettings } from '../../src/models/settings.js';
import { describeOnEachDatabase, type TestEnvironment } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor, userScope, type TestTenant } from '../support/factories.js';
import { fieldErrorOf, postForm, signedInAgent, type Agent } from '../support/http.js';
import { makeRichCustomer, rowCounts, schemaColumns, type RichCustomer } from '../support/purge.js';

/** The entities whose rows a purge of a customer removes, as the tables other rows point at them. */
const purgedEntityTables = ['customers', 'users', 'tickets', 'ticket_messages', 'documents', 'ledger_entries', 'stored_files'];

/** Columns that tie a row to a customer or an account by their name alone (no foreign key: sessions, outbox). */
const isCustomerOrAccountColumn = (column: string) => /(^|_)(customer|user)_id$/.test(column);

type Desk = { tenant: TestTenant; data: RichCustomer; superadmin: Agent; secondSuperadmin: Agent; admin: Agent };

/** A tenant with a rich customer, its owner signed in, a second superadmin and an admin. */
async function purgeDesk(env: TestEnvironment, options: { requiresApproval?: boolean; isActive?: boolean } = {}): Promise<Desk> {
  const tenant = await makeTenant(env.db);
  const data = await makeRichCustomer(env.db, tenant, { isActive: options.isActive });
  if (options.requiresApproval === false) await saveSettings(scopeFor(env.db, tenant), 'tenant', 0, { 'purge.requires_approval': 'off' });
  const second = await makeUser(env.db, tenant, 'superadmin');
  const admin = await makeUser(env.db, tenant, 'admin');
  return {
    tenant,
    data,
    superadmin: await signedInAgent(env.app, tenant, tenant.superadmin.login),
    secondSuperadmin: await signedInAgent(env.app, tenant, second.login),
    admin: await signedInAgent(env.app, tenant, admin.login),
  };
}

const requestsOf = (db: Knex, tenant: TestTenant) => db('purge_requests').where('tenant_id', tenant.id).orderBy('id');
const auditOf = (db: Knex, tenant: TestTenant, action: string) => db('audit_log').where({ tenant_id: tenant.id, action }).orderBy('sequence');

/** Asks for the customer's purge through its confirmation page, typing `typed`. */
function askForCustomerPurge(agent: Agent, desk: Pick<Desk, 'tenant' | 'data'>, typed: string) {
  const base = `/${desk.tenant.slug}/admin/purge-requests/customers/${desk.data.customer.id}`;
  return postForm(agent, `${base}/new`, base, { confirmation: typed });
}

async function approve(agent: Agent, tenant: TestTenant, requestId: number, version = 1) {
  const page = `/${tenant.slug}/admin/purge-requests/${requestId}`;
  return postForm(agent, page, `${page}/approval`, { version: String(version) });
}

/** Every row, in every table of the schema, that still names the purged customer or one of its accounts, tickets or entries. */
async function leftovers(db: Knex, tenant: TestTenant, ids: Record<string, number[]>): Promise<string[]> {
  const found: string[] = [];
  const columns = await schemaColumns(db);
  for (const { table, column, references: target } of columns) {
    const purged = column === 'customer_id' ? ids.customers : /(^|_)user_id$/.test(column) ? ids.users : target ? ids[target] : undefined;
    if (!purged || purged.length === 0 || table === 'audit_log') continue;
    const hasTenant = columns.some((other) => other.table === table && other.column === 'tenant_id');
    const query = db(table).whereIn(column, purged);
    if (hasTenant) query.where('tenant_id', tenant.id);
    const count = Number((await query.count({ count: '*' }).first())?.count ?? 0);
    if (count > 0) found.push(`${table}.${column}: ${count}`);
  }
  for (const [table, values] of Object.entries(ids)) {
    const count = Number((await db(table).where('tenant_id', tenant.id).whereIn('id', values).count({ count: '*' }).first())?.count ?? 0);
    if (count > 0) found.push(`${table}.id: ${count}`);
  }
  return found;
}

/** The ids of the customer's rows in the tables others point at, read before the purge. */
async function idsOfCustomer(db: Knex, tenant: TestTenant, data: RichCustomer): Promise<Record<string, number[]>> {
  const ids = async (query: Knex.QueryBuilder) => (await query.select('id')).map((row: { id: number }) => Number(row.id));
  const tickets = await ids(db('tickets').where({ tenant_id: tenant.id, customer_id: data.customer.id }));
  const messages = await ids(db('ticket_messages').where('tenant_id', tenant.id).whereIn('ticket_id', tickets));
  const documents = await ids(db('documents').where({ tenant_id: tenant.id, customer_id: data.customer.id }));
  return {
    customers: [data.customer.id],
    users: data.clients.map((client) => client.id),
    tickets,
    ticket_messages: messages,
    documents,
    ledger_entries: await ids(db('ledger_entries').where({ tenant_id: tenant.id, customer_id: data.customer.id })),
    stored_files: await ids(db('stored_files').where('tenant_id', tenant.id).where((owner) => owner.whereIn('document_id', documents).orWhereIn('ticket_id', tickets))),
  };
}

/** The columns of the schema that tie a row to what a purge removes, and that the plan knows nothing of. */
async function columnsUnknownToThePlan(db: Knex): Promise<string[]> {
  const known = new Set([...ownedTables.flatMap((owned) => owned.by.map((link) => `${owned.table}.${link.column}`)), ...references.map((reference) => `${reference.table}.${reference.column}`)]);
  const tying = (await schemaColumns(db)).filter(({ table, column, references: target }) => table !== 'audit_log' && (isCustomerOrAccountColumn(column) || (target !== null && purgedEntityTables.includes(target))));
  return [...new Set(tying.map(({ table, column }) => `${table}.${column}`).filter((name) => !known.has(name)))];
}

describeOnEachDatabase('the purge plan', (env) => {
  it('knows every table and column that ties a row to a customer, an account, a ticket, a document, a file or a ledger entry', async () => {
    expect((await schemaColumns(env.db)).filter(({ column }) => isCustomerOrAccountColumn(column)).length).toBeGreaterThanOrEqual(10);
    expect(await columnsUnknownToThePlan(env.db)).toEqual([]);
  });

  it('names a table added later whose rows name an account or a customer, so the purge must be told of it', async () => {
    const probe = 'purge_plan_probe_reads';
    await env.db.schema.dropTableIfExists(probe);
    await env.db.schema.createTable(probe, (table) => {
      table.increments('id');
      table.integer('tenant_id').unsigned().notNullable();
      table.integer('user_id').unsigned().notNullable();
      table.integer('audience_customer_id').unsigned().nullable();
    });
    try {
      expect((await columnsUnknownToThePlan(env.db)).sort()).toEqual([`${probe}.audience_customer_id`, `${probe}.user_id`]);
    } finally {
      await env.db.schema.dropTableIfExists(probe);
    }
  });
});

describeOnEachDatabase('purging a customer (D2)', (env) => {
  it('removes every row of the customer from every table after a second person approves, and leaves another tenant whole', async () => {
    const desk = await purgeDesk(env);
    const other = await makeTenant(env.db);
    await makeRichCustomer(env.db, other);
    const otherBefore = await rowCounts(env.db, other.id);
    const ids = await idsOfCustomer(env.db, desk.tenant, desk.data);
    expect(ids.tickets).toHaveLength(3);
    expect(ids.stored_files).toHaveLength(3);

    const page = await desk.superadmin.get(`/${desk.tenant.slug}/admin/purge-requests/customers/${desk.data.customer.id}/new`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-testid="purge-count-users"');
    expect(page.text).toContain('data-testid="purge-export"');
    const asked = await askForCustomerPurge(desk.superadmin, desk, `  ${desk.data.customer.name} `);
    expect(asked.status).toBe(303);
    const [request] = await requestsOf(env.db, desk.tenant);
    expect(request).toMatchObject({ kind: 'customer', target_id: desk.data.customer.id, status: 'requested' });
    // The outbox: a message to each account, the reminder to the customer's own address and the caretaker's notice of its ticket.
    expect(JSON.parse(request.counts)).toMatchObject({ customers: 1, users: 2, tickets: 3, stored_files: 3, ledger_entries: 3, outbox: 4 });
    expect(asked.headers.location).toBe(`/${desk.tenant.slug}/admin/purge-requests/${request.id}`);
    expect(await leftovers(env.db, desk.tenant, ids)).not.toEqual([]);
    // Messages about the customer that no account of it receives: the reminder to its own address and the caretaker's notice of its ticket.
    const aboutCustomer = () => env.db('outbox').where({ tenant_id: desk.tenant.id, customer_id: desk.data.customer.id }).whereNull('recipient_user_id').orWhere({ tenant_id: desk.tenant.id, customer_id: desk.data.customer.id, recipient_user_id: desk.data.caretaker.id });
    expect((await aboutCustomer().orderBy('id').select('template')).map((row) => row.template)).toEqual(['ticket-filed', 'payment-reminder']);

    const approved = await approve(desk.admin, desk.tenant, Number(request.id));
    expect(approved.status).toBe(303);
    expect(await leftovers(env.db, desk.tenant, ids)).toEqual([]);
    expect(await aboutCustomer()).toEqual([]);
    expect(await env.db('outbox').where('tenant_id', desk.tenant.id).where('data', 'like', `%${desk.data.customer.name}%`)).toEqual([]);
    expect(await requestsOf(env.db, desk.tenant)).toMatchObject([{ status: 'run', open_key: null }]);
    expect(await rowCounts(env.db, other.id)).toEqual(otherBefore);
    const logins = desk.data.clients.map((client) => `login:${desk.tenant.id}:${client.login}`);
    expect(await env.db('login_throttles').whereIn('throttle_key', logins)).toEqual([]);
    expect(await env.db('settings').where({ tenant_id: desk.tenant.id, level: 'customer', target_id: desk.data.customer.id })).toEqual([]);
  });

  it('keeps who, when, what kind and the counts in the audit log, without the customer’s name or its people’s addresses, and the chain holds', async () => {
    const desk = await purgeDesk(env);
    await askForCustomerPurge(desk.superadmin, desk, desk.data.customer.name);
    const [request] = await requestsOf(env.db, desk.tenant);
    await approve(desk.secondSuperadmin, desk.tenant, Number(request.id));
    const events = await env.db('audit_log').where('tenant_id', desk.tenant.id).whereIn('action', ['purge.requested', 'purge.approved', 'purge.run']).orderBy('sequence');
    expect(events.map((event) => event.action)).toEqual(['purge.requested', 'purge.approved', 'purge.run']);
    expect(events[0]!.actor_id).toBe(desk.tenant.superadmin.id);
    expect(events[1]!.actor_id).not.toBe(desk.tenant.superadmin.id);
    expect(JSON.parse(events[2]!.details)).toMatchObject({ kind: 'customer', targetId: desk.data.customer.id, counts: { customers: 1, users: 2 } });
    for (const event of events) expect(event.details).not.toContain(desk.data.customer.name);
    const signIns = await env.db('audit_log').where({ tenant_id: desk.tenant.id, action: 'user.signed_in' }).whereIn('actor_id', desk.data.clients.map((client) => client.id));
    expect(signIns).toHaveLength(2);
    expect(signIns.map((row) => row.ip)).toEqual([null, null]);
    expect(await verifyAuditChain(scopeFor(env.db, desk.tenant))).toMatchObject({ isIntact: true });
  });

  it('still finds a changed and a removed audit entry after a purge', async () => {
    const desk = await purgeDesk(env, { requiresApproval: false });
    expect((await askForCustomerPurge(desk.superadmin, desk, desk.data.customer.name)).status).toBe(303);
    const [run] = await auditOf(env.db, desk.tenant, 'purge.run');
    await env.db('audit_log').where('id', run.id).update({ details: JSON.stringify({ kind: 'customer', targetId: 1 }) });
    expect(await verifyAuditChain(scopeFor(env.db, desk.tenant))).toMatchObject({ isIntact: false, break: { kind: 'edited', sequence: Number(run.sequence) } });
    await env.db('audit_log').where('id', run.id).delete();
    expect(await verifyAuditChain(scopeFor(env.db, desk.tenant))).toMatchObject({ isIntact: false, break: { kind: 'missing' } });
  });

  it('runs at the confirmation where the tenant asks for no approval', async () => {
    const desk = await purgeDesk(env, { requiresApproval: false });
    const ids = await idsOfCustomer(env.db, desk.tenant, desk.data);
    expect((await askForCustomerPurge(desk.superadmin, desk, desk.data.customer.name)).status).toBe(303);
    expect(await requestsOf(env.db, desk.tenant)).toMatchObject([{ status: 'run' }]);
    expect((await auditOf(env.db, desk.tenant, 'purge.approved')).length).toBe(0);
    expect(await leftovers(env.db, desk.tenant, ids)).toEqual([]);
  });

  it('refuses a confirmation that does not match the name with 422, keeps what was typed and removes nothing', async () => {
    const desk = await purgeDesk(env, { requiresApproval: false });
    const before = await rowCounts(env.db, desk.tenant.id);
    const response = await askForCustomerPurge(desk.superadmin, desk, desk.data.customer.name.toUpperCase());
    expect(response.status).toBe(422);
    expect(fieldErrorOf(response.text, 'confirmation')).toBeTruthy();
    expect(response.text).toContain(`value="${desk.data.customer.name.toUpperCase()}"`);
    const empty = await askForCustomerPurge(desk.superadmin, desk, '   ');
    expect(empty.status).toBe(422);
    expect(await rowCounts(env.db, desk.tenant.id)).toEqual(before);
  });

  it('refuses to purge a customer that is still active, with 409 and a reason', async () => {
    const desk = await purgeDesk(env, { isActive: true, requiresApproval: false });
    const page = await desk.superadmin.get(`/${desk.tenant.slug}/admin/purge-requests/customers/${desk.data.customer.id}/new`);
    expect(page.text).toContain('data-testid="purge-refusal"');
    const response = await askForCustomerPurge(desk.superadmin, desk, desk.data.customer.name);
    expect(response.status).toBe(409);
    expect(await requestsOf(env.db, desk.tenant)).toEqual([]);
  });

  it('answers the author’s own approval with 403 where two people are required, and removes nothing', async () => {
    const desk = await purgeDesk(env);
    await askForCustomerPurge(desk.superadmin, desk, desk.data.customer.name);
    const [request] = await requestsOf(env.db, desk.tenant);
    const own = await desk.superadmin.get(`/${desk.tenant.slug}/admin/purge-requests/${request.id}`);
    expect(own.text).toContain('data-testid="purge-own-request"');
    expect(own.text).not.toContain('data-testid="purge-approve"');
    const response = await approve(desk.superadmin, desk.tenant, Number(request.id));
    expect(response.status).toBe(403);
    expect(await requestsOf(env.db, desk.tenant)).toMatchObject([{ status: 'requested', approved_by: null }]);
    expect(await env.db('customers').where({ tenant_id: desk.tenant.id, id: desk.data.customer.id })).toHaveLength(1);
  });

  it('asks once for a double click, and a second approval finds the request decided (409)', async () => {
    const desk = await purgeDesk(env);
    await Promise.all([askForCustomerPurge(desk.superadmin, desk, desk.data.customer.name), askForCustomerPurge(desk.superadmin, desk, desk.data.customer.name)]);
    const requests = await requestsOf(env.db, desk.tenant);
    expect(requests).toHaveLength(1);
    expect((await approve(desk.admin, desk.tenant, Number(requests[0].id))).status).toBe(303);
    expect((await approve(desk.secondSuperadmin, desk.tenant, Number(requests[0].id))).status).toBe(409);
    expect((await auditOf(env.db, desk.tenant, 'purge.run')).length).toBe(1);
  });

  it('runs the purge once when two people approve at the same moment: the other is told it was decided (409)', async () => {
    const desk = await purgeDesk(env);
    await askForCustomerPurge(desk.superadmin, desk, desk.data.customer.name);
    const [request] = await requestsOf(env.db, desk.tenant);
    const statuses = (await Promise.all([approve(desk.admin, desk.tenant, Number(request.id)), approve(desk.secondSuperadmin, desk.tenant, Number(request.id))])).map((response) => response.status);
    expect(statuses.sort()).toEqual([303, 409]);
    expect((await auditOf(env.db, desk.tenant, 'purge.run')).length).toBe(1);
    expect((await auditOf(env.db, desk.tenant, 'purge.approved')).length).toBe(1);
    expect(await requestsOf(env.db, desk.tenant)).toMatchObject([{ status: 'run' }]);
  });

  it('cancels a waiting request and removes nothing', async () => {
    const desk = await purgeDesk(env);
    await askForCustomerPurge(desk.superadmin, desk, desk.data.customer.name);
    const [request] = await requestsOf(env.db, desk.tenant);
    const page = `/${desk.tenant.slug}/admin/purge-requests/${request.id}`;
    expect((await postForm(desk.secondSuperadmin, page, `${page}/cancellation`, { version: '1' })).status).toBe(303);
    expect(await requestsOf(env.db, desk.tenant)).toMatchObject([{ status: 'cancelled', open_key: null }]);
    expect((await approve(desk.admin, desk.tenant, Number(request.id), 1)).status).toBe(409);
    expect(await env.db('customers').where({ tenant_id: desk.tenant.id, id: desk.data.customer.id })).toHaveLength(1);
  });

  it('lets no admin switch the second person off: the choice is shown disabled, a forged form leaves it on, the model refuses', async () => {
    const desk = await purgeDesk(env);
    const page = `/${desk.tenant.slug}/admin/settings`;
    const form = await desk.admin.get(page);
    expect(form.text).toMatch(/id="field-purgeApproval-on"[^>]*checked disabled/);
    expect(form.text).toContain('Tylko superadministrator może zmienić to ustawienie.');
    const fields = { portalAccess: 'on', autoCreateAccounts: 'on', landingPage: 'dashboard', ticketApproval: 'off', ticketVisibility: 'all', visibleSince: '', reopenDays: '14', caretakersWork: 'own', queueEmail: '', paymentApproval: 'other', purgeApproval: 'off' };
    expect((await postForm(desk.admin, page, page, fields)).status).toBe(303);
    expect(await env.db('settings').where({ tenant_id: desk.tenant.id, level: 'tenant', name: 'purge.requires_approval' }).first()).toBeUndefined();
    const admin = await env.db('users').where({ tenant_id: desk.tenant.id, role: 'admin' }).first();
    await expect(saveSettings(userScope(env.db, { id: Number(admin.id), tenantId: desk.tenant.id, role: 'admin', customerId: null }), 'tenant', 0, { 'purge.requires_approval': 'off' })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await askForCustomerPurge(desk.superadmin, desk, desk.data.customer.name)).status).toBe(303);
    expect(await requestsOf(env.db, desk.tenant)).toMatchObject([{ status: 'requested' }]);
  });

  it('switches the second person off on the settings page: the change is on record, and the next purge runs at the confirmation', async () => {
    const desk = await purgeDesk(env);
    const page = `/${desk.tenant.slug}/admin/settings`;
    expect((await desk.superadmin.get(page)).text).toContain('id="field-purgeApproval-on"');
    const fields = { portalAccess: 'on', autoCreateAccounts: 'on', landingPage: 'dashboard', ticketApproval: 'off', ticketVisibility: 'all', visibleSince: '', reopenDays: '14', caretakersWork: 'own', queueEmail: '', paymentApproval: 'other', purgeApproval: 'off' };
    expect((await postForm(desk.superadmin, page, page, fields)).status).toBe(303);
    expect(await env.db('settings').where({ tenant_id: desk.tenant.id, level: 'tenant', name: 'purge.requires_approval' }).first()).toMatchObject({ value: 'off' });
    const changes = await env.db('audit_log').where('tenant_id', desk.tenant.id).where('details', 'like', '%purge.requires_approval%');
    expect(changes).toHaveLength(1);
    expect((await askForCustomerPurge(desk.superadmin, desk, desk.data.customer.name)).status).toBe(303);
    expect(await requestsOf(env.db, desk.tenant)).toMatchObject([{ status: 'run' }]);
  });

  it('lets an admin see and approve requests but refuses every other purge page to admins and caretakers with 403', async () => {
    const desk = await purgeDesk(env);
    const caretaker = await signedInAgent(env.app, desk.tenant, desk.data.caretaker.login);
    const base = `/${desk.tenant.slug}/admin/purge-requests/customers/${desk.data.customer.id}`;
    for (const agent of [desk.admin, caretaker]) {
      expect((await agent.get(`${base}/new`)).status).toBe(403);
      expect((await agent.get(`/${desk.tenant.slug}/admin/customers/${desk.data.customer.id}/export.zip`)).status).toBe(403);
      expect((await agent.get(`/${desk.tenant.slug}/admin/purge-requests/tickets/${desk.data.closedTicketId}/new`)).status).toBe(403);
    }
    expect((await caretaker.get(`/${desk.tenant.slug}/admin/purge-requests`)).status).toBe(403);
    expect((await desk.admin.get(`/${desk.tenant.slug}/admin/purge-requests`)).status).toBe(200);
    expect(await requestsOf(env.db, desk.tenant)).toEqual([]);
  });
});

describeOnEachDatabase('purging a ticket and a ledger entry (D2)', (env) => {
  it('purges a closed ticket with its messages, history, cost lines, attachments and e-mail, and unlinks a follow-up', async () => {
    const desk = await purgeDesk(env, { requiresApproval: false, isActive: true });
    const { tenant, data } = desk;
    const ticket = await env.db('tickets').where({ tenant_id: tenant.id, id: data.closedTicketId }).first();
    await env.db('tickets').where({ tenant_id: tenant.id, id: data.openTicketId }).update({ related_ticket_id: data.closedTicketId });
    const files = await env.db('stored_files').where({ tenant_id: tenant.id, ticket_id: data.closedTicketId });
    expect(files).toHaveLength(2);
    const number = `${ticket.year}/${String(ticket.sequence).padStart(6, '0')}`;
    const base = `/${tenant.slug}/admin/purge-requests/tickets/${data.closedTicketId}`;
    const shown = await desk.superadmin.get(`/${tenant.slug}/staff/tickets/${data.closedTicketId}`);
    expect(shown.text).toContain('data-testid="ticket-purge-link"');
    expect((await postForm(desk.superadmin, `${base}/new`, base, { confirmation: 'zły numer' })).status).toBe(422);
    expect(await env.db('tickets').where({ tenant_id: tenant.id, id: data.closedTicketId })).toHaveLength(1);
    expect((await postForm(desk.superadmin, `${base}/new`, base, { confirmation: number })).status).toBe(303);
    for (const table of ['ticket_messages', 'ticket_events', 'ticket_cost_lines', 'stored_files', 'mail_intake']) expect(await env.db(table).where({ tenant_id: tenant.id, ticket_id: data.closedTicketId }), table).toEqual([]);
    expect(await env.db('file_blobs').where('tenant_id', tenant.id).whereIn('store_key', files.map((file) => file.store_key))).toEqual([]);
    expect(await env.db('tickets').where({ tenant_id: tenant.id, id: data.openTicketId }).first()).toMatchObject({ related_ticket_id: null });
    expect(await env.db('customers').where({ tenant_id: tenant.id, id: data.customer.id })).toHaveLength(1);
  });

  it('refuses an open ticket with 409 and a clear message, and offers no purge on its page', async () => {
    const desk = await purgeDesk(env, { requiresApproval: false, isActive: true });
    const base = `/${desk.tenant.slug}/admin/purge-requests/tickets/${desk.data.openTicketId}`;
    const page = await desk.superadmin.get(`${base}/new`);
    expect(page.text).toContain('data-testid="purge-refusal"');
    expect(page.text).not.toContain('data-testid="purge-confirm"');
    expect((await desk.superadmin.get(`/${desk.tenant.slug}/staff/tickets/${desk.data.openTicketId}`)).text).not.toContain('data-testid="ticket-purge-link"');
    const response = await postForm(desk.superadmin, `${base}/new`, base, { confirmation: 'anything' });
    expect(response.status).toBe(409);
    expect(response.text).toContain('data-testid="purge-notice"');
    expect(await env.db('tickets').where({ tenant_id: desk.tenant.id, id: desk.data.openTicketId })).toHaveLength(1);
  });

  it('purges an approved invoice with its correction and allocations, and the payment is free again', async () => {
    const desk = await purgeDesk(env, { requiresApproval: false, isActive: true });
    const { tenant, data } = desk;
    const invoice = await env.db('ledger_entries').where({ tenant_id: tenant.id, id: data.invoiceId }).first();
    expect(await env.db('ledger_allocations').where({ tenant_id: tenant.id, debit_entry_id: data.invoiceId })).not.toEqual([]);
    const base = `/${tenant.slug}/admin/purge-requests/entries/${data.invoiceId}`;
    expect((await postForm(desk.superadmin, `${base}/new`, base, { confirmation: invoice.document_number })).status).toBe(303);
    expect(await env.db('ledger_entries').where('tenant_id', tenant.id).whereIn('id', [data.invoiceId, data.correctionId])).toEqual([]);
    expect(await env.db('ledger_allocations').where('tenant_id', tenant.id).where((either) => either.where('debit_entry_id', data.invoiceId).orWhere('credit_entry_id', data.invoiceId))).toEqual([]);
    expect(await env.db('ledger_entries').where({ tenant_id: tenant.id, id: data.paymentId })).toHaveLength(1);
    const [request] = await requestsOf(env.db, tenant);
    expect(JSON.parse(request.counts)).toMatchObject({ ledger_entries: 2 });
  });

  it('refuses a pending entry with 409: pending entries are approved or rejected, not purged', async () => {
    const desk = await purgeDesk(env, { requiresApproval: false, isActive: true });
    await env.db('ledger_entries').where({ tenant_id: desk.tenant.id, id: desk.data.paymentId }).update({ status: 'pending' });
    const base = `/${desk.tenant.slug}/admin/purge-requests/entries/${desk.data.paymentId}`;
    const response = await postForm(desk.superadmin, `${base}/new`, base, { confirmation: String(desk.data.paymentId) });
    expect(response.status).toBe(409);
    expect(await env.db('ledger_entries').where({ tenant_id: desk.tenant.id, id: desk.data.paymentId })).toHaveLength(1);
  });
});
