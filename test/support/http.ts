import type { Express } from 'express';
import request from 'supertest';
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
