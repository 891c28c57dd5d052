import type { Scope } from '../db/scope.js';
import type { Customer } from './customer.js';
import { findCustomer } from './customer.js';
import { duesOf, type CustomerDues } from './customer-balance.js';
import { accountOfCustomer, addressLineOf, findBillingDetails } from './billing-details.js';
import { findProviderDetails } from './provider-details.js';

/**
 * Who a payment order pays and what the arrears statement is headed with: the tenant's billing
 * details (D7), its legal name and address where it has given them, else its name and the office
 * address of the provider details. The account is the customer's own virtual account where the
 * tenant has them on (`isVirtualAccount`), else the tenant's; null while the tenant has none.
 */
export type PaymentRecipient = { name: string; address: string | null; taxCountry: string; taxId: string | null; bankAccount: string | null; isVirtualAccount: boolean };

/** The recipient of a customer's payments (the customer decides the virtual account); without a customer, the tenant's account. */
export async function findPaymentRecipient(scope: Scope, customer: Pick<Customer, 'customerNumber'> | null = null): Promise<PaymentRecipient> {
  const [provider, billing] = await Promise.all([findProviderDetails(scope), findBillingDetails(scope)]);
  const { account, isVirtual } = accountOfCustomer(billing, customer?.customerNumber ?? null);
  return {
    name: billing.legalName ?? provider.name,
    address: addressLineOf(billing) ?? provider.office.address,
    taxCountry: billing.taxCountry,
    taxId: billing.taxId,
    bankAccount: account,
    isVirtualAccount: isVirtual,
  };
}

/** What a payment order or arrears statement of a customer is made of. */
export type PaymentDocumentData = { recipient: PaymentRecipient; customer: Customer; dues: CustomerDues };

/**
 * The recipient, the customer and its dues on `today` (the tenant's calendar day).
 * @throws NotFoundError for a customer out of the actor's reach
 */
export async function findPaymentDocumentData(scope: Scope, customerId: number, today: string): Promise<PaymentDocumentData> {
  const customer = await findCustomer(scope, customerId);
  const [recipient, dues] = await Promise.all([findPaymentRecipient(scope, customer), duesOf(scope, customerId, today)]);
  return { recipient, customer, dues };
}
