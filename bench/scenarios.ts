import { randomGets, signIns, type Scenario } from './load.js';
import type { Targets } from './dataset.js';

/** The signed-in sessions of a run, each a Cookie header, by who signed in. */
export type Sessions = { clients: string[]; caretakers: Map<string, string>; admins: string[] };

/** The ceiling: the fortunes page of bench/ceiling.ts. */
export const ceilingScenario: Scenario = { name: 'ceiling: Express + EJS fortunes (knex)', kind: 'ceiling', requests: randomGets([{ path: '/fortunes' }]), expected: [200] };

/**
 * The pages of item 3 that load as pages (a random customer or caretaker per request), in the order
 * of the table. The PDF is a page too here: a request answered with a document.
 */
export function pageScenarios(targets: Targets, sessions: Sessions): Scenario[] {
  const base = `/${targets.slug}`;
  const asClients = (path: string) => randomGets(sessions.clients.map((cookie) => ({ path: `${base}${path}`, cookie })));
  const caretakers = [...sessions.caretakers.values()];
  const asCaretakers = (path: string) => randomGets(caretakers.map((cookie) => ({ path: `${base}${path}`, cookie })));
  const customerSearch = (term: (customer: Targets['customers'][number]) => string | null) =>
    randomGets(
      targets.customers
        .map(term)
        .filter((value): value is string => Boolean(value))
        .map((value, index) => ({ path: `${base}/staff/customers?q=${encodeURIComponent(value)}`, cookie: sessions.admins[index % sessions.admins.length] })),
    );
  const longTickets = targets.longTickets.filter((ticket) => sessions.caretakers.has(ticket.login)).map((ticket) => ({ path: `${base}/staff/tickets/${ticket.id}`, cookie: sessions.caretakers.get(ticket.login) }));
  return [
    { name: 'client dashboard', kind: 'dashboard', requests: asClients('/portal'), expected: [200] },
    { name: 'client ticket list', kind: 'list', requests: asClients('/portal/tickets'), expected: [200] },
    { name: 'client balance and due items', kind: 'list', requests: asClients('/portal/settlements'), expected: [200] },
    { name: 'staff my tasks (caretaker)', kind: 'list', requests: asCaretakers('/staff/tasks'), expected: [200] },
    { name: 'staff my tasks, overdue', kind: 'list', requests: asCaretakers('/staff/tasks?due=overdue'), expected: [200] },
    { name: 'staff customer search: name', kind: 'list', requests: customerSearch((customer) => customer.name), expected: [200] },
    { name: 'staff customer search: NIP', kind: 'list', requests: customerSearch((customer) => customer.taxId), expected: [200] },
    { name: 'staff customer search: number', kind: 'list', requests: customerSearch((customer) => customer.customerNumber), expected: [200] },
    { name: 'staff ticket with 20 messages', kind: 'list', requests: randomGets(longTickets), expected: [200] },
    { name: 'payment-order PDF', kind: 'pdf', requests: asClients('/portal/payment-order?choice=other&amount=123%2C45'), expected: [200] },
    // No target: what every signed-in page costs before its own data (the session and its user read, the
    // layout with its menu and forms), the floor under the rows above.
    { name: 'floor: a signed-in page without data (the client\'s password form)', kind: 'page', requests: asClients('/account/password'), expected: [200] },
  ];
}

/** The sign-in POST, a random client each time, through the form. */
export function signInScenario(targets: Targets, password: string): Scenario {
  return { name: 'sign-in POST (form, then POST)', kind: 'sign-in', requests: signIns(targets.slug, targets.clientLogins, password), expected: [200, 303] };
}
