import { expect, it } from 'vitest';
import { toDatabaseTime } from '../../src/lib/time.js';
import { customerDataOf, requestCustomerChange } from '../../src/models/change-request.js';
import type { Customer } from '../../src/models/customer.js';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, userScope } from '../support/factories.js';
import { signedInAgent } from '../support/http.js';
import { ingest, mailFixture } from '../support/mail-intake.js';
import { makeTicket } from '../support/tickets.js';
import { moneyOf } from '../../src/lib/money.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';

/** The part of a page inside one section (data-testid="section-…"), up to the section's end. */
function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`data-testid="section-${id}"`);
  if (start < 0) throw new Error(`no section ${id} on the page`);
  return html.slice(start, html.indexOf('</section>', start));
}

/** The count beside "Data changes" in the menu, or undefined when none is shown. */
function menuCountOf(html: string): string | undefined {
  const menu = html.slice(html.indexOf('<nav class="site-nav"'), html.indexOf('</nav>', html.indexOf('<nav class="site-nav"')));
  return /data-testid="nav-count"[^>]*>(\d+)</.exec(menu)?.[1];
}

describeOnEachDatabase('the staff start page and the menu’s count (issue 14)', (env) => {
  async function fileRequest(tenant: Tenant, customer: Customer, city: string): Promise<number> {
    const client = await makeUser(env.db, tenant, 'client', { customer });
    return requestCustomerChange(userScope(env.db, client), customer.id, { ...customerDataOf(customer), city });
  }

  /** A tenant with two caretakers: Karolina has Alfa (a client, a pending request) and Beta (no account); Zenon has Gamma. */
  async function twoCaretakers() {
    const tenant = await makeTenant(env.db);
    const karolina = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Karolina' });
    const zenon = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Zenon' });
    const alfa = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.', caretaker: karolina });
    const beta = await makeCustomer(env.db, tenant, { name: 'Beta s.r.o.', caretaker: karolina });
    const gamma = await makeCustomer(env.db, tenant, { name: 'Gamma S.A.', caretaker: zenon });
    const requestId = await fileRequest(tenant, alfa, 'Kraków');
    return { tenant, karolina, zenon, alfa, beta, gamma, requestId };
  }

  it('shows a caretaker their customers, the requests waiting and the customers without an account, and nothing of others', async () => {
    const { tenant, karolina, alfa, beta, requestId } = await twoCaretakers();
    const agent = await signedInAgent(env.app, tenant, karolina.login);
    const page = await agent.get(`/${tenant.slug}/staff`);
    expect(page.status).toBe(200);

    const customers = sectionOf(page.text, 'customers');
    expect(customers).toContain('Twoi klienci');
    expect(customers).toContain(`href="/${tenant.slug}/staff/customers/${alfa.id}"`);
    expect(customers).toContain(`href="/${tenant.slug}/staff/customers/${beta.id}"`);
    expect(customers).toContain(`href="/${tenant.slug}/staff/customers"`);
    const pending = sectionOf(page.text, 'pending-requests');
    expect(pending).toContain(`href="/${tenant.slug}/staff/change-requests/${requestId}"`);
    expect(pending).toContain('Miejscowość');
    const withoutAccounts = sectionOf(page.text, 'without-accounts');
    expect(withoutAccounts).toContain('Beta s.r.o.');
    expect(withoutAccounts).toContain(`href="/${tenant.slug}/staff/customers/${beta.id}/accounts"`);
    expect(withoutAccounts).not.toContain('Alfa');
    expect(page.text).not.toContain('Gamma');
    // Accounts are the admins' business.
    expect(page.text).not.toContain('section-locked-accounts');
    expect(page.text).not.toContain('section-expired-invitations');
    expect(menuCountOf(page.text)).toBe('1');
  });

  it('shows the caretaker of another customer none of it, and no count', async () => {
    const { tenant, zenon, gamma } = await twoCaretakers();
    const agent = await signedInAgent(env.app, tenant, zenon.login);
    const page = await agent.get(`/${tenant.slug}/staff`);
    expect(page.text).not.toMatch(/Alfa|Beta/);
    expect(sectionOf(page.text, 'pending-requests')).toContain('Nic nie czeka na decyzję.');
    expect(sectionOf(page.text, 'without-accounts')).toContain('Gamma S.A.');
    expect(sectionOf(page.text, 'customers')).toContain(`/staff/customers/${gamma.id}"`);
    expect(menuCountOf(page.text)).toBeUndefined();
  });

  it('tells a caretaker without customers what happens next', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const page = await (await signedInAgent(env.app, tenant, caretaker.login)).get(`/${tenant.slug}/staff`);
    expect(sectionOf(page.text, 'customers')).toContain('Nie masz jeszcze przypisanych klientów. Opiekuna wybiera administrator w kartotece klienta.');
    expect(sectionOf(page.text, 'without-accounts')).toContain('Gdy pojawią się klienci');
  });

  it('shows an admin the whole tenant, and the accounts locked or with an expired invitation', async () => {
    const { tenant, requestId } = await twoCaretakers();
    const admin = await makeUser(env.db, tenant, 'admin');
    const locked = await makeUser(env.db, tenant, 'caretaker', { firstName: 'Lucjan', lastName: 'Zablokowany' });
    await env.db('users').where('id', locked.id).update({ is_locked: true });
    const expired = await makeUser(env.db, tenant, 'client', { firstName: 'Ewa', lastName: 'Wygasła', password: null });
    await env.db('users').where('id', expired.id).update({ invited_at: toDatabaseTime(new Date(Date.now() - 8 * 86_400_000)) });
    const fresh = await makeUser(env.db, tenant, 'client', { firstName: 'Fryderyk', lastName: 'Świeży', password: null });
    await env.db('users').where('id', fresh.id).update({ invited_at: toDatabaseTime(new Date(Date.now() - 86_400_000)) });

    const page = await (await signedInAgent(env.app, tenant, admin.login)).get(`/${tenant.slug}/staff`);
    const customers = sectionOf(page.text, 'customers');
    expect(customers).toContain('Klienci');
    for (const name of ['Alfa', 'Beta', 'Gamma']) expect(customers).toContain(name);
    expect(sectionOf(page.text, 'pending-requests')).toContain(`/staff/change-requests/${requestId}"`);
    const lockedSection = sectionOf(page.text, 'locked-accounts');
    expect(lockedSection).toContain(`href="/${tenant.slug}/admin/accounts/${locked.id}"`);
    expect(lockedSection).toContain(`href="/${tenant.slug}/admin/accounts?state=locked"`);
    const expiredSection = sectionOf(page.text, 'expired-invitations');
    expect(expiredSection).toContain('Ewa Wygasła');
    expect(expiredSection).not.toContain('Fryderyk');
    expect(expiredSection).toContain(`href="/${tenant.slug}/admin/accounts?state=invitationExpired"`);
    expect(menuCountOf(page.text)).toBe('1');
  });

  it('shows an admin empty sections that say so', async () => {
    const tenant = await makeTenant(env.db);
    const page = await (await signedInAgent(env.app, tenant, tenant.superadmin.login)).get(`/${tenant.slug}/staff`);
    expect(sectionOf(page.text, 'customers')).toContain(`href="/${tenant.slug}/admin/customers/new"`);
    expect(sectionOf(page.text, 'locked-accounts')).toContain('Żadne konto nie jest zablokowane.');
    expect(sectionOf(page.text, 'expired-invitations')).toContain('Żadne zaproszenie nie wygasło bez wykorzystania.');
  });

  it('counts the waiting requests in the menu of every staff page, and drops a decided one', async () => {
    const { tenant, karolina, alfa, requestId } = await twoCaretakers();
    await fileRequest(tenant, alfa, 'Gdańsk');
    const agent = await signedInAgent(env.app, tenant, karolina.login);
    for (const path of ['staff/customers', 'account', `staff/customers/${alfa.id}`]) {
      const page = await agent.get(`/${tenant.slug}/${path}`);
      expect(page.status, path).toBe(200);
      expect(menuCountOf(page.text), path).toBe('2');
    }
    await env.db('customer_change_requests').where('id', requestId).update({ status: 'rejected', decided_at: toDatabaseTime(new Date()) });
    expect(menuCountOf((await agent.get(`/${tenant.slug}/staff/change-requests`)).text)).toBe('1');
  });

  it('shows every member of staff the unassigned queue with the e-mail from unknown senders, and admins the entries awaiting approval (issue 17)', async () => {
    const tenant = await makeTenant(env.db);
    const orphan = await makeCustomer(env.db, tenant, { name: 'Bez Opiekuna S.A.' });
    const client = await makeUser(env.db, tenant, 'client', { customer: orphan });
    await makeTicket(env.db, tenant, client, { title: 'Nikt tego nie ma' });
    await ingest(env.db, tenant, mailFixture('unknown-sender.eml'));
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const admin = await makeUser(env.db, tenant, 'admin');
    await enterLedgerEntry(userScope(env.db, admin), { kind: 'payment', customerId: orphan.id, amount: moneyOf(12_345, 'PLN'), paidOn: '2026-11-30', method: 'transfer', reference: 'Przelew' });
    const staffPage = (await (await signedInAgent(env.app, tenant, caretaker.login)).get(`/${tenant.slug}/staff`)).text;
    expect(sectionOf(staffPage, 'queue')).toContain('Nikt tego nie ma');
    expect(sectionOf(staffPage, 'queue')).toContain('data-testid="queue-total">1<');
    expect(staffPage).toContain('W kolejce czeka 1 e-mail od nieznanego nadawcy.');
    expect(staffPage).not.toContain('section-pending-entries');
    const adminPage = (await (await signedInAgent(env.app, tenant, admin.login)).get(`/${tenant.slug}/staff`)).text;
    expect(sectionOf(adminPage, 'pending-entries')).toContain('Bez Opiekuna S.A.');
    expect(sectionOf(adminPage, 'pending-entries')).toContain('123,45');
    expect(sectionOf(adminPage, 'pending-entries')).toContain('data-testid="pending-entries-total">1<');
    expect(sectionOf(adminPage, 'imports')).toContain('Nie było jeszcze żadnego importu.');
  });

  it('shows a caretaker their customers with overdue money, the most overdue first, and an admin every such customer', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const mine = await makeCustomer(env.db, tenant, { name: 'Moja Firma', caretaker });
    const paid = await makeCustomer(env.db, tenant, { name: 'Wszystko Zapłacone', caretaker });
    const other = await makeCustomer(env.db, tenant, { name: 'Cudza Firma' });
    const system = scopeFor(env.db, tenant);
    const invoice = (customer: Customer, minor: number, number: string) => enterLedgerEntry(system, { kind: 'invoice', customerId: customer.id, amount: moneyOf(minor, 'PLN'), documentNumber: number, issueDate: '2026-01-01', dueDate: '2026-01-15' }, { isApproved: true, source: 'import' });
    await invoice(mine, 45_600, 'FV/1');
    await invoice(other, 99_900, 'FV/2');
    await invoice(paid, 10_000, 'FV/3');
    await enterLedgerEntry(system, { kind: 'payment', customerId: paid.id, amount: moneyOf(10_000, 'PLN'), paidOn: '2026-01-10', method: 'cash' }, { isApproved: true, source: 'import' });
    const staffPage = (await (await signedInAgent(env.app, tenant, caretaker.login)).get(`/${tenant.slug}/staff`)).text;
    const section = sectionOf(staffPage, 'overdue-customers');
    expect(section).toContain('Moi klienci z zaległościami');
    expect(section).toContain('Moja Firma');
    expect(section).toContain('456,00');
    expect(section).not.toContain('Cudza Firma');
    expect(section).not.toContain('Wszystko Zapłacone');
    const adminPage = (await (await signedInAgent(env.app, tenant, tenant.superadmin.login)).get(`/${tenant.slug}/staff`)).text;
    const all = sectionOf(adminPage, 'overdue-customers');
    expect(all.indexOf('Cudza Firma')).toBeGreaterThan(-1);
    expect(all.indexOf('Cudza Firma')).toBeLessThan(all.indexOf('Moja Firma'));
  });

  it('shows no count to clients, whose menu has no such entry', async () => {
    const { tenant, alfa } = await twoCaretakers();
    const client = await makeUser(env.db, tenant, 'client', { customer: alfa });
    const page = await (await signedInAgent(env.app, tenant, client.login)).get(`/${tenant.slug}/portal`);
    expect(page.text).not.toContain('nav-count');
  });
});
