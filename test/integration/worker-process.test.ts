import path from 'node:path';
import { expect, it } from 'vitest';
import { createDatabase } from '../../src/db/knex.js';
import { enqueueMail } from '../../src/models/outbox.js';
import { createAcmeTenant, logLines, processesOfThisFile, type StartedProcess } from '../support/processes.js';
import { scopeFor } from '../support/factories.js';

const processes = processesOfThisFile();

const mailLines = (running: StartedProcess) => logLines(running.output().stdout).filter((line) => String(line.msg).startsWith('e-mail'));

it('sends queued e-mail from npm run worker while npm start with RUN_JOBS=false leaves it alone; the worker stops on SIGTERM with 0', async () => {
  const setup = await processes.serverSetup({}, { baseUrl: true });
  await createAcmeTenant(setup.variables);

  const web = processes.startServer(setup, { RUN_JOBS: 'false' });
  await web.waitForOutput(/"msg":"listening"/, 45_000);

  const db = createDatabase({ sqliteFile: path.join(setup.dataDirectory, 'ebok.sqlite') });
  let worker: StartedProcess;
  try {
    const tenant = await db('tenants').where('slug', 'acme').first('id');
    const outboxId = await enqueueMail(scopeFor(db, { id: Number(tenant.id) }), { to: 'anna@acme.example', locale: 'en', template: 'password-setup', data: { tenant: 'Acme', login: 'anna', link: 'http://x' } });
    // Longer than a runner's poll (2 s): a web process that ran jobs would have sent it by now.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await db('outbox').where('id', outboxId).first()).toMatchObject({ status: 'pending' });
    expect(mailLines(web)).toEqual([]);

    worker = processes.start('src/worker.ts', [], setup.variables);
    await worker.waitForOutput(/anna@acme\.example/, 45_000);
    // The transport logs the message before the sender marks its row sent, in a statement of its own.
    await expect.poll(async () => (await db('outbox').where('id', outboxId).first()).status, { timeout: 10_000 }).toBe('sent');
    expect(mailLines(worker).map((line) => (line.mail as { to: string }).to)).toEqual(['anna@acme.example']);
    expect(mailLines(web)).toEqual([]);
  } finally {
    await db.destroy();
  }

  worker!.child.kill('SIGTERM');
  expect(await worker!.exited).toBe(0);
  expect(logLines(worker!.output().stdout).some((line) => line.msg === 'stopped')).toBe(true);
}, 90_000);
