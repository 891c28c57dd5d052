import { expect, it } from 'vitest';
import { pageFrom } from '../../src/lib/pagination.js';
import { toDatabaseTime } from '../../src/lib/time.js';
import { listLedgerEntries, type LedgerListQuery } from '../../src/models/ledger-list.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeUser, userScope } from '../support/factories.js';
import { insertInBatches, makePageWorld } from '../support/page-data.js';

describeOnEachDatabase('the admins’ list of ledger entries, page by page (M1)', (env) => {
  it('lists the waiting entries first, oldest first, then the decided ones, latest first, the two parts joined across a page', async () => {
    const world = await makePageWorld(env.db);
    const other = await makeCustomer(env.db, world.tenant, { name: 'Omega' });
    const now = toDatabaseTime(new Date());
    // Interleaved: the order of entry says nothing about the order of the list.
    const statuses = ['approved', 'pending', 'rejected', 'pending', 'approved', 'pending', 'approved', 'pending', 'rejected', 'pending', 'approved'];
    await insertInBatches(env.db, 'ledger_entries', statuses.map((status, index) => ({
      tenant_id: world.tenant.id, customer_id: index % 3 === 0 ? other.id : world.customer.id, kind: index % 2 ? 'payment' : 'invoice', status, amount: 1000 + index, currency: 'PLN',
      document_number: index % 2 ? null : `FV/${index}`, entry_date: '2026-11-01', due_date: index % 2 ? null : '2026-11-15', method: index % 2 ? 'transfer' : null, source: 'manual', entered_at: now, entered_by: world.admin.id,
    })));
    const entries: Array<{ id: number; status: string; customer_id: number; kind: string }> = await env.db('ledger_entries').where('tenant_id', world.tenant.id).orderBy('id').select('id', 'status', 'customer_id', 'kind');
    const expected = (keep: (entry: (typeof entries)[number]) => boolean) => [
      ...entries.filter((entry) => entry.status === 'pending' && keep(entry)).map((entry) => entry.id),
      ...entries.filter((entry) => entry.status !== 'pending' && keep(entry)).map((entry) => entry.id).reverse(),
    ];
    const scope = userScope(env.db, world.admin);
    const pages = async (query: LedgerListQuery, perPage: number) => {
      const ids: number[] = [];
      for (let page = 1; ; page += 1) {
        const { rows, pagination } = await listLedgerEntries(scope, query, pageFrom(page, perPage));
        expect(rows.length).toBeLessThanOrEqual(perPage);
        ids.push(...rows.map((row) => row.id));
        if (!pagination.hasNext) return { ids, total: pagination.total };
      }
    };
    for (const perPage of [3, 4, 5, 25]) {
      expect(await pages({ status: 'all', kind: 'all' }, perPage)).toEqual({ ids: expected(() => true), total: 11 });
    }
    expect(await pages({ status: 'pending', kind: 'all' }, 2)).toEqual({ ids: expected((entry) => entry.status === 'pending'), total: 5 });
    expect(await pages({ status: 'approved', kind: 'all' }, 3)).toEqual({ ids: expected((entry) => entry.status === 'approved'), total: 4 });
    expect(await pages({ status: 'all', kind: 'payment', customer: world.customer.id }, 2)).toEqual({
      ids: expected((entry) => entry.kind === 'payment' && entry.customer_id === world.customer.id),
      total: entries.filter((entry) => entry.kind === 'payment' && entry.customer_id === world.customer.id).length,
    });
    const { rows } = await listLedgerEntries(scope, { status: 'all', kind: 'all' }, pageFrom(1, 25));
    expect(rows[0]).toMatchObject({ customerName: 'Alfa Serwis', enteredByName: expect.stringContaining('admin'), decidedByName: null });
    // A client reaches no entry here; a caretaker of neither customer none either.
    const stranger = await makeUser(env.db, world.tenant, 'caretaker');
    expect((await listLedgerEntries(userScope(env.db, stranger), { status: 'all', kind: 'all' }, pageFrom(1, 25))).rows).toEqual([]);
  });
});
