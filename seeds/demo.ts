import type { Knex } from 'knex';
import { openSystemWork } from '../src/db/installation.js';
import { systemClock } from '../src/lib/time.js';
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
  await staff('admin', 'Adam', 'Kowalski', 'admin');
  // The caretaker's phone and the office's contact details are what clients see on their start page (issue 14).
  const caretaker = await staff('caretaker', 'Karolina', 'Zielińska', 'caretaker', '+48 22 100 20 30');
  await system.tenants().where('id', demo.id).update({ office_email: 'biuro@demo.example', office_phone: '+48 22 100 20 00', office_address: 'ul. Przykładowa 1\n00-950 Warszawa', office_hours: 'pon.–pt. 8:00–16:00' });
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

  await createTenant(
    system,
    { slug: 'other', name: 'Other Provider Ltd', defaultLocale: 'en', admin: { login: 'admin', email: 'admin@other.example', firstName: 'Olivia', lastName: 'Owen', password } },
    { bcryptCost },
  );
  return demoLogins;
}
