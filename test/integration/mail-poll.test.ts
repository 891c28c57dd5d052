import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { ImapFlow } from 'imapflow';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { createI18n } from '../../src/lib/i18n.js';
import { parseImapMailboxes } from '../../src/lib/imap-mailboxes.js';
import { localesDirectory } from '../../src/lib/paths.js';
import { jobContextOn } from '../../src/jobs/kind.js';
import { mailPoll } from '../../src/jobs/mail-poll.js';
import { createJobRunner } from '../../src/jobs/runner.js';
import { describeOnEachDatabase, type TestEnvironment } from '../support/environment.js';
import { makeTenant, type TestTenant } from '../support/factories.js';
import { alfaWithClient, mailFixture } from '../support/mail-intake.js';

// hoodiecrow-imap: a real IMAP4rev1 server in this process (CommonJS, without types), on a free port of the loopback.
const hoodiecrow = createRequire(import.meta.url)('hoodiecrow-imap') as (options: unknown) => { listen(port: number, host: string, callback: () => void): void; server: { address(): AddressInfo }; close(callback?: () => void): void };

type ImapServer = { port: number; close(): Promise<void> };
const servers: ImapServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** An IMAP server whose INBOX holds the messages (and an empty Processed folder); user testuser, password testpass. */
function startImapServer(messages: Array<{ raw: Buffer; flags?: string[] }>): Promise<ImapServer> {
  const server = hoodiecrow({
    plugins: ['ID', 'UIDPLUS', 'MOVE', 'ENABLE'],
    storage: { INBOX: { messages: messages.map((message) => ({ raw: message.raw.toString('binary'), flags: message.flags ?? [] })) }, '': { separator: '/', folders: { Processed: {} } } },
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const started = { port: server.server.address().port, close: () => new Promise<void>((done) => server.close(() => done())) };
      servers.push(started);
      resolve(started);
    });
  });
}

/** The UIDs of a folder's unseen messages, as a mail client would see them. */
async function unseenIn(port: number, folder: string): Promise<number[]> {
  const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user: 'testuser', pass: 'testpass' }, logger: false });
  await client.connect();
  try {
    const lock = await client.getMailboxLock(folder);
    try {
      return ((await client.search({ seen: false }, { uid: true })) || []) as number[];
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

function contextOf(env: TestEnvironment, imapUrl: string) {
  return jobContextOn(env.db, { mailer: env.mailer, i18n: createI18n(localesDirectory), logger: pino({ level: 'silent' }), clock: env.clock.now, forgetsLinks: false, imapMailboxes: parseImapMailboxes(imapUrl) });
}

/**
 * One run of the scheduled job's handler, as the runner's worker does it. The handler is called
 * itself: the runner queues one job a minute for the whole database, and on MySQL another test
 * file's runner may claim it.
 */
async function pollOnce(env: TestEnvironment, imapUrl: string): Promise<void> {
  await mailPoll.run(contextOf(env, imapUrl), {}, undefined as never);
}

describeOnEachDatabase('the IMAP poller (T9)', (env) => {
  async function tenantWithClient(): Promise<TestTenant> {
    const tenant = await makeTenant(env.db);
    await alfaWithClient(env.db, tenant);
    return tenant;
  }

  it('takes every unseen message of the mailbox into the tenant, files them as ingestion does, and marks them seen', async () => {
    const tenant = await tenantWithClient();
    const server = await startImapServer([{ raw: mailFixture('plain.eml') }, { raw: mailFixture('unknown-sender.eml') }, { raw: mailFixture('attachments.eml'), flags: ['\\Seen'] }]);
    await pollOnce(env, `imap://testuser:testpass@127.0.0.1:${server.port}/INBOX?tenant=${tenant.slug}`);
    const kept = await env.db('mail_intake').where('tenant_id', tenant.id).orderBy('id');
    expect(kept.map((row) => [row.message_id, row.status, row.channel])).toEqual([
      ['<plain-0001@alfa.example>', 'filed', 'imap'],
      ['<unknown-0001@elsewhere.example>', 'unmatched', 'imap'],
    ]);
    expect(await env.db('tickets').where({ tenant_id: tenant.id, source: 'email' })).toHaveLength(1);
    expect(await unseenIn(server.port, 'INBOX')).toEqual([]);
  });

  it('files nothing twice when a message comes again (marked unseen by someone), and moves handled ones to the processed folder when asked', async () => {
    const tenant = await tenantWithClient();
    const server = await startImapServer([{ raw: mailFixture('plain.eml') }]);
    const url = `imap://testuser:testpass@127.0.0.1:${server.port}/INBOX?tenant=${tenant.slug}&processed=Processed`;
    await pollOnce(env, url);
    expect(await unseenIn(server.port, 'INBOX')).toEqual([]);
    expect(await unseenIn(server.port, 'Processed')).toHaveLength(1);
    const again = await startImapServer([{ raw: mailFixture('plain.eml') }]);
    await pollOnce(env, `imap://testuser:testpass@127.0.0.1:${again.port}/INBOX?tenant=${tenant.slug}`);
    expect(await env.db('tickets').where('tenant_id', tenant.id)).toHaveLength(1);
    expect(await env.db('mail_intake').where('tenant_id', tenant.id)).toHaveLength(1);
    expect(await unseenIn(again.port, 'INBOX')).toEqual([]);
  });

  it('leaves the messages unseen when the mailbox names a tenant that does not exist, and schedules polling only where IMAP_URL names mailboxes', async () => {
    const server = await startImapServer([{ raw: mailFixture('plain.eml') }]);
    await expect(pollOnce(env, `imap://testuser:testpass@127.0.0.1:${server.port}/INBOX?tenant=no-such-tenant`)).rejects.toThrow('IMAP_URL names the tenant "no-such-tenant", which does not exist');
    expect(await unseenIn(server.port, 'INBOX')).toEqual([1]);
    const polls = () => env.db('jobs').where('kind', 'mail.poll').count({ count: '*' }).first();
    const before = await polls();
    env.clock.advance(120_000);
    try {
      await createJobRunner(contextOf(env, ''), { registry: { 'mail.poll': mailPoll as never } }).enqueueScheduled();
      expect(await polls()).toEqual(before);
      await createJobRunner(contextOf(env, `imap://u:p@127.0.0.1:${server.port}/INBOX?tenant=x`), { registry: { 'mail.poll': mailPoll as never } }).enqueueScheduled();
      expect(Number((await polls())!.count)).toBeGreaterThan(Number(before!.count));
    } finally {
      env.clock.reset();
    }
  });
});
