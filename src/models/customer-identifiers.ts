import type { Scope } from '../db/scope.js';
import { isUniqueViolation, ValidationError } from '../lib/errors.js';
import { taxIdSpellings } from '../lib/nip.js';
import type { CustomerDetails } from './customer.js';
import { visibleCustomers } from './visibility.js';

/**
 * What identifies a customer outside the portal: its tax id and its number in the accounting
 * system. A number belongs to one customer of the tenant (a unique key; imports match on it). A
 * tax id may be shared (the branches of one company have one NIP), but only on purpose: a tax id
 * that another customer of the tenant already has is saved only when the form confirms it.
 */

/** Another customer, as a refusal names it (with a link to its record). */
export type CustomerReference = { id: number; name: string; isActive: boolean };

/** The refusal of a customer's identifiers: field messages, and the customers that hold them. */
export class CustomerIdentifierError extends ValidationError {
  readonly sharingTaxId: CustomerReference[];
  readonly holdingNumber: CustomerReference | null;

  constructor(fields: { sharingTaxId?: CustomerReference[]; holdingNumber?: CustomerReference | null }) {
    const sharingTaxId = fields.sharingTaxId ?? [];
    const holdingNumber = fields.holdingNumber ?? null;
    super({
      ...(sharingTaxId.length > 0 ? { taxId: 'customers:validation.taxIdShared' } : {}),
      ...(holdingNumber ? { customerNumber: 'customers:validation.customerNumberTaken' } : {}),
    });
    this.sharingTaxId = sharingTaxId;
    this.holdingNumber = holdingNumber;
  }
}

const toReference = (row: Record<string, unknown>): CustomerReference => ({ id: Number(row.id), name: String(row.name), isActive: Boolean(row.is_active) });

/** The tenant's other customers with this tax id (compared as stored: a NIP's digits, a foreign id with or without its prefix). */
export async function customersSharingTaxId(scope: Scope, taxCountry: string, taxId: string, exceptId: number | null): Promise<CustomerReference[]> {
  const query = visibleCustomers(scope).where('customers.tax_country', taxCountry).whereIn('customers.tax_id', taxIdSpellings(taxId, taxCountry));
  if (exceptId !== null) query.whereNot('customers.id', exceptId);
  const rows: Array<Record<string, unknown>> = await query.orderBy('customers.name').orderBy('customers.id').limit(10).select('customers.id', 'customers.name', 'customers.is_active');
  return rows.map(toReference);
}

/** The tenant's other customer with this accounting number, if any. */
export async function customerHoldingNumber(scope: Scope, customerNumber: string, exceptId: number | null): Promise<CustomerReference | null> {
  const query = visibleCustomers(scope).where('customers.customer_number', customerNumber);
  if (exceptId !== null) query.whereNot('customers.id', exceptId);
  const row = await query.first('customers.id', 'customers.name', 'customers.is_active');
  return row ? toReference(row) : null;
}

type IdentifierCheck = {
  /** The customer being edited (its own identifiers are no clash), or null for a new one. */
  customerId: number | null;
  /** What is stored now: an unchanged tax id is not asked about again. */
  stored: Pick<CustomerDetails, 'taxCountry' | 'taxId' | 'customerNumber'> | null;
  isSharedTaxIdConfirmed: boolean;
};

/**
 * Refuses a customer number another customer has, and a new or changed tax id that another
 * customer has unless the form confirmed sharing it. Run inside the verb's transaction; the unique
 * key still decides a race on the number (see refusalOfNumberRace).
 * @throws CustomerIdentifierError naming the other customers
 */
export async function assertCustomerIdentifiers(scope: Scope, details: Pick<CustomerDetails, 'taxCountry' | 'taxId' | 'customerNumber'>, check: IdentifierCheck): Promise<void> {
  const isTaxIdNew = check.stored === null || check.stored.taxId !== details.taxId || check.stored.taxCountry !== details.taxCountry;
  const [sharingTaxId, holdingNumber] = await Promise.all([
    details.taxId && isTaxIdNew && !check.isSharedTaxIdConfirmed ? customersSharingTaxId(scope, details.taxCountry, details.taxId, check.customerId) : [],
    details.customerNumber ? customerHoldingNumber(scope, details.customerNumber, check.customerId) : null,
  ]);
  if (sharingTaxId.length > 0 || holdingNumber) throw new CustomerIdentifierError({ sharingTaxId, holdingNumber });
}

/**
 * A save that broke the unique key of the customer number (another request took the number between
 * our check and the write) as the same refusal as a plain duplicate; any other error goes on.
 */
export async function refusalOfNumberRace(scope: Scope, error: unknown, details: Pick<CustomerDetails, 'customerNumber'>, customerId: number | null): Promise<never> {
  if (isUniqueViolation(error) && details.customerNumber) {
    const holdingNumber = await customerHoldingNumber(scope, details.customerNumber, customerId);
    if (holdingNumber) throw new CustomerIdentifierError({ holdingNumber });
  }
  throw error;
}
