import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import type { AppDeps } from '../../src/middleware/context.js';
import type { Tenant } from '../../src/models/tenant.js';
import { testPassword } from './factories.js';

export type Agent = ReturnType<typeof request.agent>;

/** The CSRF token from a page's form (the agent keeps the session cookie it belongs to). */
export async function csrfTokenFrom(agent: Agent, path: string): Promise<string> {
  const response = await agent.get(path);
  const match = /name="_csrf" value="([^"]+)"/.exec(response.text);
  if (!match) throw new Error(`no CSRF token on ${path} (status ${response.status})`);
  return match[1]!;
}

/** Submits the sign-in form as a browser would; returns the response. */
export async function submitSignIn(agent: Agent, tenant: Pick<Tenant, 'slug'>, login: string, password = testPassword, headers: Record<string, string> = {}) {
  const token = await csrfTokenFrom(agent, `/${tenant.slug}/login`);
  return agent.post(`/${tenant.slug}/login`).set(headers).type('form').send({ _csrf: token, login, password });
}

/** A new agent, signed in as the login; fails the test if sign-in does not redirect. */
export async function signedInAgent(app: Express, tenant: Pick<Tenant, 'slug'>, login: string, password = testPassword): Promise<Agent> {
  const agent = request.agent(app);
  const response = await submitSignIn(agent, tenant, login, password);
  if (response.status !== 303) throw new Error(`sign-in of ${login} failed with ${response.status}`);
  return agent;
}

/** The session cookie an agent holds for a tenant ("ebok.sid=..."), to replay it elsewhere as an attacker would. */
export function sessionCookieOf(agent: Agent, tenant: Pick<Tenant, 'slug'>): string {
  const jar = (agent as unknown as { jar: { getCookie(name: string, access: unknown): { value: string } | undefined } }).jar;
  const cookie = jar.getCookie('ebok.sid', { domain: '127.0.0.1', path: `/${tenant.slug}`, secure: false, script: false });
  if (!cookie) throw new Error('the agent holds no session cookie');
  return `ebok.sid=${cookie.value}`;
}

/** Every cookie an agent holds for a tenant, as a Cookie header ("ebok.csrf=…; ebok.sid=…"): what its browser would send there. */
export function cookiesOf(agent: Agent, tenant: Pick<Tenant, 'slug'>): string {
  const jar = (agent as unknown as { jar: { getCookies(access: unknown): { toValueString(): string }[] } }).jar;
  return jar
    .getCookies({ domain: '127.0.0.1', path: `/${tenant.slug}`, secure: false, script: false })
    .map((cookie) => cookie.toValueString())
    .join('; ');
}

/** A made-up client address for X-Forwarded-For, so that per-IP sign-in throttling in one test never reaches another. */
export function uniqueClientAddress(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
}

/** A second app on the same dependencies that trusts X-Forwarded-For from loopback, as behind a reverse proxy. */
export function appBehindProxy(deps: AppDeps): Express {
  return createApp({ ...deps, config: { ...deps.config, trustProxy: 'loopback' } });
}

/** The text of a page's heading (its h1). */
export function headingOf(html: string): string | undefined {
  return /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1]?.trim();
}

/** The text of a page's form-level notice (role="alert"), such as the sign-in refusal. */
export function formErrorOf(html: string): string | undefined {
  return /<div class="notice notice--error" role="alert">([^<]*)<\/div>/.exec(html)?.[1];
}

/** The message shown under one form field, if any. */
export function fieldErrorOf(html: string, field: string): string | undefined {
  return new RegExp(`id="field-${field}-error">([^<]*)<`).exec(html)?.[1];
}

/** Posts a form as a browser would: with the CSRF token of the page the form is on. */
export async function postForm(agent: Agent, page: string, path: string, fields: Record<string, string>) {
  const token = await csrfTokenFrom(agent, page);
  return agent.post(path).type('form').send({ _csrf: token, ...fields });
}
