import { expect, it } from 'vitest';
import type { Scope } from '../../src/db/scope.js';
import { logEvent } from '../../src/models/audit.js';
import { verifyAuditChain } from '../../src/models/audit-verification.js';
import { createGroup, deleteGroup } from '../../src/models/group.js';
import { statementsDuring } from '../support/apps.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, userScope, type TestTenant } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent } from '../support/http.js';
import { makeTicket } from '../support/tickets.js';
import { moneyOf } from '../../src/lib/money.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';

describeOnEachDatabase('the audit log page', (env) => {
  const asOwner = (tenant: TestTenant): Scope => userScope(env.db, tenant.superadmin);

  async function auditPage(tenant: TestTenant, language = 'en', query = '') {
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = await agent.get(`/${tenant.slug}/admin/audit-log${query}`).set('Accept-Language', language);
    expect(page.status).toBe(200);
    return page.text;
  }

  /** The table's rows, newest first, as text without tags. */
  const rowsOf = (html: string) =>
    html
      .split('<tr role="row">')
      .slice(2)
      .map((row) => row.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());

  it('names the actor and the subject by their names today, with the sequence number', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Celina', lastName: 'Opiekun' });
    const customer = await makeCustomer(env.db, tenant, { name: 'Kowalski Usługi' });
    await logEvent(userScope(env.db, caretaker), { action: 'customer.updated', subjectType: 'customer', subjectId: customer.id, details: { fields: ['city'] } });
    await env.db('customers').where('id', customer.id).update({ name: 'Kowalski Usługi Sp. z o.o.' });
    const rows = rowsOf(await auditPage(tenant));
    // user.created, tenant.created, caretaker's user.created, customer.updated, the owner's sign-in.
    expect(rows[1]).toMatch(/^4 /);
    expect(rows[1]).toMatch(new RegExp(`^4 .* Celina Opiekun \\(${caretaker.login}\\) Customer data changed`));
    expect(rows[1]).toContain('Customer data changed');
    expect(rows[1]).toContain('Customer: Kowalski Usługi Sp. z o.o.');
    expect(rows[2]).toContain('Account: Celina Opiekun');
    expect(rows.at(-1)).toMatch(/^1 /);
    expect(rows.at(-2)).toContain(`Provider: ${tenant.name}`);
  });

  it('names a ticket by its number and title with a link to it, and its filing’s details in the reader’s words', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const ticket = await makeTicket(env.db, tenant, client, { title: 'Awaria pieca' });
    const page = await auditPage(tenant, 'pl');
    const filed = rowsOf(page).find((row) => row.includes('Zgłoszenie: '))!;
    expect(filed).toContain(`Zgłoszenie: ${ticket.number} Awaria pieca`);
    expect(filed).toContain('źródło: portal');
    expect(page).toContain(`href="/${tenant.slug}/staff/tickets/${ticket.id}"`);
  });

  it('names a ledger entry by its document number and customer with a link, its details in the reader’s words, and filters by that kind of record', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await makeUser(env.db, tenant, 'admin');
    const customer = await makeCustomer(env.db, tenant, { name: 'Gamma Serwis' });
    const entry = await enterLedgerEntry(userScope(env.db, admin), { kind: 'invoice', customerId: customer.id, amount: moneyOf(12_300, 'PLN'), documentNumber: 'FV/7/2026', issueDate: '2026-11-02', dueDate: '2026-11-16' });
    const polish = await auditPage(tenant, 'pl');
    const entered = rowsOf(polish).find((row) => row.includes('Wprowadzono zapis rozliczeń'))!;
    expect(entered).toContain('Zapis rozliczeń: FV/7/2026 (Gamma Serwis)');
    expect(entered).toContain(`zatwierdzony: nie; nr klienta: ${customer.id}; rodzaj: Faktura; źródło: wpis ręczny`);
    expect(entered).not.toContain('ledger_entry');
    expect(polish).toContain(`href="/${tenant.slug}/admin/ledger-entries/${entry.id}"`);
    const english = rowsOf(await auditPage(tenant, 'en', '?subjectType=ledger_entry'));
    expect(english).toHaveLength(1);
    expect(english[0]).toContain('Ledger entry: FV/7/2026 (Gamma Serwis)');
    expect(english[0]).toContain(`approved: no; customer no.: ${customer.id}; kind: Invoice; source: manual entry`);
    // Every kind the filter's select offers is one it accepts.
    const categories = await auditPage(tenant, 'en', '?subjectType=ticket_category');
    expect(categories).not.toContain('Choose a kind of record from the list.');
  });

  it('shows “removed” for a deleted group and a removed person, and the chain stays intact', async () => {
    const tenant = await makeTenant(env.db);
    const group = await createGroup(asOwner(tenant), 'Short-lived');
    await deleteGroup(asOwner(tenant), group.id);
    const caretaker = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Gone', lastName: 'Soon' });
    await logEvent(userScope(env.db, caretaker), { action: 'user.profile_changed', subjectType: 'user', subjectId: caretaker.id });
    // What a purge of the person will do: the row goes, the audit entries keep only the id.
    await env.db('users').where('id', caretaker.id).delete();
    const english = rowsOf(await auditPage(tenant, 'en'));
    const profileChange = english.find((row) => row.includes('Profile changed'))!;
    // The actor (who) and the subject (what) are both the removed caretaker.
    expect(profileChange).toContain(`#${caretaker.id}: removed Profile changed Account #${caretaker.id}: removed`);
    expect(profileChange).not.toContain('Gone');
    expect(english.find((row) => row.includes('Group deleted'))).toContain(`Group #${group.id}: removed`);
    expect(english.find((row) => row.includes('Group created'))).toContain(`Group #${group.id}: removed`);
    const polish = rowsOf(await auditPage(tenant, 'pl'));
    expect(polish.find((row) => row.includes('Usunięto grupę'))).toContain(`Grupa #${group.id}: usunięto`);
    expect(await verifyAuditChain(scopeFor(env.db, tenant))).toMatchObject({ isIntact: true });
  });

  it('names the person whose own setting changed (the landing page they chose), as for any other entry about an account', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client', { firstName: 'Lena', lastName: 'Landing' });
    const agent = await signedInAgent(env.app, tenant, client.login);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/account/profile/edit`);
    const fields = { email: client.email!, phone: '', correspondenceAddress: '', locale: 'pl', landingPage: 'last', textSize: 'default' };
    expect((await agent.post(`/${tenant.slug}/account/profile`).type('form').send({ _csrf: token, ...fields })).status).toBe(303);
    const english = rowsOf(await auditPage(tenant, 'en'));
    expect(english.find((row) => row.includes('Settings changed'))).toContain(`Account: Lena Landing (${client.login})`);
    const polish = rowsOf(await auditPage(tenant, 'pl'));
    expect(polish.find((row) => row.includes('Zmieniono ustawienia'))).toContain(`Konto: Lena Landing (${client.login})`);
  });

  it('looks the names up in one query per kind of record for the whole page, not one per entry', async () => {
    const tenant = await makeTenant(env.db);
    const scope = asOwner(tenant);
    for (let index = 0; index < 5; index += 1) {
      const customer = await makeCustomer(env.db, tenant);
      const group = await createGroup(scope, `Group ${index}`);
      await logEvent(scope, { action: 'customer.updated', subjectType: 'customer', subjectId: customer.id });
      await logEvent(scope, { action: 'group.renamed', subjectType: 'group', subjectId: group.id });
    }
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    let page = '';
    const statements = await statementsDuring(env.db, async () => {
      page = (await agent.get(`/${tenant.slug}/admin/audit-log`).set('Accept-Language', 'en')).text;
    });
    expect(page.match(/Customer: Customer-/g)).toHaveLength(5);
    expect(page.match(/Group: Group \d/g)!.length).toBeGreaterThanOrEqual(10);
    const reading = (table: string) => statements.filter((sql) => new RegExp(`^select .* from [\`"]${table}[\`"] .*\\bin \\(`, 'i').test(sql));
    expect(reading('customers')).toHaveLength(1);
    expect(reading('groups')).toHaveLength(1);
    expect(reading('users')).toHaveLength(1);
  });
});
