import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { createI18n } from '../../src/lib/i18n.js';
import { localesDirectory, projectRoot } from '../../src/lib/paths.js';
import { fileStoresFor } from '../../src/lib/storage/index.js';
import { systemClock } from '../../src/lib/time.js';
import { openSystemWork } from '../../src/db/installation.js';
import type { Customer } from '../../src/models/customer.js';
import { ingestMessage, type IngestDeps, type IngestOutcome } from '../../src/models/ticket-mail-intake.js';
import type { User } from '../../src/models/user.js';
import { makeCustomer, makeUser, type TestTenant } from './factories.js';

/** The address the client of the fixtures writes from (the fixtures spell it in other letter cases too). */
export const clientAddress = 'jan.kowalski@alfa.example';

const i18n = createI18n(localesDirectory);
export const intakeDeps: IngestDeps = { stores: fileStoresFor({ filesDirectory: undefined }), i18n };

/** A fixture of test/fixtures/mail, with its placeholders ({{ticketNumber}}) filled in. */
export function mailFixture(name: string, values: Record<string, string> = {}): Buffer {
  const raw = readFileSync(path.join(projectRoot, 'test', 'fixtures', 'mail', name));
  if (Object.keys(values).length === 0) return raw;
  return Buffer.from(raw.toString('latin1').replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole), 'latin1');
}

/** Ingests raw bytes into the tenant as the CLI does (system work). */
export function ingest(db: Knex, tenant: Pick<TestTenant, 'id'>, raw: Buffer, channel: 'cli' | 'imap' = 'cli'): Promise<IngestOutcome> {
  return ingestMessage(openSystemWork(db, systemClock, 'test mail:ingest').scopeFor(tenant.id), raw, intakeDeps, channel);
}

/** A customer with a caretaker and the client account that writes from the fixtures' address. */
export async function alfaWithClient(db: Knex, tenant: TestTenant): Promise<{ caretaker: User; customer: Customer; client: User }> {
  const caretaker = await makeUser(db, tenant, 'caretaker');
  const customer = await makeCustomer(db, tenant, { name: 'Alfa sp. z o.o.', caretaker });
  const client = await makeUser(db, tenant, 'client', { customer });
  await db('users').where({ tenant_id: tenant.id, id: client.id }).update({ email: clientAddress });
  return { caretaker, customer, client: { ...client, email: clientAddress } };
}
