import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import * as addTicketSearch from '../../migrations/20261201_2400_add_ticket_search.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { whereTicketMatches } from '../../src/models/ticket-search.js';
import { visibleTickets } from '../../src/models/visibility.js';
import { databaseBefore } from '../support/empty-database.js';
import { databaseKinds } from '../support/environment.js';
import { scopeFor } from '../support/factories.js';

const searchMigration = '20261201_2400_add_ticket_search';

for (const kind of databaseKinds()) {
  describe(`the ticket search migration [${kind}]`, () => {
    /** A database just before the search, with a ticket, a reply and an internal note already there. */
    async function databaseWithTickets() {
      const db = await databaseBefore(kind, searchMigration);
      const stamp = '2026-01-01 09:00:00';
      const [tenantId] = await db('tenants').insert({ slug: 'search', name: 'Search', default_locale: 'pl', created_at: stamp, updated_at: stamp });
      const [customerId] = await db('customers').insert({ tenant_id: tenantId, name: 'Alfa', created_at: stamp, updated_at: stamp });
      const [categoryId] = await db('ticket_categories').insert({ tenant_id: tenantId, code: 'failure', name_pl: 'Awaria', name_en: 'Failure', position: 1, created_at: stamp });
      const [ticketId] = await db('tickets').insert({ tenant_id: tenantId, year: 2026, sequence: 1, customer_id: customerId, source: 'portal', category_id: categoryId, title: 'Wózek widłowy stoi', description: 'Nie rusza po wymianie akumulatora.', status: 'open', created_at: stamp, updated_at: stamp });
      await db('ticket_messages').insert([
        { tenant_id: tenantId, ticket_id: ticketId, body: 'Serwisant przyjedzie jutro.', is_internal: false, created_at: stamp },
        { tenant_id: tenantId, ticket_id: ticketId, body: 'Gwarancja wygasła w marcu.', is_internal: true, created_at: stamp },
      ]);
      return { db, tenantId: Number(tenantId), ticketId: Number(ticketId) };
    }

    async function search(db: Knex, tenantId: number, text: string): Promise<number[]> {
      const scope = scopeFor(db, { id: tenantId });
      const tickets = await visibleTickets(scope);
      const rows: Array<{ id: number }> = await whereTicketMatches(scope, tickets, tickets(), text).select('tickets.id');
      return rows.map((row) => Number(row.id));
    }

    it('makes the tickets already there searchable by title, description, reply and note', async () => {
      const { db, tenantId, ticketId } = await databaseWithTickets();
      await migrateToLatest(db);
      for (const text of ['wózek', 'akumulator', 'serwisant', 'gwarancja']) expect(await search(db, tenantId, text), text).toEqual([ticketId]);
      expect(await search(db, tenantId, 'drukarka')).toEqual([]);
    });

    it('can run again, and be undone and done again, and still finds what it should', async () => {
      const { db, tenantId, ticketId } = await databaseWithTickets();
      await migrateToLatest(db);
      await addTicketSearch.up(db);
      expect(await search(db, tenantId, 'wózek jutro')).toEqual([]);
      expect(await search(db, tenantId, 'wózek')).toEqual([ticketId]);
      await addTicketSearch.down(db);
      await addTicketSearch.up(db);
      expect(await search(db, tenantId, 'serwisant')).toEqual([ticketId]);
    });
  });
}
