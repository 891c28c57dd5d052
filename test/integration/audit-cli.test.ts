import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { logEvent } from '../../src/models/audit.js';
import { databaseKinds } from '../support/environment.js';
import { makeTenant, scopeFor, type TestTenant } from '../support/factories.js';
import { runCli } from '../support/processes.js';

/** `npm run cli -- audit:verify` as a real process, on a database the test writes to directly, as a forger would. */
for (const kind of databaseKinds()) {
  describe(`audit:verify on the command line [${kind}]`, () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ebok-audit-cli-'));
    const variables = { DATA_DIR: folder, NODE_ENV: 'development', LOG_LEVEL: 'silent', DATABASE_URL: kind === 'mysql' ? inject('mysqlUrl')! : '' };
    let db: Knex;

    afterAll(async () => {
      await db?.destroy();
      rmSync(folder, { recursive: true, force: true });
    });

    async function tenantWithThreeEvents(): Promise<TestTenant> {
      db ??= createDatabase(kind === 'mysql' ? { databaseUrl: variables.DATABASE_URL } : { sqliteFile: path.join(folder, 'ebok.sqlite') });
      await migrateToLatest(db);
      const tenant = await makeTenant(db);
      await logEvent(scopeFor(db, tenant), { action: 'user.locked', subjectType: 'user', subjectId: tenant.superadmin.id });
      return tenant;
    }

    it('says an intact chain is intact and exits 0', async () => {
      const tenant = await tenantWithThreeEvents();
      const result = await runCli(['audit:verify', '--tenant', tenant.slug], variables);
      expect(result.code, result.stderr).toBe(0);
      const head = await db('audit_chain_heads').where('tenant_id', tenant.id).first('last_hash');
      expect(result.stdout.trim()).toBe(`The audit chain of tenant "${tenant.slug}" is intact: 3 entries, the last with hash ${head.last_hash}.`);
    }, 30_000);

    it('verifies the chain of a deactivated tenant too', async () => {
      const tenant = await tenantWithThreeEvents();
      await db('tenants').where('id', tenant.id).update({ is_active: false });
      const result = await runCli(['audit:verify', '--tenant', tenant.slug], variables);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('is intact: 3 entries');
    }, 30_000);

    it('names the row edited directly in the database and exits 1', async () => {
      const tenant = await tenantWithThreeEvents();
      const row = await db('audit_log').where({ tenant_id: tenant.id, sequence: 2 }).first('id');
      await db('audit_log').where('id', row.id).update({ details: '{"slug":"forged"}' });
      const result = await runCli(['audit:verify', '--tenant', tenant.slug], variables);
      expect(result.code).toBe(1);
      expect(result.stdout.trim()).toBe(`The audit chain of tenant "${tenant.slug}" is broken: entry 2 (id ${row.id}) was changed after it was written.`);
    }, 30_000);

    it('says which entry is missing after a row was deleted, and exits 1', async () => {
      const tenant = await tenantWithThreeEvents();
      await db('audit_log').where({ tenant_id: tenant.id, sequence: 1 }).delete();
      const result = await runCli(['audit:verify', '--tenant', tenant.slug], variables);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('is broken: entry 1 is missing: it was removed.');
    }, 30_000);

    it('refuses an unknown tenant or none with exit code 2', async () => {
      const unknown = await runCli(['audit:verify', '--tenant', 'no-such-tenant'], variables);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('No tenant with the slug "no-such-tenant".');
      const without = await runCli(['audit:verify'], variables);
      expect(without.code).toBe(2);
      expect(without.stderr).toContain('--tenant is required');
    }, 30_000);
  });
}
