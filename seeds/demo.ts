import type { Knex } from 'knex';
import type { Scope } from '../src/db/scope.js';
import { openSystemWork } from '../src/db/installation.js';
import { openScope } from '../src/db/scope.js';
import { moneyOf } from '../src/lib/money.js';
import { calendarDateIn, systemClock } from '../src/lib/time.js';
import { enterLedgerEntry } from '../src/models/ledger.js';
import { createAnnouncement } from '../src/models/announcement.js';
import { createCustomer } from '../src/models/customer.js';
import { countTenants, createTenant, findTenantBySlug } from '../src/models/tenant.js';
import { createUser } from '../src/models/user.js';

export type DemoLogin = { tenant: string; login: string; description: string };

/** The demo provider's address (/demo/login), where `/` leads in development. */
export const demoTenantSlug = 'demo';

/** The logins seedDemo creates, all with the demo password. */
export const demoLogins: readonly DemoLogin[] = [
  { tenant: 'demo', login: 'superadmin', description: 'superadmin' },
  { tenant: 'demo', login: 'admin', description: 'admin' },
  { tenant: 'demo', login: 'caretaker', description: 'caretaker of Alfa sp. z o.o.' },
  { tenant: 'demo', login: 'anna', description: 'client at Alfa sp. z o.o., approves its tickets' },
  { tenant: 'demo', login: 'piotr', description: 'client at Beta s.r.o. (no caretaker)' },
  { tenant: 'other', login: 'admin', description: 'superadmin of another tenant' },
];

/**
 * The demo data of a first start in development: tenant `demo` with two customers (Alfa with a
 * caretaker, Beta without) and one login per role, and tenant `other` to show isolation.
 * Does nothing when any tenant exists. Never called in production.
 * @returns the demo logins when the demo tenant exists (made now or on an earlier start), else null
 */
export async function seedDemo(db: Knex, options: { password: string; bcryptCost: number }): Promise<readonly DemoLogin[] | null> {
  const system = openSystemWork(db, systemClock, 'seed demo');
  if ((await countTenants(system)) > 0) return (await findTenantBySlug(system, 'demo')) ? demoLogins : null;
  const { password, bcryptCost } = options;
  const { tenant: demo } = await createTenant(
    system,
    { slug: 'demo', name: 'Demo Serwis sp. z o.o.', admin: { login: 'superadmin', email: 'superadmin@demo.example', firstName: 'Zofia', lastName: 'Wiśniewska', password } },
    { bcryptCost },
  );
  const scope = system.scopeFor(demo.id);
  const staff = (login: string, firstName: string, lastName: string, role: 'admin' | 'caretaker', phone: string | null = null) =>
    createUser(scope, { login, email: `${login}@demo.example`, firstName, lastName, role, password, phone }, { bcryptCost });
  const admin = await staff('admin', 'Adam', 'Kowalski', 'admin');
  // The caretaker's phone and the office's contact details are what clients see on their start page (issue 14).
  const caretaker = await staff('caretaker', 'Karolina', 'Zielińska', 'caretaker', '+48 22 100 20 30');
  await system.tenants().where('id', demo.id).update({ office_email: 'biuro@demo.example', office_phone: '+48 22 100 20 00', office_address: 'ul. Przykładowa 1\n00-950 Warszawa', office_hours: 'pon.–pt. 8:00–16:00' });
  // The billing details (D7) that payment orders and arrears statements print: a valid NIP and NRB (made up), so the
  // order has its account and its ZBP code. Virtual accounts stay off: Alfa's number (K/0001) is not digits.
  await system.tenants().where('id', demo.id).update({
    legal_name: 'Demo Serwis sp. z o.o.',
    legal_street: 'ul. Przykładowa 1',
    legal_postal_code: '00-950',
    legal_city: 'Warszawa',
    tax_country: 'PL',
    tax_id: '9521043838',
    bank_account: '07102010268765432100001234',
    payment_term_days: 14,
    virtual_account_prefix: '10201026',
  });
  const alfa = await createCustomer(scope, {
    name: 'Alfa sp. z o.o.',
    caretakerId: caretaker.id,
    taxId: '1234563218',
    street: 'ul. Kwiatowa 12',
    postalCode: '00-001',
    city: 'Warszawa',
    email: 'biuro@alfa.example',
    phone: '+48 22 300 40 50',
    customerNumber: 'K/0001',
    bankAccount: '61109010140000071219812874',
  });
  const beta = await createCustomer(scope, { name: 'Beta s.r.o.' });
  await createUser(scope, { login: 'anna', email: 'anna@alfa.example', firstName: 'Anna', lastName: 'Nowak', role: 'client', customerId: alfa.id, password, isApprover: true }, { bcryptCost });
  await createUser(scope, { login: 'piotr', email: 'piotr@beta.example', firstName: 'Piotr', lastName: 'Horváth', role: 'client', customerId: beta.id, password }, { bcryptCost });

  const adminScope = openScope(db, { tenantId: demo.id, actor: { kind: 'user', id: admin.id, tenantId: demo.id, role: 'admin', customerId: null }, clock: systemClock });
  await seedDemoLedger(scope, adminScope, alfa.id, calendarDateIn(systemClock(), demo.timeZone));
  await seedDemoAnnouncements(adminScope, alfa.id);

  await createTenant(
    system,
    { slug: 'other', name: 'Other Provider Ltd', defaultLocale: 'en', admin: { login: 'admin', email: 'admin@other.example', firstName: 'Olivia', lastName: 'Owen', password } },
    { bcryptCost },
  );
  return demoLogins;
}

/** A calendar date some days from another ('YYYY-MM-DD'), for demo dates around today. */
function daysFrom(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Alfa's settlements (M1), through the model verbs: three approved invoices from the accounting
 * system (one overdue), a payment allocated to the oldest, and a payment entered by `admin` that
 * waits for approval, so that `superadmin` can approve it. No e-mail is queued.
 */
async function seedDemoLedger(system: Scope, admin: Scope, customerId: number, today: string): Promise<void> {
  const pln = (minor: number) => moneyOf(minor, 'PLN');
  const approved = { isApproved: true, source: 'import' as const };
  const invoice = (number: string, minor: number, issuedDaysAgo: number) =>
    enterLedgerEntry(system, { kind: 'invoice', customerId, amount: pln(minor), documentNumber: number, issueDate: daysFrom(today, -issuedDaysAgo), dueDate: daysFrom(today, 14 - issuedDaysAgo) }, approved);
  await invoice('FV/1/2026', 123_000, 75);
  await invoice('FV/2/2026', 246_000, 40);
  await invoice('FV/3/2026', 61_500, 5);
  await enterLedgerEntry(system, { kind: 'payment', customerId, amount: pln(123_000), paidOn: daysFrom(today, -55), method: 'transfer', reference: 'FV/1/2026' }, approved);
  await enterLedgerEntry(admin, { kind: 'payment', customerId, amount: pln(100_000), paidOn: daysFrom(today, -1), method: 'transfer', reference: 'Przelew: część FV/2/2026' });
}

/**
 * Two announcements by `admin` (C2): one to every client, a day old, and one to Alfa only. None is
 * urgent, so that signing in as anna or piotr leads to their pages; no e-mail copy is queued.
 */
async function seedDemoAnnouncements(admin: Scope, alfaId: number): Promise<void> {
  const dayAgo = new Date(systemClock().getTime() - 86_400_000);
  const common = { groupId: null, customerId: null, login: null, isUrgent: false, sendsEmail: false, endsAt: null };
  await createAnnouncement(admin, {
    ...common,
    title: 'Nowe godziny pracy biura',
    body: 'Od poniedziałku biuro obsługi klienta pracuje w godzinach **8:00–17:00**.\n\nW sprawach pilnych:\n\n- telefon: +48 22 100 20 00\n- e-mail: biuro@demo.example',
    audience: 'all',
    publishAt: dayAgo,
  });
  await createAnnouncement(admin, {
    ...common,
    title: 'Przegląd serwisowy wózków',
    body: 'Zapraszamy do umówienia corocznego przeglądu. Zgłoszenie można złożyć w portalu: kategoria „Zlecenie serwisowe”.',
    audience: 'customer',
    customerId: alfaId,
    publishAt: systemClock(),
  });
}
