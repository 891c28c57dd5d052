import autocannon, { type AutocannonRequest } from 'autocannon';
import { cookieHeader, cookiesOf, formTokenOf } from './sessions.js';

/** What item 4 holds a scenario to. */
export type TargetKind = 'ceiling' | 'dashboard' | 'list' | 'page' | 'sign-in' | 'pdf';

/** One measured page: its requests (autocannon's), and which statuses are its answers. */
export type Scenario = { name: string; kind: TargetKind; requests: AutocannonRequest[]; expected: number[]; connections?: number };

/** `unfinished`: sent but not answered when the time was up (at most one a connection when the app keeps up). */
export type Measured = { requests: number; rate: number; p50: number; p99: number; unexpected: number; unfinished: number; statuses: string };

/** A GET of a random one of `targets` per request, each with its own session's cookie. */
export function randomGets(targets: Array<{ path: string; cookie?: string }>): AutocannonRequest[] {
  if (targets.length === 0) throw new Error('a scenario without targets: the seed lacks what it needs');
  return [
    {
      method: 'GET',
      setupRequest(request) {
        const target = targets[Math.floor(Math.random() * targets.length)]!;
        request.path = target.path;
        request.headers = { ...request.headers, cookie: target.cookie ?? '' };
        return request;
      },
    },
  ];
}

/**
 * A sign-in as a browser does it, a random login each time: the form (its cookies and token kept in
 * the connection's context), then the POST with them. Both requests are counted; the sign-ins are the 303s.
 * Each browser comes from an address of its own, as the proxy in front of the app (TRUST_PROXY) tells it:
 * clients sign in from their own networks. Fifty at once from one address would wait for the throttle's
 * twenty attempts in flight an address may have (models/sign-in-attempts.ts), a defence against one
 * address's burst of guesses that sign-in-races.test.ts tests.
 */
export function signIns(slug: string, logins: string[], password: string): AutocannonRequest[] {
  const randomAddress = () => `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
  return [
    {
      method: 'GET',
      path: `/${slug}/login`,
      setupRequest(request, context) {
        context.address = randomAddress();
        request.headers = { ...request.headers, cookie: '', 'x-forwarded-for': String(context.address) };
        return request;
      },
      onResponse(_status, body, context, headers) {
        // autocannon keeps the headers' raw names ("Set-Cookie").
        const setCookie = Object.entries(headers).find(([name]) => name.toLowerCase() === 'set-cookie')?.[1];
        context.cookie = cookieHeader(cookiesOf(setCookie));
        context.token = formTokenOf(body) ?? '';
      },
    },
    {
      method: 'POST',
      path: `/${slug}/login`,
      setupRequest(request, context) {
        const login = logins[Math.floor(Math.random() * logins.length)]!;
        request.body = new URLSearchParams({ _csrf: String(context.token), login, password }).toString();
        request.headers = { ...request.headers, cookie: String(context.cookie), 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': String(context.address) };
        return request;
      },
    },
  ];
}

/** Loads one scenario with one autocannon instance for `seconds` (or for `amount` requests). */
export async function measure(port: number, scenario: Scenario, load: { connections: number; seconds: number } | { connections: number; amount: number }): Promise<Measured> {
  const length = 'seconds' in load ? { duration: load.seconds } : { amount: load.amount };
  const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: scenario.connections ?? load.connections, ...length, timeout: 30, requests: scenario.requests });
  const counts = Object.entries(result.statusCodeStats);
  const answered = counts.reduce((sum, [, { count }]) => sum + count, 0);
  const expected = counts.filter(([status]) => scenario.expected.includes(Number(status))).reduce((sum, [, { count }]) => sum + count, 0);
  const interesting = scenario.kind === 'sign-in' ? counts.filter(([status]) => status === '303') : counts.filter(([status]) => scenario.expected.includes(Number(status)));
  const measuredCount = interesting.reduce((sum, [, { count }]) => sum + count, 0);
  return {
    requests: answered,
    // A sign-in is the POST's redirect; the GET of the form before it is the browser's cost of it.
    rate: measuredCount / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    unexpected: answered - expected + result.errors,
    unfinished: Math.max(0, result.requests.sent - answered - result.errors),
    statuses: counts.map(([status, { count }]) => `${status}×${count}`).join(' ') + (result.errors ? ` errors×${result.errors}` : ''),
  };
}

/**
 * Waits until the app has worked off what the last load left (autocannon stops sending, but the app
 * still answers the requests in flight and those queued for a database connection): until /readyz,
 * which takes a connection of the pool, answers within 100 ms, for at most 60 s.
 */
export async function settle(port: number): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const started = performance.now();
    const status = await fetch(`http://127.0.0.1:${port}/readyz`).then((response) => response.status, () => 0);
    if (status === 200 && performance.now() - started < 100) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
