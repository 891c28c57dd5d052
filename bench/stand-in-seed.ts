import type { Knex } from 'knex';
import { openSystemWork } from '../src/db/installation.js';
import { moneyOf } from '../src/lib/money.js';
import { systemClock } from '../src/lib/time.js';
import { createCustomer } from '../src/models/customer.js';
import { enterLedgerEntry } from '../src/models/ledger.js';
import { fileTicket } from '../src/models/ticket.js';
import { listTicketCategories } from '../src/models/ticket-category.js';
import { addStaffMessage } from '../src/models/ticket-workflow.js';
import { createTenant } from '../src/models/tenant.js';
import { createUser } from '../src/models/user.js';

export type LargeSeedOptions = { scale: number; password: string; bcryptCost: number; onProgress?: (line: string) => void };
export type LargeSeedResult = { slug: string; smallSlugs: string[]; counts: Record<string, number>; seconds: number };

/**
 * A stand-in for seeds/large.ts (issue 20, item 1, built on another branch) with its signature and
 * logins, made slowly through the model verbs: fine for the quick run's 200 customers, not for 100,000.
 * Tenant `large`: `admin`, `caretaker1..N`, customers with a NIP and a number, `client1..M`, two
 * invoices and a ticket a customer, every 50th ticket with 20 messages.
 */
export async function seedLarge(db: Knex, options: LargeSeedOptions): Promise<LargeSeedResult> {
  const started = performance.now();
  const { password, bcryptCost } = options;
  const system = openSystemWork(db, systemClock, 'bench stand-in seed');
  const { tenant } = await createTenant(system, { slug: 'large', name: 'Large Serwis sp. z o.o.', admin: { login: 'owner', email: 'owner@large.example', password } }, { bcryptCost });
  const scope = system.scopeFor(tenant.id);
  const person = (login: string, role: 'admin' | 'caretaker' | 'client', customerId: number | null = null) =>
    createUser(scope, { login, email: `${login}@large.example`, firstName: login, lastName: 'Large', role, customerId, password }, { bcryptCost });
  await person('admin', 'admin');
  const customerCount = Math.max(20, Math.round(100_000 * options.scale));
  const caretakers = await Promise.all(Array.from({ length: Math.max(2, Math.round(customerCount / 100)) }, (_, index) => person(`caretaker${index + 1}`, 'caretaker')));
  const [category] = await listTicketCategories(scope);
  let clients = 0;
  for (let index = 0; index < customerCount; index += 1) {
    const caretaker = caretakers[index % caretakers.length]!;
    const customer = await createCustomer(scope, { name: `Klient ${index} sp. z o.o.`, caretakerId: caretaker.id, taxId: String(5_250_000_000 + index), customerNumber: `K/${String(index).padStart(6, '0')}` });
    if (index % 2 === 0) await person(`client${(clients += 1)}`, 'client', customer.id);
    for (const [days, minor] of [[40, 12_300], [5, 45_600]] as const) {
      await enterLedgerEntry(scope, { kind: 'invoice', customerId: customer.id, amount: moneyOf(minor, 'PLN'), documentNumber: `FV/${index}/${days}`, issueDate: dayBefore(days), dueDate: dayBefore(days - 14) }, { isApproved: true, source: 'import' });
    }
    const ticketId = await fileTicket(scope, { customerId: customer.id, categoryId: category!.id, title: `Zgłoszenie ${index}`, description: 'Awaria', preferredDate: null, preferredTime: null, source: 'staff' });
    if (index % 50 === 0) {
      const staff = scope.authenticatedAs({ id: caretaker.id, tenantId: tenant.id, role: 'caretaker', customerId: null });
      for (let message = 0; message < 20; message += 1) await addStaffMessage(staff, ticketId, { body: `Wiadomość ${message}`, isInternal: false });
    }
    if (index % 50 === 0) options.onProgress?.(`${index + 1} of ${customerCount} customers`);
  }
  const counts = { customers: customerCount, caretakers: caretakers.length, clients, tickets: customerCount, ledgerEntries: customerCount * 2 };
  return { slug: 'large', smallSlugs: [], counts, seconds: (performance.now() - started) / 1000 };
}

function dayBefore(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}
