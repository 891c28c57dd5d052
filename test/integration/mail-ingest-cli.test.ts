import { afterAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/environment.js';
import { makeTenant } from '../support/factories.js';
import { alfaWithClient, mailFixture } from '../support/mail-intake.js';
import { cliWorkspace, runCliWithInput } from '../support/processes.js';

for (const kind of databaseKinds()) {
  describe(`mail:ingest on the command line [${kind}]`, () => {
    const workspace = cliWorkspace(kind, 'ebok-mail-cli-');
    const { variables, database } = workspace;
    afterAll(() => workspace.close());

    it('files a client’s message read from standard input, says so, and files nothing when it comes again', async () => {
      const db = await database();
      const tenant = await makeTenant(db);
      const { customer } = await alfaWithClient(db, tenant);
      const first = await runCliWithInput(['mail:ingest', '--tenant', tenant.slug], mailFixture('plain.eml'), variables);
      expect(first.code, first.stderr).toBe(0);
      const ticket = await db('tickets').where({ tenant_id: tenant.id }).first();
      expect(ticket).toMatchObject({ customer_id: customer.id, source: 'email', title: 'Drukarka nie drukuje' });
      expect(first.stdout).toMatch(new RegExp(`^Filed as ticket ${ticket.id}; kept as incoming message \\d+\\.$`, 'm'));
      const again = await runCliWithInput(['mail:ingest', '--tenant', tenant.slug], mailFixture('plain.eml'), variables);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('Already received (the same Message-ID): nothing filed again');
      expect(await db('tickets').where({ tenant_id: tenant.id })).toHaveLength(1);
    }, 120_000);

    it('keeps a broken message and exits 1, and refuses an unknown tenant with 2', async () => {
      const db = await database();
      const tenant = await makeTenant(db);
      const broken = await runCliWithInput(['mail:ingest', '--tenant', tenant.slug], mailFixture('broken.eml'), variables);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain('Could not be filed (the message names no sender address (From))');
      expect(await db('mail_intake').where({ tenant_id: tenant.id, status: 'failed' })).toHaveLength(1);
      const unknown = await runCliWithInput(['mail:ingest', '--tenant', 'no-such-tenant'], mailFixture('plain.eml'), variables);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('No tenant with the slug "no-such-tenant".');
    }, 120_000);
  });
}
