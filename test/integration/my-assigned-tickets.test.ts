import { expect, it } from 'vitest';
import { countMyTasks, listTasks, type TaskFilters } from '../../src/models/ticket-list.js';
import { activeStatuses } from '../../src/models/ticket-status.js';
import { listTicketCategories } from '../../src/models/ticket-category.js';
import { myAssignedTickets, visibleTickets } from '../../src/models/visibility.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, renewConfigurationVersion, userScope } from '../support/factories.js';
import { insertTickets } from '../support/page-data.js';
import { categoryId } from '../support/tickets.js';

/**
 * "My tasks" read the tickets assigned to me without the caretaker's reach (issue 20): the same
 * tickets as the visible ones narrowed to me, whatever their customer's caretaker, and never one
 * that waits for approval; the list names each row's category without joining the categories.
 */
describeOnEachDatabase('the tickets assigned to me (myAssignedTickets)', (env) => {
  it('are exactly the visible tickets assigned to me, for a caretaker and an admin, and none for a client', async () => {
    const tenant = await makeTenant(env.db);
    const [caretaker, other, admin] = [await makeUser(env.db, tenant, 'caretaker'), await makeUser(env.db, tenant, 'caretaker'), await makeUser(env.db, tenant, 'admin')];
    const mine = await makeCustomer(env.db, tenant, { caretaker });
    const theirs = await makeCustomer(env.db, tenant, { caretaker: other });
    const client = await makeUser(env.db, tenant, 'client', { customer: theirs });
    const assigned = [
      ...(await insertTickets(env.db, { tenant, customer: mine, filer: client, assignee: caretaker }, 4, 1)),
      ...(await insertTickets(env.db, { tenant, customer: theirs, filer: client, assignee: caretaker }, 4, 10)),
    ];
    await insertTickets(env.db, { tenant, customer: theirs, filer: client, assignee: other }, 3, 20);
    await insertTickets(env.db, { tenant, customer: mine, filer: client, assignee: admin }, 2, 30);
    // One of mine waits for approval (a caretaker does not see it), one is closed.
    await env.db('tickets').where('id', assigned[1]).update({ status: 'awaiting_approval' });
    await env.db('tickets').where('id', assigned[5]).update({ status: 'closed' });

    for (const user of [caretaker, admin, other]) {
      const scope = userScope(env.db, user);
      const visibleMine: Array<{ id: number }> = await (await visibleTickets(scope))().where('tickets.assignee_id', user.id).orderBy('tickets.id').select('tickets.id');
      const assignedMine: Array<{ id: number }> = await myAssignedTickets(scope)().orderBy('tickets.id').select('tickets.id');
      expect(assignedMine.map((row) => Number(row.id))).toEqual(visibleMine.map((row) => Number(row.id)));
    }
    const caretakersOwn: Array<{ id: number }> = await myAssignedTickets(userScope(env.db, caretaker))().orderBy('tickets.id').select('tickets.id');
    expect(caretakersOwn.map((row) => Number(row.id))).toEqual(assigned.filter((id) => id !== assigned[1]));
    expect(await myAssignedTickets(userScope(env.db, client))()).toEqual([]);

    const active: Array<{ id: number }> = await env.db('tickets').whereIn('id', assigned).whereIn('status', activeStatuses).orderBy('id').select('id');
    expect(active.length).toBeGreaterThan(3);
    const filters: TaskFilters = { status: 'active', due: 'any', q: '', sort: 'due-asc' };
    const page = await listTasks(userScope(env.db, caretaker, { memo: new Map() }), 'mine', filters, { page: 1, perPage: 25, offset: 0 });
    expect(page.rows.map((row) => row.id).sort((a, b) => a - b)).toEqual(active.map((row) => Number(row.id)));
    const category = await env.db('ticket_categories').where('id', await categoryId(env.db, tenant)).first();
    expect(page.rows.map((row) => row.category)).toEqual(page.rows.map(() => ({ namePl: category.name_pl, nameEn: category.name_en, code: category.code })));
    expect((await countMyTasks(userScope(env.db, caretaker))).open).toBe(active.length);
  });

  it('names a row by a category added after the request read the categories (no 500 for a moment’s race)', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const customer = await makeCustomer(env.db, tenant, { caretaker });
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const scope = userScope(env.db, caretaker, { memo: new Map() });
    const before = await listTicketCategories(scope, { isActiveOnly: false, isOfficeMessageIncluded: true });
    const [ticketId] = await insertTickets(env.db, { tenant, customer, filer: client, assignee: caretaker }, 1, 1);
    await env.db('ticket_categories').insert({ tenant_id: tenant.id, code: 'late', name_pl: 'Dodana przed chwilą', name_en: 'Added a moment ago', position: 99, is_active: true, created_at: '2026-12-02 10:00:00' });
    await renewConfigurationVersion(env.db, tenant);
    const added = await env.db('ticket_categories').where({ tenant_id: tenant.id, code: 'late' }).first();
    await env.db('tickets').where('id', ticketId).update({ category_id: added.id, status: 'new' });
    expect(before.map((category) => category.id)).not.toContain(added.id);
    const page = await listTasks(scope, 'mine', { status: 'all', due: 'any', q: '', sort: 'due-asc' }, { page: 1, perPage: 25, offset: 0 });
    expect(page.rows.map((row) => [row.id, row.category.nameEn])).toEqual([[ticketId, 'Added a moment ago']]);
  });
});
