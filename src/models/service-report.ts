import type { Scope } from '../db/scope.js';
import { NotFoundError } from '../lib/errors.js';
import { findCustomer, type Customer } from './customer.js';
import { findProviderDetails, type ProviderDetails } from './provider-details.js';
import { ticketPricing, type TicketPricing } from './ticket-cost-lines.js';
import { listTicketEvents, listTicketMessages, type TicketMessage } from './ticket-history.js';
import type { Ticket } from './ticket.js';

/**
 * What a ticket's service report (T10, seed 001) prints: the provider and its office, the customer,
 * the ticket with its dates and who handled it, the conversation the client reads, and the pricing.
 */
export type ServiceReport = {
  provider: ProviderDetails;
  /** The customer's name and address; the name alone for staff who see the ticket (the queue) but not the customer's record. */
  customer: Pick<Customer, 'name' | 'street' | 'postalCode' | 'city' | 'country' | 'taxCountry' | 'taxId'>;
  ticket: Ticket;
  /** Replies only: internal notes are dropped here, whoever asks, so no report ever carries one. */
  replies: TicketMessage[];
  closedAt: string | null;
  pricing: TicketPricing;
};

/**
 * The report of a ticket the caller loaded through the actor (and whose pricing the policy lets the
 * actor see: a client only once the ticket is resolved).
 */
export async function findServiceReport(scope: Scope, ticket: Ticket): Promise<ServiceReport> {
  const [provider, customer, messages, events, pricing] = await Promise.all([findProviderDetails(scope), customerOf(scope, ticket), listTicketMessages(scope, ticket), listTicketEvents(scope, ticket), ticketPricing(scope, ticket)]);
  const closing = ticket.status === 'closed' ? events.filter((event) => event.kind === 'status' && event.to === 'closed').at(-1) : undefined;
  return { provider, customer, ticket, replies: messages.filter((message) => !message.isInternal), closedAt: closing?.createdAt ?? null, pricing };
}

async function customerOf(scope: Scope, ticket: Ticket): Promise<ServiceReport['customer']> {
  try {
    return await findCustomer(scope, ticket.customerId);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return { name: ticket.customerName, street: null, postalCode: null, city: null, country: 'PL', taxCountry: 'PL', taxId: null };
  }
}
