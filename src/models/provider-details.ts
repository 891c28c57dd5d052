import type { Scope } from '../db/scope.js';
import { isAdministrator } from '../db/scope.js';
import { ForbiddenError } from '../lib/errors.js';
import { toDatabaseTime } from '../lib/time.js';
import { noteConfigurationChanged } from './tenant-configuration.js';
import { logEvent } from './audit.js';
import { findScopeTenantRow } from './scope-tenant.js';

/** The provider's office, as clients reach it: shown on their start page, and told of requests nobody looks after. */
export type OfficeContact = { email: string | null; phone: string | null; address: string | null; hours: string | null };
/** The provider (tenant) with its office's contact details. */
export type ProviderDetails = { name: string; office: OfficeContact };

const columns: Record<keyof OfficeContact, string> = { email: 'office_email', phone: 'office_phone', address: 'office_address', hours: 'office_hours' };
const officeFields = Object.keys(columns) as Array<keyof OfficeContact>;

const text = (value: unknown): string | null => (value === null || value === undefined || value === '' ? null : String(value));

/**
 * The scope's provider and its office contact, as stored now: from the request's one read of the
 * tenant's row (findScopeTenantRow), not the tenant the middleware caches, which would show an admin's
 * change only half a minute later.
 */
export async function findProviderDetails(scope: Scope): Promise<ProviderDetails> {
  const row = await findScopeTenantRow(scope);
  return { name: String(row.name), office: Object.fromEntries(officeFields.map((field) => [field, text(row[columns[field]])])) as OfficeContact };
}

/** Whether the office has any way to be reached. */
export function hasOfficeContact(office: OfficeContact): boolean {
  return officeFields.some((field) => office[field] !== null);
}

/**
 * Saves the office's contact details (admins). Only what differs is written, with an audit entry
 * naming the fields (not their values); saving the same values again changes nothing.
 * @throws ForbiddenError for anyone but an admin or superadmin
 * @returns the fields that changed
 */
export async function updateOfficeContact(scope: Scope, office: OfficeContact): Promise<Array<keyof OfficeContact>> {
  if (!isAdministrator(scope.actor)) throw new ForbiddenError('only admins change the provider details');
  return scope.transaction(async (trx) => {
    const before = await findProviderDetails(trx);
    const changed = officeFields.filter((field) => before.office[field] !== office[field]);
    if (changed.length === 0) return changed;
    const update: Record<string, unknown> = { updated_at: toDatabaseTime(trx.now()) };
    for (const field of changed) update[columns[field]] = office[field];
    await trx.tenantRow().update(update);
    await noteConfigurationChanged(trx);
    await logEvent(trx, { action: 'tenant.updated', subjectType: 'tenant', subjectId: trx.tenantId, details: { fields: changed } });
    return changed;
  });
}
