import { describe, expect, it } from 'vitest';
import * as moveLandingPage from '../../migrations/20261201_1020_move_landing_page_to_settings.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { settingsInForce } from '../../src/models/settings.js';
import { databaseBefore } from '../support/empty-database.js';
import { databaseKinds } from '../support/environment.js';
import { scopeFor } from '../support/factories.js';

const landingMigration = '20261201_1020_move_landing_page_to_settings';

for (const kind of databaseKinds()) {
  describe(`the landing page migration [${kind}]`, () => {
    /** A database just before the move, with a tenant whose users chose each landing page. */
    async function databaseWithChoices() {
      const db = await databaseBefore(kind, landingMigration);
      const stamp = '2026-01-01 09:00:00';
      const [tenantId] = await db('tenants').insert({ slug: 'landing', name: 'Landing', default_locale: 'pl', created_at: stamp, updated_at: stamp });
      const user = async (login: string, landingPage: string) => {
        const [id] = await db('users').insert({ tenant_id: tenantId, login, first_name: 'A', last_name: login, role: 'caretaker', landing_page: landingPage, created_at: stamp, updated_at: stamp });
        return Number(id);
      };
      const ids = { last: await user('last', 'last'), tickets: await user('tickets', 'tickets'), dashboard: await user('dashboard', 'dashboard') };
      return { db, tenantId: Number(tenantId), ids };
    }

    it('keeps every user’s own choice as an account setting, and leaves those who had the default without one', async () => {
      const { db, tenantId, ids } = await databaseWithChoices();
      await migrateToLatest(db);
      expect(await db.schema.hasColumn('users', 'landing_page')).toBe(false);
      const landingOf = async (userId: number) => (await settingsInForce(scopeFor(db, { id: tenantId }), { accountId: userId }))['account.landing_page'];
      expect(await landingOf(ids.last)).toMatchObject({ value: 'last', source: { level: 'account', targetId: ids.last } });
      expect(await landingOf(ids.tickets)).toMatchObject({ value: 'tickets', source: { level: 'account', targetId: ids.tickets } });
      expect(await landingOf(ids.dashboard)).toMatchObject({ value: 'dashboard', source: { level: 'default' } });
    });

    it('finishes when run again after a first run stopped between its inserts and dropping the column', async () => {
      // MariaDB commits before any ALTER TABLE, so a DROP that fails leaves the rows inserted before it.
      const { db, tenantId, ids } = await databaseWithChoices();
      await db('settings').insert({ tenant_id: tenantId, level: 'account', target_id: ids.last, name: 'account.landing_page', value: 'last', updated_at: '2026-01-01 09:00:00', updated_by: ids.last });
      await migrateToLatest(db);
      expect(await db.schema.hasColumn('users', 'landing_page')).toBe(false);
      const rows = await db('settings').where({ level: 'account', name: 'account.landing_page' }).orderBy('target_id').select('target_id', 'value');
      expect(rows.map((row) => [Number(row.target_id), row.value])).toEqual([[ids.last, 'last'], [ids.tickets, 'tickets']]);
    });

    it('is undone by its down: the column comes back with each user’s own choice, and no account row stays', async () => {
      const { db, ids } = await databaseWithChoices();
      await migrateToLatest(db);
      await moveLandingPage.down(db);
      const pages = Object.fromEntries((await db('users').orderBy('id').select('id', 'landing_page')).map((row) => [Number(row.id), row.landing_page]));
      expect(pages).toEqual({ [ids.last]: 'last', [ids.tickets]: 'tickets', [ids.dashboard]: 'dashboard' });
      expect(await db('settings').where({ level: 'account', name: 'account.landing_page' }).count({ count: '*' }).first()).toMatchObject({ count: 0 });
    });
  });
}
