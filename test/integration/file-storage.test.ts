import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { pino } from 'pino';
import { deleteFileContent } from '../../src/jobs/files.js';
import { jobContextOn } from '../../src/jobs/kind.js';
import { createI18n } from '../../src/lib/i18n.js';
import { localesDirectory } from '../../src/lib/paths.js';
import { chunkSize, databaseStore } from '../../src/lib/storage/database-store.js';
import { diskStore } from '../../src/lib/storage/disk-store.js';
import { fileStoresFor, type FileStore } from '../../src/lib/storage/index.js';
import { systemClock } from '../../src/lib/time.js';
import { addDocument } from '../../src/models/document.js';
import type { Job } from '../../src/models/job.js';
import { deleteStoredFile } from '../../src/models/stored-file.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, userScope, type TestTenant } from '../support/factories.js';

const folders: string[] = [];
function newFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ebok-store-'));
  folders.push(folder);
  return folder;
}
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function contentOfStream(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(size, 0x42)]);

describeOnEachDatabase('the file stores behind uploads (T6)', (env) => {
  const storesUnderTest: Array<[string, () => FileStore]> = [
    ['the database', () => databaseStore],
    ['a folder', () => diskStore(newFolder())],
  ];

  for (const [name, makeStore] of storesUnderTest) {
    it(`keeps content in ${name} and gives it back whole, from a stream or a buffer`, async () => {
      const tenant = await makeTenant(env.db);
      const store = makeStore();
      const scope = scopeFor(env.db, tenant);
      const large = pdf(2 * chunkSize + 777);
      const fromStream = await scope.transaction((trx) => store.put(trx, Readable.from([large.subarray(0, 1000), large.subarray(1000)])));
      const fromBuffer = await scope.transaction((trx) => store.put(trx, Buffer.from('tekst')));
      expect(fromStream).toMatch(/^[0-9a-f]{32}$/);
      expect(Buffer.compare(await contentOfStream(await store.get(scope, fromStream)), large)).toBe(0);
      expect((await contentOfStream(await store.get(scope, fromBuffer))).toString()).toBe('tekst');
      if (store === databaseStore) expect(await env.db('file_blobs').where({ tenant_id: tenant.id, store_key: fromStream })).toHaveLength(3);
      await store.delete(scope, fromStream);
      await store.delete(scope, fromStream);
      await expect(store.get(scope, fromStream)).rejects.toThrow();
      await expect(store.get(scope, '../../etc/passwd')).rejects.toThrow(/not a store key/);
    });

    it(`keeps one tenant's content in ${name} out of another tenant's reach`, async () => {
      const store = makeStore();
      const [owner, other] = [await makeTenant(env.db), await makeTenant(env.db)];
      const key = await scopeFor(env.db, owner).transaction((trx) => store.put(trx, Buffer.from('poufne')));
      await expect(store.get(scopeFor(env.db, other), key)).rejects.toThrow();
    });
  }

  async function documentWithFile(tenant: TestTenant, filesDirectory: string | undefined) {
    const customer = await makeCustomer(env.db, tenant);
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const content = pdf(100);
    const documentId = await addDocument(userScope(env.db, client), fileStoresFor({ filesDirectory }), { customerId: customer.id, title: 'Umowa', description: null, submissionKey: null }, [
      { originalName: 'umowa.pdf', type: 'pdf', size: content.length, sha256: '0'.repeat(64), content: async () => content },
    ]);
    return env.db('stored_files').where({ tenant_id: tenant.id, document_id: documentId }).first();
  }

  it('deletes a file in the database with its row, in one transaction, and queues nothing', async () => {
    const tenant = await makeTenant(env.db);
    const file = await documentWithFile(tenant, undefined);
    await deleteStoredFile(scopeFor(env.db, tenant), fileStoresFor({ filesDirectory: undefined }), file.id);
    expect(await env.db('stored_files').where('id', file.id)).toHaveLength(0);
    expect(await env.db('file_blobs').where({ tenant_id: tenant.id, store_key: file.store_key })).toHaveLength(0);
    expect(await env.db('jobs').where({ tenant_id: tenant.id, kind: 'files.delete' })).toHaveLength(0);
  });

  it('deletes a file in a folder after the commit, by a job that may run twice', async () => {
    const folder = newFolder();
    const tenant = await makeTenant(env.db);
    const file = await documentWithFile(tenant, folder);
    const onDisk = path.join(folder, String(tenant.id), file.store_key.slice(0, 2), file.store_key);
    expect(existsSync(onDisk)).toBe(true);

    await deleteStoredFile(scopeFor(env.db, tenant), fileStoresFor({ filesDirectory: folder }), file.id);
    expect(await env.db('stored_files').where('id', file.id)).toHaveLength(0);
    // The row is gone with the commit; the content waits for the job, which runs only after it.
    expect(existsSync(onDisk)).toBe(true);
    const job = await env.db('jobs').where({ tenant_id: tenant.id, kind: 'files.delete' }).first();
    expect(JSON.parse(job.payload)).toEqual({ store: 'disk', key: file.store_key });

    const context = jobContextOn(env.db, { mailer: env.mailer, i18n: createI18n(localesDirectory), logger: pino({ level: 'silent' }), clock: systemClock, forgetsLinks: false, filesDirectory: folder });
    const payload = deleteFileContent.payload.parse(JSON.parse(job.payload));
    await deleteFileContent.run(context, payload, { id: job.id, tenantId: tenant.id } as Job);
    expect(existsSync(onDisk)).toBe(false);
    await deleteFileContent.run(context, payload, { id: job.id, tenantId: tenant.id } as Job);
  });

  it('removes the content a failed submission put in a folder, and keeps no row of it', async () => {
    const folder = newFolder();
    const tenant = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, tenant);
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const content = pdf(10);
    const files = [
      { originalName: 'a.pdf', type: 'pdf' as const, size: content.length, sha256: '0'.repeat(64), content: async () => content },
      { originalName: 'b.pdf', type: 'pdf' as const, size: content.length, sha256: '0'.repeat(64), content: async (): Promise<Buffer> => { throw new Error('the disk is full'); } },
    ];
    await expect(addDocument(userScope(env.db, client), fileStoresFor({ filesDirectory: folder }), { customerId: customer.id, title: 'Umowa', description: null, submissionKey: null }, files)).rejects.toThrow('the disk is full');
    expect(await env.db('documents').where('tenant_id', tenant.id)).toHaveLength(0);
    expect(await env.db('stored_files').where('tenant_id', tenant.id)).toHaveLength(0);
    const tenantFolder = path.join(folder, String(tenant.id));
    const left = existsSync(tenantFolder) ? readdirSync(tenantFolder, { recursive: true }).filter((entry) => String(entry).includes(path.sep)) : [];
    expect(left).toEqual([]);
  });

  it('refuses to add a document for a customer out of the client’s reach', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const other = await makeCustomer(env.db, tenant);
    const content = pdf(10);
    await expect(addDocument(userScope(env.db, client), fileStoresFor({ filesDirectory: undefined }), { customerId: other.id, title: 'Cudzy', description: null, submissionKey: null }, [
      { originalName: 'a.pdf', type: 'pdf', size: content.length, sha256: '0'.repeat(64), content: async () => content },
    ])).rejects.toThrow(/not found/);
    expect(await env.db('documents').where('tenant_id', tenant.id)).toHaveLength(0);
    expect(await env.db('file_blobs').where('tenant_id', tenant.id)).toHaveLength(0);
  });
});
