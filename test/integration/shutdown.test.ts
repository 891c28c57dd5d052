import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { createAcmeTenant, logLines, processesOfThisFile } from '../support/processes.js';

const processes = processesOfThisFile();

/** `npm start` in production on SQLite, with one tenant made by the CLI first. */
async function startProductionServer() {
  const setup = await processes.serverSetup({ NODE_ENV: 'production', SESSION_SECRET: 'shutdown-test-secret-shutdown-test-secret' }, { baseUrl: true });
  await createAcmeTenant(setup.variables);
  const server = processes.startServer(setup);
  await server.waitForOutput(/"msg":"listening"/, 45_000);
  return { server, port: setup.port };
}

/** A keep-alive client that sends one request after another on one connection until it fails. */
function loadOnOneConnection(port: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const answers: Array<{ status: number; connection: string | undefined }> = [];
  let failure: string | undefined;
  let stoppedAt = 0;
  const done = (async () => {
    while (!failure) {
      await new Promise<void>((resolve) => {
        httpRequest({ host: '127.0.0.1', port, path: '/healthz', agent }, (response) => {
          response.resume().on('end', () => {
            answers.push({ status: response.statusCode ?? 0, connection: response.headers.connection });
            resolve();
          });
        })
          .on('error', (error: NodeJS.ErrnoException) => {
            failure = error.code ?? error.message;
            stoppedAt = Date.now();
            resolve();
          })
          .end();
      });
    }
    agent.destroy();
  })();
  return { answers, failure: () => failure, stoppedAt: () => stoppedAt, done };
}

it('after SIGTERM closes keep-alive connections with their current response, finishes the request in flight and exits at once', async () => {
  const { server, port } = await startProductionServer();

  // An idle keep-alive connection, as a browser leaves one open between pages.
  const idle = connect(port, '127.0.0.1');
  let idleClosedAt = 0;
  idle.on('close', () => (idleClosedAt = Date.now()));
  idle.on('error', () => undefined);
  await new Promise<void>((resolve) => {
    idle.once('data', () => resolve());
    idle.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
  });

  // A form whose body is still arriving when the signal comes.
  const body = new URLSearchParams({ login: 'owner', password: 'not the password' }).toString();
  const inFlight = httpRequest({ host: '127.0.0.1', port, path: '/acme/login', method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } });
  const inFlightAnswer = new Promise<IncomingMessage>((resolve, reject) => inFlight.on('response', resolve).on('error', reject));
  inFlight.write(body.slice(0, 5));

  const load = loadOnOneConnection(port);
  while (load.answers.length < 20) await new Promise((resolve) => setTimeout(resolve, 10));

  const signalledAt = Date.now();
  server.child.kill('SIGTERM');
  await server.waitForOutput(/finishing requests in flight/, 5_000);
  setTimeout(() => inFlight.end(body.slice(5)), 300);

  const answer = await inFlightAnswer;
  answer.resume();
  expect(answer.statusCode).toBe(403);
  expect(answer.headers.connection).toBe('close');

  const code = await Promise.race([server.exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 5_000))]);
  const exitedAfterMs = Date.now() - signalledAt;
  expect(code).toBe(0);
  expect(exitedAfterMs).toBeLessThan(3_000);
  expect(logLines(server.output().stdout).some((line) => line.msg === 'stopped')).toBe(true);

  await load.done;
  // Every answer of the load was whole; its connection was ended within a moment (with a response
  // that said so, or as an idle one between two requests) and a new one found the server gone.
  // Before, the server went on answering this connection for the whole grace period.
  expect(load.answers.every((each) => each.status === 200)).toBe(true);
  expect(load.stoppedAt() - signalledAt).toBeLessThan(1_000);
  expect(['ECONNREFUSED', 'ECONNRESET']).toContain(load.failure());
  expect(idleClosedAt).toBeGreaterThan(0);
  expect(idleClosedAt - signalledAt).toBeLessThan(1_000);
}, 90_000);
