import type { Scope } from '../db/scope.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { assertAssignableCaretaker, customerDetailFields, detailColumns, findCustomer, type Customer, type CustomerDetails } from './customer.js';
import { assertCustomerIdentifiers, refusalOfNumberRace } from './customer-identifiers.js';
import { changedSettingFields, customerSettingOverrides, saveCustomerSettings, type CustomerSettingOverrides } from './customer-settings.js';
import { visibleCustomers } from './visibility.js';

export type CustomerChange = {
  version: number;
  details: CustomerDetails;
  settings: CustomerSettingOverrides;
  /** The form confirmed that the customer shares its tax id with another (a branch): see customer-identifiers.ts. */
  isSharedTaxIdConfirmed?: boolean;
};

/** The stored state of a customer as its edit form shows it. */
export type CustomerState = { customer: Customer; settings: CustomerSettingOverrides };

export type CustomerUpdate =
  | { status: 'updated'; changedFields: string[] }
  /** Someone saved in between: nothing was written; `current` is what is stored now. */
  | { status: 'conflict'; current: CustomerState };

export async function findCustomerState(scope: Scope, id: number): Promise<CustomerState> {
  const customer = await findCustomer(scope, id);
  return { customer, settings: await customerSettingOverrides(scope, id) };
}

/** The fields (details and settings) whose values differ between a stored state and a change. */
export function changedFields(state: CustomerState, change: Pick<CustomerChange, 'details' | 'settings'>): string[] {
  const details = customerDetailFields.filter((field) => state.customer[field] !== change.details[field]);
  const settings = changedSettingFields(state.settings, change.settings);
  return [...details, ...settings];
}

/**
 * Saves an admin's edit with optimistic locking: the row is updated only while it still has the
 * version the form was opened with, and each save bumps it. When another save came in between,
 * nothing is written and the caller gets the stored state to show side by side (409): no change
 * is overwritten silently. A repeated submission of values already stored counts as saved.
 * A merged form sent after a conflict (validators/edit-merge.ts) is an ordinary save at the new version.
 * @throws NotFoundError when the customer is not the scope tenant's
 * @throws ValidationError when the caretaker is not an active staff member of the tenant
 * @throws CustomerIdentifierError when the number is another customer's, or the tax id is and sharing it was not confirmed
 */
export async function updateCustomer(scope: Scope, id: number, change: CustomerChange): Promise<CustomerUpdate> {
  return saveUpdate(scope, id, change).catch((error: unknown) => refusalOfNumberRace(scope, error, change.details, id));
}

/**
 * The edit form never activates or deactivates: that has its own confirmation (customer.ts,
 * setCustomerActive), so whatever the form sends for it, the stored state stays.
 */
function saveUpdate(scope: Scope, id: number, submitted: CustomerChange): Promise<CustomerUpdate> {
  return scope.transaction(async (trx) => {
    const before = await findCustomerState(trx, id);
    const change = { ...submitted, details: { ...submitted.details, isActive: before.customer.isActive } };
    await assertAssignableCaretaker(trx, change.details.caretakerId, before.customer.caretakerId);
    const fields = changedFields(before, change);
    if (before.customer.version !== change.version) {
      return fields.length === 0 ? { status: 'updated', changedFields: [] } : { status: 'conflict', current: before };
    }
    if (fields.length === 0) return { status: 'updated', changedFields: [] };
    await assertCustomerIdentifiers(trx, change.details, { customerId: id, stored: before.customer, isSharedTaxIdConfirmed: change.isSharedTaxIdConfirmed ?? false });
    const updated = await visibleCustomers(trx)
      .where({ id, version: change.version })
      .update({ ...detailColumns(change.details), version: trx.raw('version + 1'), updated_at: toDatabaseTime(trx.now()) });
    // A save that committed between our read and this update (possible on MySQL) is caught here.
    if (!updated) return { status: 'conflict', current: await findCustomerState(trx, id) };
    await saveCustomerSettings(trx, id, before.settings, change.settings);
    await logEvent(trx, { action: 'customer.updated', subjectType: 'customer', subjectId: id, details: { fields } });
    return { status: 'updated', changedFields: fields };
  });
}
