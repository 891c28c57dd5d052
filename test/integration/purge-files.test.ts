import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { pino } from 'pino';
import { deleteFileContent } from '../../src/jobs/files.js';
import { jobContextOn } from '../../src/jobs/kind.js';
import { createI18n } from '../../src/lib/i18n.js';
import { localesDirectory } from '../../src/lib/paths.js';
import { fileStoresFor } from '../../src/lib/storage/index.js';
import { systemClock } from '../../src/lib/time.js';
import type { Job } from '../../src/models/job.js';
import { requestPurge } from '../../src/models/purge.js';
import { saveSettings } from '../../src/models/settings.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, scopeFor, userScope } from '../support/factories.js';
import { makeRichCustomer } from '../support/purge.js';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function newFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ebok-purge-files-'));
  folders.push(folder);
  return folder;
}

describeOnEachDatabase('the files of a purge (D2)', (env) => {
  it('removes the content of files kept in a folder after the purge commits, by jobs queued in its transaction', async () => {
    const folder = newFolder();
    const stores = fileStoresFor({ filesDirectory: folder });
    const tenant = await makeTenant(env.db);
    const data = await makeRichCustomer(env.db, tenant, { stores });
    await saveSettings(scopeFor(env.db, tenant), 'tenant', 0, { 'purge.requires_approval': 'off' });
    const files = await env.db('stored_files').where({ tenant_id: tenant.id, store: 'disk' });
    expect(files).toHaveLength(3);
    const onDisk = files.map((file) => path.join(folder, String(tenant.id), file.store_key.slice(0, 2), file.store_key));
    for (const file of onDisk) expect(existsSync(file)).toBe(true);

    await requestPurge(userScope(env.db, tenant.superadmin), { kind: 'customer', id: data.customer.id }, data.customer.name);
    const jobs = await env.db('jobs').where({ tenant_id: tenant.id, kind: 'files.delete' });
    expect(jobs.map((job) => JSON.parse(job.payload).key).sort()).toEqual(files.map((file) => file.store_key).sort());
    for (const file of onDisk) expect(existsSync(file)).toBe(true);

    const context = jobContextOn(env.db, { mailer: env.mailer, i18n: createI18n(localesDirectory), logger: pino({ level: 'silent' }), clock: systemClock, forgetsLinks: false, filesDirectory: folder });
    for (const job of jobs) await deleteFileContent.run(context, deleteFileContent.payload.parse(JSON.parse(job.payload)), { id: job.id, tenantId: tenant.id } as Job);
    for (const file of onDisk) expect(existsSync(file)).toBe(false);
  });

  it('starts a file deletion over a day after it ran out of attempts, so the content is retried until it is gone', async () => {
    const tenant = await makeTenant(env.db);
    const context = jobContextOn(env.db, { mailer: env.mailer, i18n: createI18n(localesDirectory), logger: pino({ level: 'silent' }), clock: systemClock, forgetsLinks: false, filesDirectory: undefined });
    const payload = { store: 'disk', key: 'a'.repeat(32) };
    const before = Date.now();
    await deleteFileContent.giveUp!(context, payload, { id: 987_654, tenantId: tenant.id } as Job, 'the folder is gone');
    await deleteFileContent.giveUp!(context, payload, { id: 987_654, tenantId: tenant.id } as Job, 'the folder is gone');
    const jobs = await env.db('jobs').where({ tenant_id: tenant.id, kind: 'files.delete' });
    expect(jobs).toHaveLength(1);
    expect(JSON.parse(jobs[0].payload)).toEqual(payload);
    expect(jobs[0].status).toBe('pending');
    expect(new Date(`${jobs[0].run_at.replace(' ', 'T')}Z`).getTime()).toBeGreaterThan(before + 23 * 60 * 60 * 1000);
  });
});
