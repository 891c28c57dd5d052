import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const goodSecret = 'a-session-secret-that-is-long-enough-0123';

describe('loadConfig', () => {
  let dataDirectory: string;

  beforeEach(() => {
    dataDirectory = mkdtempSync(path.join(os.tmpdir(), 'ebok-config-'));
  });
  afterEach(() => {
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  const load = (env: Record<string, string | undefined>) => loadConfig(env, { dataDirectory });

  /** Loads and returns the ConfigError it must throw; fails the test when none is thrown. */
  function refusal(env: Record<string, string | undefined>): ConfigError {
    try {
      load(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
  }

  it('fills in the documented defaults when nothing is set', () => {
    const config = load({ SESSION_SECRET: goodSecret });
    expect(config).toMatchObject({
      port: 3000,
      bcryptCost: 12,
      webConcurrency: 1,
      logLevel: 'info',
      demoPassword: 'demo1234',
      baseUrl: 'http://localhost:3000',
      nodeEnv: 'development',
      isProduction: false,
      databaseUrl: undefined,
      smtpUrl: undefined,
      trustProxy: false,
      runsJobs: true,
      dataDirectory,
    });
  });

  it('stops npm start from running jobs with RUN_JOBS=false, and refuses anything but true or false, naming it', () => {
    expect(load({ SESSION_SECRET: goodSecret, RUN_JOBS: 'false' }).runsJobs).toBe(false);
    expect(load({ SESSION_SECRET: goodSecret, RUN_JOBS: 'true' }).runsJobs).toBe(true);
    expect(load({ SESSION_SECRET: goodSecret, RUN_JOBS: '' }).runsJobs).toBe(true);
    expect(refusal({ SESSION_SECRET: goodSecret, RUN_JOBS: 'no' }).message).toBe('Configuration error: RUN_JOBS must be true or false (got "no")');
  });

  it('treats empty variables as unset, as docker compose passes them', () => {
    const config = load({ SESSION_SECRET: goodSecret, PORT: '', LOG_LEVEL: '', DATABASE_URL: '' });
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe('info');
    expect(config.databaseUrl).toBeUndefined();
  });

  it('reads good values and builds the base URL from the port', () => {
    const config = load({ SESSION_SECRET: goodSecret, PORT: '8080', BCRYPT_COST: '4', WEB_CONCURRENCY: '4', DATABASE_URL: 'mysql://u:p@db:3306/ebok' });
    expect(config.port).toBe(8080);
    expect(config.bcryptCost).toBe(4);
    expect(config.webConcurrency).toBe(4);
    expect(config.databaseUrl).toBe('mysql://u:p@db:3306/ebok');
    expect(config.baseUrl).toBe('http://localhost:8080');
  });

  it('drops the trailing slash of BASE_URL', () => {
    expect(load({ SESSION_SECRET: goodSecret, BASE_URL: 'https://ebok.example.com/' }).baseUrl).toBe('https://ebok.example.com');
  });

  it('sends e-mail from no-reply at the host of the base URL', () => {
    expect(load({ SESSION_SECRET: goodSecret, BASE_URL: 'https://ebok.example.com:8443/' }).mailFrom).toBe('eBOK <no-reply@ebok.example.com>');
    expect(load({ SESSION_SECRET: goodSecret }).mailFrom).toBe('eBOK <no-reply@localhost>');
  });

  const wrongValues: Array<[string, string]> = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['BCRYPT_COST', '3'],
    ['DATABASE_URL', 'postgres://x'],
    ['BASE_URL', 'ftp://x'],
    ['SMTP_URL', 'http://x'],
    ['LOG_LEVEL', 'loud'],
    ['NODE_ENV', 'staging'],
    ['WEB_CONCURRENCY', '0'],
    ['SESSION_SECRET', 'too-short'],
  ];

  it.each(wrongValues)('stops the start with one line naming %s when it is %s', (name, value) => {
    const error = refusal({ SESSION_SECRET: goodSecret, [name]: value });
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('refuses production without SESSION_SECRET, naming it', () => {
    const error = refusal({ NODE_ENV: 'production' });
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain('SESSION_SECRET');
  });

  it('uses the given SESSION_SECRET in production', () => {
    const config = load({ NODE_ENV: 'production', SESSION_SECRET: goodSecret, BASE_URL: 'https://ebok.example.com' });
    expect(config.isProduction).toBe(true);
    expect(config.sessionSecret).toBe(goodSecret);
  });

  it('requires BASE_URL in production, since e-mailed links must point at the real address', () => {
    expect(() => load({ NODE_ENV: 'production', SESSION_SECRET: goodSecret })).toThrow(/^Configuration error: BASE_URL /);
  });

  it('refuses TRUST_PROXY=true in production, which would believe any client’s X-Forwarded-For', () => {
    expect(() => load({ NODE_ENV: 'production', SESSION_SECRET: goodSecret, BASE_URL: 'https://ebok.example.com', TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(load({ NODE_ENV: 'production', SESSION_SECRET: goodSecret, BASE_URL: 'https://ebok.example.com', TRUST_PROXY: '1' }).trustProxy).toBe(1);
  });

  it('never repeats a secret-bearing value in its error line', () => {
    expect(() => load({ SESSION_SECRET: 'hunter2-short' })).toThrow(/SESSION_SECRET/);
    expect(() => load({ SESSION_SECRET: 'hunter2-short' })).not.toThrow(/hunter2/);
    expect(() => load({ DATABASE_URL: 'postgres://admin:topsecret@db/x' })).not.toThrow(/topsecret/);
    expect(() => load({ SMTP_URL: 'http://mailer:topsecret@mail' })).not.toThrow(/topsecret/);
  });

  it('generates a development secret once, keeps it in the data folder and reuses it', () => {
    const first = load({ NODE_ENV: 'development' });
    const file = path.join(dataDirectory, 'session-secret');
    expect(existsSync(file)).toBe(true);
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.sessionSecret);
    expect(load({ NODE_ENV: 'development' }).sessionSecret).toBe(first.sessionSecret);
  });

  it('creates the data folder for the development secret when it is missing', () => {
    const nested = path.join(dataDirectory, 'not', 'yet');
    const config = loadConfig({}, { dataDirectory: nested });
    expect(readFileSync(path.join(nested, 'session-secret'), 'utf8').trim()).toBe(config.sessionSecret);
  });

  it.each([
    ['true', true],
    ['false', false],
    ['2', 2],
    ['loopback', 'loopback'],
    ['10.0.0.1, 10.0.0.2', '10.0.0.1, 10.0.0.2'],
    [undefined, false],
  ])('reads TRUST_PROXY=%s as %s', (value, expected) => {
    expect(load({ SESSION_SECRET: goodSecret, TRUST_PROXY: value }).trustProxy).toStrictEqual(expected);
  });

  it('returns a frozen object that cannot be changed afterwards', () => {
    const config = load({ SESSION_SECRET: goodSecret });
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});
