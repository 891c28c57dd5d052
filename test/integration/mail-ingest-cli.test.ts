import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { projectRoot } from '../../src/lib/paths.js';
import { databaseKinds } from '../support/environment.js';
import { makeTenant } from '../support/factories.js';
import { alfaWithClient, mailFixture } from '../support/mail-intake.js';
import { processEnvironment } from '../support/processes.js';

/** `npm run cli -- mail:ingest --tenant SLUG < message.eml` as a real process, the message on its standard input. */
function ingestOnCommandLine(args: string[], input: Buffer, variables: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'mail:ingest', ...args], { cwd: projectRoot, env: processEnvironment(variables), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(input);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

for (const kind of databaseKinds()) {
  describe(`mail:ingest on the command line [${kind}]`, () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ebok-mail-cli-'));
    const variables = { DATA_DIR: folder, NODE_ENV: 'development', LOG_LEVEL: 'silent', DATABASE_URL: kind === 'mysql' ? inject('mysqlUrl')! : '' };
    let db: Knex | undefined;

    afterAll(async () => {
      await db?.destroy();
      rmSync(folder, { recursive: true, force: true });
    });

    async function database(): Promise<Knex> {
      db ??= createDatabase(kind === 'mysql' ? { databaseUrl: variables.DATABASE_URL } : { sqliteFile: path.join(folder, 'ebok.sqlite') });
      await migrateToLatest(db);
      return db;
    }

    it('files a client’s message read from standard input, says so, and files nothing when it comes again', async () => {
      const db = await database();
      const tenant = await makeTenant(db);
      const { customer } = await alfaWithClient(db, tenant);
      const first = await ingestOnCommandLine(['--tenant', tenant.slug], mailFixture('plain.eml'), variables);
      expect(first.code, first.stderr).toBe(0);
      const ticket = await db('tickets').where({ tenant_id: tenant.id }).first();
      expect(ticket).toMatchObject({ customer_id: customer.id, source: 'email', title: 'Drukarka nie drukuje' });
      expect(first.stdout).toMatch(new RegExp(`^Filed as ticket ${ticket.id}; kept as incoming message \\d+\\.$`, 'm'));
      const again = await ingestOnCommandLine(['--tenant', tenant.slug], mailFixture('plain.eml'), variables);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('Already received (the same Message-ID): nothing filed again');
      expect(await db('tickets').where({ tenant_id: tenant.id })).toHaveLength(1);
    }, 120_000);

    it('keeps a broken message and exits 1, and refuses an unknown tenant with 2', async () => {
      const db = await database();
      const tenant = await makeTenant(db);
      const broken = await ingestOnCommandLine(['--tenant', tenant.slug], mailFixture('broken.eml'), variables);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain('Could not be filed (the message names no sender address (From))');
      expect(await db('mail_intake').where({ tenant_id: tenant.id, status: 'failed' })).toHaveLength(1);
      const unknown = await ingestOnCommandLine(['--tenant', 'no-such-tenant'], mailFixture('plain.eml'), variables);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('No tenant with the slug "no-such-tenant".');
    }, 120_000);
  });
}
