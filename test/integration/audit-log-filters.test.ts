import request from 'supertest';
import { expect, it } from 'vitest';
import { openScope, type Scope } from '../../src/db/scope.js';
import { openSystemWork } from '../../src/db/installation.js';
import { systemClock } from '../../src/lib/time.js';
import { logEvent } from '../../src/models/audit.js';
import { verifyAuditChain } from '../../src/models/audit-verification.js';
import { createGroup } from '../../src/models/group.js';
import { createTenant } from '../../src/models/tenant.js';
import type { User } from '../../src/models/user.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, uniqueName, userScope, type TestTenant } from '../support/factories.js';
import { signedInAgent } from '../support/http.js';

describeOnEachDatabase('the audit log page: links, times, filters and the CSV export', (env) => {
  /** A user's scope whose clock says the given moment, so an entry gets a known time. */
  const scopeAt = (user: User, moment: string): Scope =>
    openScope(env.db, { tenantId: user.tenantId, actor: { kind: 'user', id: user.id, tenantId: user.tenantId, role: user.role, customerId: user.customerId }, clock: () => new Date(moment) });

  async function ownerAgent(tenant: TestTenant) {
    return signedInAgent(env.app, tenant, tenant.superadmin.login);
  }

  async function auditPage(tenant: TestTenant, query: Record<string, string> = {}, language = 'en') {
    const agent = await ownerAgent(tenant);
    const page = await agent.get(`/${tenant.slug}/admin/audit-log`).query(query).set('Accept-Language', language);
    expect(page.status).toBe(200);
    return page.text;
  }

  /** The table's rows as text without tags, newest first. */
  const rowsOf = (html: string) =>
    html
      .split('</tbody>')[0]!
      .split('<tr role="row">')
      .slice(2)
      .map((row) => row.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());

  /** The events shown, as "actor | action | subject" lines (the sign-in of the page's reader left out). */
  const actionsOf = (html: string) => [...html.matchAll(/data-testid="audit-action"[^>]*>\s*<span class="data-table__value">([^<]*)</g)].map((match) => match[1]!);

  it('links each named actor and subject to its page, and shows a removed one by its id without a link', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Celina', lastName: 'Link' });
    const customer = await makeCustomer(env.db, tenant, { name: 'Linked Customer' });
    const group = await createGroup(scopeFor(env.db, tenant), 'Linked group');
    await logEvent(userScope(env.db, caretaker), { action: 'customer.updated', subjectType: 'customer', subjectId: customer.id });
    await logEvent(userScope(env.db, caretaker), { action: 'group.renamed', subjectType: 'group', subjectId: group.id });
    await logEvent(userScope(env.db, tenant.superadmin), { action: 'user.locked', subjectType: 'user', subjectId: 999_999 });
    const page = await auditPage(tenant);
    expect(page).toContain(`<a href="/${tenant.slug}/admin/accounts/${caretaker.id}" data-testid="audit-actor">Celina Link (${caretaker.login})</a>`);
    expect(page).toContain(`<a href="/${tenant.slug}/staff/customers/${customer.id}" data-testid="audit-subject">Customer: Linked Customer</a>`);
    expect(page).toContain(`<a href="/${tenant.slug}/admin/groups/${group.id}/edit" data-testid="audit-subject">Group: Linked group</a>`);
    expect(page).toContain('Account #999999: removed');
    expect(page).not.toContain('/admin/accounts/999999');
    expect(page).not.toMatch(/user #\d/);
  });

  it('shows the time to the second in the tenant’s time zone and every IPv4 address in one form', async () => {
    const tenant = await makeTenant(env.db);
    // 23:30:07 UTC on 30 November is 00:30:07 on 1 December in Warsaw.
    await logEvent(scopeAt(tenant.superadmin, '2024-11-30T23:30:07Z'), { action: 'user.signed_in', subjectType: 'user', subjectId: tenant.superadmin.id, ip: '::ffff:192.0.2.7' });
    await logEvent(scopeAt(tenant.superadmin, '2024-11-30T23:31:08Z'), { action: 'user.signed_in', subjectType: 'user', subjectId: tenant.superadmin.id, ip: '192.0.2.8' });
    await logEvent(scopeAt(tenant.superadmin, '2024-11-30T23:32:09Z'), { action: 'user.signed_in', subjectType: 'user', subjectId: tenant.superadmin.id, ip: '2001:db8::1' });
    // A row written before addresses were normalised is shown in the same form (the address is outside the hashed content).
    await env.db('audit_log').where({ tenant_id: tenant.id, ip: '192.0.2.8' }).update({ ip: '::ffff:192.0.2.9' });
    expect(await env.db('audit_log').where({ tenant_id: tenant.id }).whereNotNull('ip').orderBy('id').pluck('ip')).toEqual(['192.0.2.7', '::ffff:192.0.2.9', '2001:db8::1']);

    const polish = await auditPage(tenant, { from: '2024-12-01', to: '2024-12-01' }, 'pl');
    expect(polish).toContain('1.12.2024, 00:30:07');
    expect(polish).toContain('1.12.2024, 00:32:09');
    const english = rowsOf(await auditPage(tenant, { from: '2024-12-01', to: '2024-12-01' }));
    expect(english).toHaveLength(3);
    expect(english[2]).toContain('1 Dec 2024, 00:30:07');
    expect(english[2]).toMatch(/ 192\.0\.2\.7$/);
    expect(english[1]).toMatch(/ 192\.0\.2\.9$/);
    expect(english[0]).toMatch(/ 2001:db8::1$/);
    expect(english.join(' ')).not.toContain('::ffff:');
    expect(await verifyAuditChain(scopeFor(env.db, tenant))).toMatchObject({ isIntact: true });
  });

  it('filters by who acted, by name words, login or number', async () => {
    const tenant = await makeTenant(env.db);
    const anna = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Anna', lastName: 'Żółkowska' });
    const other = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Bogdan', lastName: 'Inny' });
    const customer = await makeCustomer(env.db, tenant);
    await logEvent(userScope(env.db, anna), { action: 'customer.updated', subjectType: 'customer', subjectId: customer.id });
    await logEvent(userScope(env.db, other), { action: 'customer.deactivated', subjectType: 'customer', subjectId: customer.id });
    // Any letter case, Polish letters included, every word must match.
    for (const actor of ['anna żółkowska', 'ŻÓŁK', anna.login, `#${anna.id}`, String(anna.id)]) {
      expect(actionsOf(await auditPage(tenant, { actor })), actor).toEqual(['Customer data changed']);
    }
    expect(actionsOf(await auditPage(tenant, { actor: 'anna inny' }))).toEqual([]);
    expect(await auditPage(tenant, { actor: 'nobody-like-this' })).toContain('No event matches the filter');
  });

  it('filters by event, by kind of record and record (name or number), and by the tenant’s days', async () => {
    const tenant = await makeTenant(env.db);
    const owner = tenant.superadmin;
    const alfa = await makeCustomer(env.db, tenant, { name: uniqueName('Alfa Łódź') });
    const beta = await makeCustomer(env.db, tenant, { name: uniqueName('Beta') });
    const group = await createGroup(scopeFor(env.db, tenant), 'Alfa group');
    await logEvent(scopeAt(owner, '2024-11-30T22:59:59Z'), { action: 'customer.updated', subjectType: 'customer', subjectId: alfa.id });
    await logEvent(scopeAt(owner, '2024-11-30T23:00:00Z'), { action: 'customer.updated', subjectType: 'customer', subjectId: beta.id });
    await logEvent(scopeAt(owner, '2024-12-02T22:59:59Z'), { action: 'customer.deactivated', subjectType: 'customer', subjectId: alfa.id });
    await logEvent(scopeAt(owner, '2024-12-02T23:00:00Z'), { action: 'group.renamed', subjectType: 'group', subjectId: group.id });

    expect(actionsOf(await auditPage(tenant, { action: 'customer.deactivated' }))).toEqual(['Customer deactivated']);
    expect(rowsOf(await auditPage(tenant, { subjectType: 'customer', subject: 'alfa łódź' }))).toHaveLength(2);
    expect(rowsOf(await auditPage(tenant, { subjectType: 'customer', subject: `#${beta.id}` }))).toHaveLength(1);
    // Without a kind, a name is looked for among accounts, customers and groups alike.
    const alfaAnything = rowsOf(await auditPage(tenant, { subject: 'alfa' }));
    expect(alfaAnything.filter((row) => row.includes('Group: Alfa group'))).toHaveLength(2);
    expect(alfaAnything.filter((row) => row.includes('Customer: Alfa'))).toHaveLength(2);
    // 1–2 December in Warsaw is 30 Nov 23:00 UTC up to 2 Dec 23:00 UTC, the last second included.
    const december = rowsOf(await auditPage(tenant, { from: '2024-12-01', to: '2024-12-02' }));
    expect(december).toHaveLength(2);
    expect(december[0]).toContain('Customer deactivated');
    expect(december[1]).toContain(beta.name);
    const options = await auditPage(tenant);
    expect(options).toContain('<option value="customer.deactivated">Customer deactivated</option>');
  });

  it('leaves out a filter value it cannot use, says so beside the field, keeps what was typed and applies the rest', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant, { name: uniqueName('Filtered') });
    await logEvent(userScope(env.db, tenant.superadmin), { action: 'customer.updated', subjectType: 'customer', subjectId: customer.id });
    const agent = await ownerAgent(tenant);
    const page = await agent
      .get(`/${tenant.slug}/admin/audit-log`)
      .query({ from: '2026-02-30', to: 'yesterday', action: "x'; drop table audit_log", subjectType: 'planet', subject: customer.name })
      .set('Accept-Language', 'pl');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Części filtra nie udało się zastosować');
    expect(page.text).toMatch(/id="field-from-error">Wpisz dzień jako datę/);
    expect(page.text).toMatch(/id="field-to-error">Wpisz dzień jako datę/);
    expect(page.text).toMatch(/id="field-action-error">Wybierz zdarzenie z listy/);
    expect(page.text).toMatch(/id="field-subjectType-error">Wybierz rodzaj rekordu/);
    expect(page.text).toContain('value="2026-02-30"');
    // The subject filter still applies; the values that could not be used are left out.
    expect(actionsOf(page.text)).toEqual(['Zmieniono dane klienta']);
    const reversed = await agent.get(`/${tenant.slug}/admin/audit-log`).query({ from: '2026-12-05', to: '2024-12-01' }).set('Accept-Language', 'en');
    expect(reversed.text).toMatch(/id="field-to-error">The last day comes before the first/);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id }).count({ count: '*' }).first()).toBeTruthy();
  });

  it('pages on the server and keeps the filter on every page link and on the export link', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant);
    const scope = userScope(env.db, tenant.superadmin);
    await scope.transaction(async (trx) => {
      for (let index = 0; index < 55; index += 1) await logEvent(trx, { action: 'customer.updated', subjectType: 'customer', subjectId: customer.id });
    });
    const first = await auditPage(tenant, { action: 'customer.updated' });
    expect(rowsOf(first)).toHaveLength(50);
    expect(first).toContain('Events matching the filter: 55');
    expect(first).toContain(`href="/${tenant.slug}/admin/audit-log?action=customer.updated&amp;page=2" rel="next"`);
    expect(first).toContain(`href="/${tenant.slug}/admin/audit-log.csv?action=customer.updated"`);
    expect(rowsOf(await auditPage(tenant, { action: 'customer.updated', page: '2' }))).toHaveLength(5);
  });

  it('exports the filtered entries as CSV for a spreadsheet, with names, events in the reader’s language and times, and puts the export on record', async () => {
    const tenant = await makeTenant(env.db);
    const tricky = await makeCustomer(env.db, tenant, { name: '=Kowalski; "Usługi", Łódź' });
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Żaneta', lastName: 'Ćwik' });
    await logEvent(scopeAt(caretaker, '2024-12-01T10:00:05Z'), { action: 'customer.updated', subjectType: 'customer', subjectId: tricky.id, details: { fields: ['name', 'city'] }, ip: '::ffff:198.51.100.4' });
    await logEvent(scopeAt(caretaker, '2024-12-01T10:00:06Z'), { action: 'customer.deactivated', subjectType: 'customer', subjectId: tricky.id });
    const agent = await ownerAgent(tenant);

    const polish = await agent.get(`/${tenant.slug}/admin/audit-log.csv`).query({ action: 'customer.updated' }).set('Accept-Language', 'pl').buffer(true).parse((response, done) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => done(null, body));
    });
    expect(polish.status).toBe(200);
    expect(polish.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(polish.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="audit-log-${tenant.slug}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    const text = polish.body as string;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toBe('Nr;Kiedy;Kto;Zdarzenie;Kod zdarzenia;Dotyczy;Szczegóły;Adres IP');
    expect(lines[1]).toMatch(/^\d+;1\.12\.2024, 11:00:05;/);
    expect(lines[1]!.replace(/^\d+;/, '')).toBe(`1.12.2024, 11:00:05;Żaneta Ćwik (${caretaker.login});Zmieniono dane klienta;customer.updated;"Klient: =Kowalski; ""Usługi"", Łódź";pola: Nazwa, Miejscowość;198.51.100.4`);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');

    const english = await agent.get(`/${tenant.slug}/admin/audit-log.csv`).query({ subject: `#${tricky.id}`, subjectType: 'customer' }).set('Accept-Language', 'en');
    const englishLines = english.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(englishLines[0]).toBe('No.,When,Who,Event,Event code,Subject,Details,IP address');
    expect(englishLines[1]).toContain(',"1 Dec 2024, 11:00:06",');
    expect(englishLines[1]).toContain(',Customer deactivated,customer.deactivated,');
    expect(englishLines[1]).toContain(`"Customer: =Kowalski; ""Usługi"", Łódź"`);
    // The header, the deactivation and the change.
    expect(englishLines.filter(Boolean)).toHaveLength(3);

    const exports = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'audit.exported' }).orderBy('id');
    expect(exports).toHaveLength(2);
    expect(exports[0]).toMatchObject({ actor_id: tenant.superadmin.id, subject_type: null });
    expect(JSON.parse(exports[0].details)).toEqual({ rows: 1, action: 'customer.updated' });
    expect(JSON.parse(exports[1].details)).toEqual({ rows: 2, subject: `#${tricky.id}`, subjectType: 'customer' });
    expect(await verifyAuditChain(scopeFor(env.db, tenant))).toMatchObject({ isIntact: true });
    expect(actionsOf(await auditPage(tenant, { action: 'audit.exported' }))).toEqual(['Audit log exported', 'Audit log exported']);
  });

  it('keeps a name typed into the filter out of the export’s own entry', async () => {
    const tenant = await makeTenant(env.db);
    const agent = await ownerAgent(tenant);
    expect((await agent.get(`/${tenant.slug}/admin/audit-log.csv`).query({ actor: 'Anna Nowak', subject: 'Kowalski' })).status).toBe(200);
    const entry = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'audit.exported' }).first();
    expect(entry.details).not.toMatch(/Anna|Nowak|Kowalski/);
    expect(JSON.parse(entry.details)).toMatchObject({ actor: 'name', subject: 'name' });
  });

  it('refuses the export to an admin (403), on record as access.denied only, and sends a visitor to sign in, writing nothing', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(env.app, tenant, admin.login);
    const actionsBefore = await env.db('audit_log').where({ tenant_id: tenant.id }).orderBy('sequence').pluck('action');
    const refused = await agent.get(`/${tenant.slug}/admin/audit-log.csv`);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    const visitor = await request(env.app).get(`/${tenant.slug}/admin/audit-log.csv`);
    expect(visitor.status).toBe(303);
    expect(visitor.headers.location).toMatch(new RegExp(`^/${tenant.slug}/login`));
    expect(await env.db('audit_log').where({ tenant_id: tenant.id }).orderBy('sequence').pluck('action')).toEqual([...actionsBefore, 'access.denied']);
  });

  it('writes no password change for a new tenant’s owner, neither when the tenant is made nor when the owner sets a first password through the link', async () => {
    const slug = uniqueName('fresh');
    const { tenant, setupToken } = await createTenant(
      openSystemWork(env.db, systemClock, 'test fixture'),
      { slug, name: 'Fresh', admin: { login: 'owner', email: `owner@${slug}.example`, firstName: 'Olga', lastName: 'Owner' } },
      { bcryptCost: 4, links: env.links },
    );
    expect(await env.db('audit_log').where({ tenant_id: tenant.id }).orderBy('sequence').pluck('action')).toEqual(['user.created', 'tenant.created']);
    const agent = request.agent(env.app);
    const form = await agent.get(`/${slug}/password-setup/${setupToken}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    const set = await agent.post(`/${slug}/password-setup/${setupToken}`).type('form').send({ _csrf: csrf, newPassword: 'a new pass phrase 42', passwordConfirmation: 'a new pass phrase 42' });
    expect(set.status).toBe(303);
    const actions = await env.db('audit_log').where({ tenant_id: tenant.id }).orderBy('sequence').pluck('action');
    expect(actions).toContain('user.password_link_used');
    expect(actions).not.toContain('user.password_changed');
  });
});
