import { existsSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import path from 'node:path';
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/knex.js';
import { describeRoutes, routeTable } from '../../src/routes.js';
import { createAppOnDatabase } from '../support/apps.js';
import { cookiesOf, csrfTokenFrom, submitSignIn } from '../support/http.js';
import { isRunning, logLines, processesOfThisFile, runCli, type StartedProcess } from '../support/processes.js';

const demoLogins = ['superadmin', 'admin', 'caretaker', 'anna', 'piotr'];
const processes = processesOfThisFile();

/** Starts `npm start`'s command on a free port and an empty data folder, as in development. */
async function startServer(variables: Record<string, string> = {}) {
  const setup = await processes.serverSetup(variables);
  return { ...setup, server: processes.startServer(setup) };
}

/** Milliseconds until the process exits, failing past the limit. */
async function timeToExit(server: StartedProcess, limitMs: number): Promise<{ code: number | null; milliseconds: number }> {
  const from = Date.now();
  const code = await Promise.race([server.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('did not exit in time')), limitMs))]);
  return { code, milliseconds: Date.now() - from };
}

describe('the server on its first start', () => {
  let running: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    running = await startServer();
    await running.server.waitForOutput(/\/other\/login\s+admin/, 45_000);
  }, 60_000);

  it('migrates the empty database, seeds the demo tenants and prints the demo URL and logins', () => {
    const { stdout } = running.server.output();
    expect(existsSync(path.join(running.dataDirectory, 'ebok.sqlite'))).toBe(true);
    expect(logLines(stdout).some((line) => line.msg === 'database migrated')).toBe(true);
    expect(stdout).toContain(`http://localhost:${running.port}/demo/login`);
    for (const login of demoLogins) expect(stdout).toMatch(new RegExp(`/demo/login\\s+${login}\\s`));
    expect(stdout).toMatch(/\/other\/login\s+admin\s/);
  });

  it('answers /healthz', async () => {
    const response = await request(running.baseUrl).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('lets anna sign in to the demo tenant with the demo password', async () => {
    const agent = request.agent(running.baseUrl);
    const response = await submitSignIn(agent, { slug: 'demo' }, 'anna', 'demo1234');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/demo/portal');
    const dashboard = await agent.get('/demo/portal');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('Alfa sp. z o.o.');
  });

  it('answers a request in flight when SIGTERM arrives, then exits with 0 within 12 s', async () => {
    const agent = request.agent(running.baseUrl);
    const csrfToken = await csrfTokenFrom(agent, '/demo/login');
    const body = new URLSearchParams({ _csrf: csrfToken, login: 'anna', password: 'demo1234' }).toString();
    const answer = new Promise<IncomingMessage>((resolve, reject) => {
      const inFlight = httpRequest(`${running.baseUrl}/demo/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), Cookie: cookiesOf(agent, { slug: 'demo' }) },
      });
      inFlight.on('response', resolve).on('error', reject);
      inFlight.write(body.slice(0, 10));
      // The rest of the form arrives only after the server has been told to stop.
      void running.server.waitForOutput(/finishing requests in flight/, 5_000).then(() => setTimeout(() => inFlight.end(body.slice(10)), 300), reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    running.server.child.kill('SIGTERM');

    const response = await answer;
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/demo/portal');
    const { code, milliseconds } = await timeToExit(running.server, 12_000);
    expect(code).toBe(0);
    expect(milliseconds).toBeLessThan(12_000);
    expect(logLines(running.server.output().stdout).some((line) => line.msg === 'stopped')).toBe(true);
  }, 30_000);
});

describe('the server with WEB_CONCURRENCY=2', () => {
  it('runs two workers that answer requests, and SIGTERM stops them all with 0', async () => {
    const { server, baseUrl } = await startServer({ WEB_CONCURRENCY: '2' });
    await server.waitForOutput(/\/other\/login\s+admin/, 45_000);
    const listening = () => logLines(server.output().stdout).filter((line) => line.msg === 'listening');
    const deadline = Date.now() + 20_000;
    while (listening().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const workerPids = listening().map((line) => Number(line.pid));
    expect(workerPids).toHaveLength(2);
    expect(new Set(workerPids).size).toBe(2);
    expect(workerPids).not.toContain(server.child.pid);

    for (let attempt = 0; attempt < 6; attempt += 1) expect((await request(baseUrl).get('/demo/login')).status).toBe(200);

    // A worker killed from outside right after its start is replaced at once, not after a crash loop's wait.
    process.kill(workerPids[1]!, 'SIGKILL');
    const restartDeadline = Date.now() + 30_000;
    while (listening().length < 3 && Date.now() < restartDeadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const died = logLines(server.output().stdout).filter((line) => line.msg === 'worker died; starting another');
    expect(died.map((line) => [line.pid, line.restartInMs])).toEqual([[workerPids[1], 0]]);
    const replacement = Number(listening()[2]?.pid);
    expect(workerPids).not.toContain(replacement);
    expect((await request(baseUrl).get('/demo/login')).status).toBe(200);

    server.child.kill('SIGTERM');
    const { code } = await timeToExit(server, 12_000);
    expect(code).toBe(0);
    for (const pid of [workerPids[0]!, replacement]) expect(isRunning(pid), `worker ${pid}`).toBe(false);
  }, 90_000);
});

describe('a start with a wrong configuration', () => {
  afterEach(() => processes.killAll());

  it('stops on PORT=abc with exit code 1 and one line naming PORT', async () => {
    const { server } = await startServer({ PORT: 'abc' });
    const { code } = await timeToExit(server, 30_000);
    await server.closed;
    const lines = server.output().stderr.trim().split('\n');
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\bPORT\b/);
  }, 40_000);

  it('stops in production without SESSION_SECRET, naming it', async () => {
    const { server, dataDirectory } = await startServer({ NODE_ENV: 'production' });
    const { code } = await timeToExit(server, 30_000);
    await server.closed;
    const lines = server.output().stderr.trim().split('\n');
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\bSESSION_SECRET\b/);
    expect(existsSync(path.join(dataDirectory, 'ebok.sqlite'))).toBe(false);
  }, 40_000);
});

describe('the command line', () => {
  const acme = ['tenant:create', '--slug', 'acme', '--name', 'Acme sp. z o.o.', '--admin-login', 'owner', '--admin-email', 'owner@acme.example', '--admin-first-name', 'Olga', '--admin-last-name', 'Łęcka'];

  it('prints every route of the table as one JSON object per line', async () => {
    const { code, stdout } = await runCli(['routes'], {});
    expect(code).toBe(0);
    const printed = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const line of printed) expect(Object.keys(line)).toEqual(expect.arrayContaining(['method', 'path', 'guard']));
    const expected = describeRoutes(routeTable()).map(({ method, path: url, guard }) => ({ method, path: url, guard }));
    expect(printed.map(({ method, path: url, guard }) => ({ method, path: url, guard }))).toEqual(expected);
  }, 30_000);

  it('creates a tenant whose one-time link opens the password page, and refuses the same slug twice', async () => {
    const variables = { DATA_DIR: processes.dataFolder(), NODE_ENV: 'development', BCRYPT_COST: '4', LOG_LEVEL: 'silent', DATABASE_URL: '' };
    const created = await runCli(acme, variables);
    expect(created.code, created.stderr).toBe(0);
    const token = /\/acme\/password-setup\/([A-Za-z0-9_-]+)/.exec(created.stdout)?.[1];
    expect(token, created.stdout).toBeTruthy();

    const db = createDatabase({ sqliteFile: path.join(variables.DATA_DIR, 'ebok.sqlite') });
    const { app, close } = createAppOnDatabase(db);
    try {
      const page = await request(app).get(`/acme/password-setup/${token}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('owner');
      expect((await request(app).get(`/acme/password-setup/${token}x`)).status).toBe(404);
    } finally {
      close();
      await db.destroy();
    }

    const owner = createDatabase({ sqliteFile: path.join(variables.DATA_DIR, 'ebok.sqlite') });
    try {
      // The owner is named as given, and the log claims no password change the owner never made.
      expect(await owner('users').where({ login: 'owner' }).first('first_name', 'last_name')).toEqual({ first_name: 'Olga', last_name: 'Łęcka' });
      expect(await owner('audit_log').orderBy('sequence').pluck('action')).toEqual(['user.created', 'tenant.created']);
    } finally {
      await owner.destroy();
    }
    expect(created.stdout).toContain('Superadmin: Olga Łęcka, login owner');

    const again = await runCli(acme, variables);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/acme.*already exists/);
  }, 40_000);

  it('refuses a missing --name or a bad slug with exit code 2 and touches no database', async () => {
    const variables = { DATA_DIR: processes.dataFolder(), NODE_ENV: 'development', LOG_LEVEL: 'silent', DATABASE_URL: '' };
    const withoutName = await runCli(acme.filter((_, index) => index !== 3 && index !== 4), variables);
    expect(withoutName.code).toBe(2);
    expect(withoutName.stderr).toMatch(/--name/);
    const badSlug = await runCli(acme.map((value) => (value === 'acme' ? 'Not A Slug!' : value)), variables);
    expect(badSlug.code).toBe(2);
    expect(badSlug.stderr).toMatch(/--slug/);
    // The owner's name is asked for: without it the first superadmin was named after the login.
    const withoutLastName = await runCli(acme.slice(0, -2), variables);
    expect(withoutLastName.code).toBe(2);
    expect(withoutLastName.stderr.split('\n')[0]).toBe('--admin-last-name is required');
    expect(withoutLastName.stderr).toContain('--admin-first-name FIRST --admin-last-name LAST');
    const blankFirstName = await runCli(acme.map((value) => (value === 'Olga' ? '  ' : value)), variables);
    expect(blankFirstName.code).toBe(2);
    expect(blankFirstName.stderr.split('\n')[0]).toBe('--admin-first-name is required');
    expect(existsSync(path.join(variables.DATA_DIR, 'ebok.sqlite'))).toBe(false);
  }, 40_000);
});
