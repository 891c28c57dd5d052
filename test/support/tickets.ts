import type { Knex } from 'knex';
import type { Scope } from '../../src/db/scope.js';
import type { Customer } from '../../src/models/customer.js';
import { listTicketCategories } from '../../src/models/ticket-category.js';
import { fileTicket, findTicket, type NewTicket, type Ticket } from '../../src/models/ticket.js';
import type { User } from '../../src/models/user.js';
import { scopeFor, userScope, type TestTenant } from './factories.js';

/** The id of the tenant's category of a kind (every tenant starts with the five of the issue). */
export async function categoryId(db: Knex, tenant: TestTenant, code = 'failure'): Promise<number> {
  const categories = await listTicketCategories(scopeFor(db, tenant), { isActiveOnly: true, isOfficeMessageIncluded: true });
  return categories.find((category) => category.code === code)!.id;
}

/** A ticket filed by the user (a client in the portal, staff on the customer's behalf), through the model's verb. */
export async function makeTicket(db: Knex, tenant: TestTenant, filer: User, overrides: Partial<NewTicket> & { customer?: Customer } = {}): Promise<Ticket> {
  const scope: Scope = userScope(db, filer);
  const id = await fileTicket(scope, {
    customerId: overrides.customer?.id ?? filer.customerId!,
    categoryId: overrides.categoryId ?? (await categoryId(db, tenant)),
    title: overrides.title ?? 'Nie działa drukarka',
    description: overrides.description ?? 'Drukarka w biurze na parterze nie drukuje od rana.',
    preferredDate: overrides.preferredDate ?? null,
    preferredTime: overrides.preferredTime ?? null,
    source: overrides.source ?? (filer.role === 'client' ? 'portal' : 'staff'),
    submissionKey: overrides.submissionKey ?? null,
  });
  return findTicket(scopeFor(db, tenant), id);
}
