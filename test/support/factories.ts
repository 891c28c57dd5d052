import { newConfigurationVersion } from '../../src/models/tenant-configuration.js';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { openSystemWork } from '../../src/db/installation.js';
import { openScope, type Role, type Scope } from '../../src/db/scope.js';
import { systemClock } from '../../src/lib/time.js';
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
    openSystemWork(db, systemClock, 'test fixture'),
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

/** System work on one tenant, as fixtures make their data. */
export function scopeFor(db: Knex, tenant: Pick<Tenant, 'id'>): Scope {
  return openSystemWork(db, systemClock, 'test fixture').scopeFor(tenant.id);
}

/**
 * The scope of a signed-in user, as a request of theirs would have it; with `memo`, one that keeps
 * what it works out there, as a request's scopes share theirs (middleware/context.ts).
 */
export function userScope(db: Knex, user: Pick<User, 'id' | 'tenantId' | 'role' | 'customerId'>, options: { memo?: Map<string, unknown> } = {}): Scope {
  return openScope(db, { tenantId: user.tenantId, actor: { kind: 'user', id: user.id, tenantId: user.tenantId, role: user.role, customerId: user.customerId }, clock: systemClock, memo: options.memo });
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

/**
 * After a test changes a tenant's row, settings or ticket categories by hand (SQL), as the model verbs
 * do: a new configuration version, so that what the app kept of them (Scope.kept) gives way.
 */
export async function renewConfigurationVersion(db: Knex, tenant: Pick<Tenant, 'id'>): Promise<void> {
  await db('tenant_configuration_versions').where('tenant_id', tenant.id).update({ version: newConfigurationVersion() });
}
