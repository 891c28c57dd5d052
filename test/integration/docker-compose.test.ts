import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configVariables } from '../../src/config.js';
import { projectRoot } from '../../src/lib/paths.js';

type Service = {
  image?: string;
  build?: unknown;
  environment?: Record<string, unknown> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
  volumes?: Array<string | { type?: string; source?: string }>;
};
type Compose = { services?: Record<string, Service>; volumes?: Record<string, unknown> };

const compose = parse(readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8')) as Compose;
const services = compose.services ?? {};

/** A service's environment as a map, whether written as a map or as a list of NAME=value. */
function environmentOf(service: Service | undefined): Record<string, string> {
  const environment = service?.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry) => [entry.split('=')[0]!, entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, String(value ?? '')]));
}

const mysqlServiceName = Object.keys(services).find((name) => /^(docker\.io\/)?(library\/)?mysql:8(\.|$)/.test(services[name]?.image ?? ''));
const mysqlService = mysqlServiceName ? services[mysqlServiceName] : undefined;
const appService = services.app;

describe('docker-compose.yml', () => {
  it('has an app service built from this project', () => {
    expect(appService).toBeDefined();
    expect(appService?.build ?? appService?.image).toBeTruthy();
  });

  it('has a MySQL 8 service with a healthcheck', () => {
    expect(mysqlServiceName, 'a service whose image is mysql:8…').toBeDefined();
    expect(mysqlService?.healthcheck?.disable).not.toBe(true);
    expect(mysqlService?.healthcheck?.test).toBeTruthy();
  });

  it('gives MySQL a buffer pool of at least 1 GB, so that a large provider’s data stays in memory', () => {
    const command = (mysqlService as { command?: string[] | string } | undefined)?.command ?? [];
    const flags = Array.isArray(command) ? command : command.split(/\s+/);
    const size = flags.map((flag) => /^--innodb[-_]buffer[-_]pool[-_]size=(\d+)([KMG]?)$/i.exec(flag)).find(Boolean);
    expect(size, 'a --innodb-buffer-pool-size flag').toBeTruthy();
    const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[size![2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
    expect(Number(size![1]) * unit).toBeGreaterThanOrEqual(1024 ** 3);
  });

  it('keeps the MySQL data in a named volume', () => {
    const sources = (mysqlService?.volumes ?? []).map((volume) => (typeof volume === 'string' ? volume.split(':')[0] : volume.source));
    const named = sources.filter((source): source is string => !!source && !source.startsWith('.') && !source.startsWith('/'));
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) expect(Object.keys(compose.volumes ?? {})).toContain(name);
  });

  it('starts the app only once MySQL is healthy', () => {
    const dependsOn = appService?.depends_on;
    expect(dependsOn && !Array.isArray(dependsOn)).toBe(true);
    expect((dependsOn as Record<string, { condition?: string }>)[mysqlServiceName ?? '']?.condition).toBe('service_healthy');
  });

  it('gives the app every configuration variable eBOK reads', () => {
    const environment = environmentOf(appService);
    for (const name of configVariables) expect(Object.keys(environment), name).toContain(name);
  });

  it('points the app at the MySQL service', () => {
    const url = new URL(environmentOf(appService).DATABASE_URL ?? '');
    expect(url.protocol).toMatch(/^mysql2?:$/);
    expect(url.hostname).toBe(mysqlServiceName);
  });
});

describe('.env.example', () => {
  it('names every configuration variable eBOK reads', () => {
    const example = readFileSync(path.join(projectRoot, '.env.example'), 'utf8');
    const named = example.split('\n').map((line) => /^\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1]).filter(Boolean);
    for (const name of configVariables) expect(named, name).toContain(name);
  });
});
