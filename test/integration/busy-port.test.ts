import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { processesOfThisFile } from '../support/processes.js';

const processes = processesOfThisFile();

/** Another program on the port, as a developer's second server would be. */
async function occupy(port: number): Promise<Server> {
  const other = createServer((socket) => socket.end('another program\n'));
  await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', resolve));
  return other;
}

describe('a server whose port is taken', () => {
  const blockers: Server[] = [];
  afterAll(() => {
    for (const blocker of blockers) blocker.close();
  });

  for (const concurrency of ['1', '2']) {
    it(`stops with one clear line and exit code 1 instead of saying it is ready (WEB_CONCURRENCY=${concurrency})`, async () => {
      const setup = await processes.serverSetup({ WEB_CONCURRENCY: concurrency });
      blockers.push(await occupy(setup.port));
      const server = processes.startServer(setup);
      const code = await Promise.race([server.exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 40_000))]);
      await server.closed;
      const { stdout, stderr } = server.output();
      expect(code, stdout).toBe(1);
      expect(stderr.trim()).toBe(`Port ${setup.port} is already in use; set PORT to a free port.`);
      expect(stdout).not.toContain('eBOK is ready');
      expect(stdout).not.toContain('"msg":"listening"');
    }, 60_000);
  }
});
