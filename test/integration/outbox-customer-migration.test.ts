import { describe, expect, it } from 'vitest';
import * as outboxCustomer from '../../migrations/20261203_1300_outbox_customer.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { databaseBefore } from '../support/empty-database.js';
import { databaseKinds } from '../support/environment.js';

const migration = '20261203_1300_outbox_customer';
const stamp = '2026-01-01 09:00:00';

for (const kind of databaseKinds()) {
  describe(`the outbox's customer migration [${kind}]`, () => {
    /** A database just before the migration, with messages queued before it: to a client account, to staff, and reminders to customers' own addresses. */
    async function databaseWithMessages() {
      const db = await databaseBefore(kind, migration);
      const [tenantId] = await db('tenants').insert({ slug: 'outbox', name: 'Outbox', default_locale: 'pl', created_at: stamp, updated_at: stamp });
      const customer = async (name: string, email: string) => Number((await db('customers').insert({ tenant_id: tenantId, name, email, created_at: stamp, updated_at: stamp }))[0]);
      const alfa = await customer('Alfa', 'biuro@alfa.test');
      await customer('Beta', 'wspolny@firmy.test');
      await customer('Gamma', 'wspolny@firmy.test');
      const user = async (login: string, role: string, customerId: number | null) => Number((await db('users').insert({ tenant_id: tenantId, login, first_name: 'A', last_name: login, role, customer_id: customerId, created_at: stamp, updated_at: stamp }))[0]);
      const client = await user('jan', 'client', alfa);
      const caretaker = await user('karolina', 'caretaker', null);
      const message = async (recipient: string, template: string, recipientUserId: number | null) =>
        Number((await db('outbox').insert({ tenant_id: tenantId, recipient, recipient_user_id: recipientUserId, locale: 'pl', template, data: '{}', status: 'sent', attempts: 1, next_attempt_at: stamp, created_at: stamp, sent_at: stamp }))[0]);
      const ids = {
        toClient: await message('jan@alfa.test', 'invitation', client),
        toStaff: await message('karolina@serwis.test', 'ticket-filed', caretaker),
        reminder: await message('Biuro@Alfa.test', 'payment-reminder', null),
        sharedAddress: await message('wspolny@firmy.test', 'payment-reminder', null),
      };
      return { db, alfa, ids };
    }

    const customersOf = async (db: Awaited<ReturnType<typeof databaseWithMessages>>['db']) =>
      Object.fromEntries((await db('outbox').orderBy('id').select('id', 'customer_id')).map((row) => [Number(row.id), row.customer_id === null ? null : Number(row.customer_id)]));

    it('names the customer of a client account’s message and of a reminder to the one customer with that address, and no other', async () => {
      const { db, alfa, ids } = await databaseWithMessages();
      await migrateToLatest(db);
      expect(await customersOf(db)).toEqual({ [ids.toClient]: alfa, [ids.toStaff]: null, [ids.reminder]: alfa, [ids.sharedAddress]: null });
    });

    it('is undone by its down and runs again', async () => {
      const { db, alfa, ids } = await databaseWithMessages();
      await migrateToLatest(db);
      await outboxCustomer.down(db);
      expect(await db.schema.hasColumn('outbox', 'customer_id')).toBe(false);
      await outboxCustomer.up(db);
      await outboxCustomer.up(db);
      expect(await customersOf(db)).toEqual({ [ids.toClient]: alfa, [ids.toStaff]: null, [ids.reminder]: alfa, [ids.sharedAddress]: null });
    });
  });
}
