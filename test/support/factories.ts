import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Role, Scope } from '../../src/db/scope.js';
import { createCustomer, type Customer } from '../../src/models/customer.js';
import { createTenant, type Tenant } from '../../src/models/tenant.js';
import { createUser, type User } from '../../src/models/user.js';

export const testPassword = 'correct horse 42';
const testCost = { bcryptCost: 4 };

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export type TestTenant = Tenant & { superadmin: User };

/** A tenant of its own for one test, with a superadmin who has the test password. */
export async function makeTenant(db: Knex, overrides: { defaultLocale?: string; name?: string } = {}): Promise<TestTenant> {
  const slug = uniqueName('t');
  const { tenant, admin } = await createTenant(
    db,
    {
      slug,
      name: overrides.name ?? `Tenant ${slug}`,
      defaultLocale: overrides.defaultLocale ?? 'pl',
      admin: { login: 'owner', email: `owner@${slug}.example`, firstName: 'Olga', lastName: 'Owner', password: testPassword },
    },
    testCost,
  );
  return { ...tenant, superadmin: admin };
}

export function scopeFor(db: Knex, tenant: Tenant): Scope {
  return { db, tenantId: tenant.id, actor: null };
}

export async function makeCustomer(db: Knex, tenant: Tenant, overrides: { name?: string; caretaker?: User } = {}): Promise<Customer> {
  return createCustomer(scopeFor(db, tenant), { name: overrides.name ?? uniqueName('Customer'), caretakerId: overrides.caretaker?.id ?? null });
}

/**
 * A user of the tenant with the test password. A client gets a customer of its own unless one is given.
 */
export async function makeUser(
  db: Knex,
  tenant: Tenant,
  role: Role,
  overrides: { customer?: Customer; login?: string; firstName?: string; lastName?: string; mustChangePassword?: boolean; password?: string | null; locale?: string } = {},
): Promise<User> {
  const customer = role === 'client' ? (overrides.customer ?? (await makeCustomer(db, tenant))) : undefined;
  return createUser(
    scopeFor(db, tenant),
    {
      login: overrides.login ?? uniqueName(role),
      email: `${uniqueName(role)}@example.test`,
      firstName: overrides.firstName ?? 'Test',
      lastName: overrides.lastName ?? role,
      role,
      customerId: customer?.id ?? null,
      password: overrides.password === null ? null : (overrides.password ?? testPassword),
      mustChangePassword: overrides.mustChangePassword ?? false,
      locale: overrides.locale ?? null,
    },
    testCost,
  );
}
