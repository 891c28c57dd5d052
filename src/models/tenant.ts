import { createDefaultTicketCategories } from './ticket-category.js';
import { startConfigurationVersion } from './tenant-configuration.js';
import type { Installation, SystemWork } from '../db/installation.js';
import type { Scope } from '../db/scope.js';
import { findScopeTenantRow } from './scope-tenant.js';
import type { Links } from '../lib/urls.js';
import { ConflictError } from '../lib/errors.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent, startAuditChain } from './audit.js';
import { createDefaultGroup } from './group.js';
import { enqueueMail } from './outbox.js';
import { issuePasswordToken } from './password-token.js';
import { createUser, greetingNameOf, type User } from './user.js';

export type Tenant = {
  id: number;
  slug: string;
  name: string;
  defaultLocale: string;
  timeZone: string;
  currency: string;
  isActive: boolean;
};

function toTenant(row: Record<string, unknown>): Tenant {
  return {
    id: Number(row.id),
    slug: String(row.slug),
    name: String(row.name),
    defaultLocale: String(row.default_locale),
    timeZone: String(row.time_zone),
    currency: String(row.currency),
    isActive: Boolean(row.is_active),
  };
}

export async function findTenantBySlug(installation: Installation, slug: string): Promise<Tenant | undefined> {
  const row = await installation.tenants().where({ slug, is_active: true }).first();
  return row ? toTenant(row) : undefined;
}

/** A tenant by its slug, active or not: for system work that must reach a deactivated tenant (audit:verify). */
export async function findAnyTenantBySlug(system: SystemWork, slug: string): Promise<Tenant | undefined> {
  const row = await system.tenants().where({ slug }).first();
  return row ? toTenant(row) : undefined;
}

export async function countTenants(installation: Installation): Promise<number> {
  const row = await installation.tenants().count({ count: '*' }).first();
  return Number(row?.count ?? 0);
}

export type NewTenant = {
  slug: string;
  name: string;
  defaultLocale?: string;
  /** The first superadmin; `passwordHash` (made beforehand, e.g. once for many seeded accounts) wins over `password`. */
  admin: { login: string; email: string; firstName?: string; lastName?: string; password?: string; passwordHash?: string };
};

/**
 * Creates a tenant with its CLIENTS group and a first superadmin, in one transaction: system
 * work (the CLI, seeds). Without a password the superadmin gets a one-time link to set one
 * (returned as setupToken), and, given links, an e-mail with it is queued in the same transaction.
 * @throws ConflictError when the slug is taken
 */
export async function createTenant(
  system: SystemWork,
  input: NewTenant,
  options: { bcryptCost: number; links?: Links },
): Promise<{ tenant: Tenant; admin: User; setupToken: string | null; setupLink: string | null }> {
  if (await system.tenants().where('slug', input.slug).first()) throw new ConflictError(`tenant ${input.slug} already exists`);
  return system.transaction(async (trx) => {
    const now = toDatabaseTime(trx.now());
    const [inserted] = await trx.tenants().insert({
      slug: input.slug,
      name: input.name,
      default_locale: input.defaultLocale ?? 'pl',
      created_at: now,
      updated_at: now,
    });
    const tenantId = Number(inserted);
    const scope = trx.scopeFor(tenantId);
    await startConfigurationVersion(scope);
    await startAuditChain(scope);
    await createDefaultGroup(scope);
    await createDefaultTicketCategories(scope);
    const admin = await createUser(
      scope,
      {
        login: input.admin.login,
        email: input.admin.email,
        firstName: input.admin.firstName ?? input.admin.login,
        lastName: input.admin.lastName ?? '',
        role: 'superadmin',
        password: input.admin.password ?? null,
        passwordHash: input.admin.passwordHash ?? null,
      },
      options,
    );
    const setupToken = input.admin.password || input.admin.passwordHash ? null : await issuePasswordToken(scope, admin.id, 'setup');
    const setupLink = setupToken && options.links ? options.links.absolute('auth.passwordSetups.edit', { tenant: input.slug, token: setupToken }) : null;
    if (setupLink) {
      await enqueueMail(scope, {
        to: input.admin.email,
        recipientUserId: admin.id,
        locale: input.defaultLocale ?? 'pl',
        template: 'password-setup',
        data: { tenant: input.name, login: admin.login, greetingName: greetingNameOf(admin), link: setupLink },
      });
    }
    await logEvent(scope, { action: 'tenant.created', subjectType: 'tenant', subjectId: tenantId, details: { slug: input.slug } });
    const tenant = toTenant(await trx.tenants().where('id', tenantId).first());
    return { tenant, admin, setupToken, setupLink };
  });
}

/**
 * The scope's own tenant (for names and languages in e-mails, the currency of amounts), from the
 * request's one read of its row (findScopeTenantRow): a start page's money sections each need the currency.
 */
export async function findScopeTenant(scope: Scope): Promise<Tenant> {
  return toTenant(await findScopeTenantRow(scope));
}
