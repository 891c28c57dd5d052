import { Agent, request } from 'node:http';

/** What the bench and the fault script send over loopback: one request, answered or failed. */
export type Target = { port: number; path: string; cookie?: string };
export type Reply = { status: number; setCookie?: string[]; text: string; connection?: string; isNewConnection: boolean };

export function send(agent: Agent, target: Target, method = 'GET', body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (target.cookie) headers.Cookie = target.cookie;
    if (body) Object.assign(headers, { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)) });
    const outgoing = request({ host: '127.0.0.1', port: target.port, path: target.path, method, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'], text, connection: res.headers.connection, isNewConnection: !outgoing.reusedSocket }),
      );
      // A response whose connection closes before its end was cut in the middle.
      res.on('close', () => {
        if (!res.complete) reject(Object.assign(new Error('response cut before its end'), { code: 'CUT_RESPONSE', isNewConnection: !outgoing.reusedSocket }));
      });
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => reject(Object.assign(error, { isNewConnection: !outgoing.reusedSocket })));
    // A request the server never answers is a finding too, not a hang of the bench.
    outgoing.setTimeout(15_000, () => outgoing.destroy(Object.assign(new Error('no answer within 15 s'), { code: 'NO_ANSWER' })));
    outgoing.end(body);
  });
}

/** Signs in through the form; resolves with the session cookie ("ebok.sid=…"). */
export async function signIn(port: number, slug: string, login: string, password: string): Promise<string> {
  const agent = new Agent({ keepAlive: true });
  try {
    const page = await send(agent, { port, path: `/${slug}/login` });
    const cookie = page.setCookie?.[0]?.split(';')[0];
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!cookie || !token) throw new Error(`bench sign-in page failed: ${page.status}`);
    const body = new URLSearchParams({ _csrf: token, login, password }).toString();
    const response = await send(agent, { port, path: `/${slug}/login`, cookie }, 'POST', body);
    if (response.status !== 303) throw new Error(`bench sign-in failed: ${response.status}`);
    return response.setCookie![0]!.split(';')[0]!;
  } finally {
    agent.destroy();
  }
}

/** One request of a load: when it ended, how, and whether it needed a new connection. */
export type Sample = { at: number; milliseconds: number; status: number; error?: string; connection?: string; isNewConnection: boolean };

/**
 * Virtual users, each on its own keep-alive connection, sending one request after another until
 * stop() is called; every request is kept as a sample. A failed request is retried after a pause,
 * as a browser's user would.
 */
export function startLoad(targets: Target[]): { samples: Sample[]; stop(): Promise<void> } {
  const samples: Sample[] = [];
  let isStopping = false;
  const users = targets.map(async (target) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    while (!isStopping) {
      const started = Date.now();
      try {
        const reply = await send(agent, target);
        samples.push({ at: Date.now(), milliseconds: Date.now() - started, status: reply.status, connection: reply.connection, isNewConnection: reply.isNewConnection });
      } catch (error) {
        const failure = error as NodeJS.ErrnoException & { isNewConnection?: boolean };
        samples.push({ at: Date.now(), milliseconds: Date.now() - started, status: 0, error: failure.code ?? String(error), isNewConnection: failure.isNewConnection ?? false });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    agent.destroy();
  });
  return {
    samples,
    async stop() {
      isStopping = true;
      await Promise.all(users);
    },
  };
}

/** Counts of samples by status (or error code), such as "503×812 200×40". */
export function tally(samples: Sample[]): string {
  const counts = new Map<string, number>();
  for (const sample of samples) counts.set(sample.error ?? String(sample.status), (counts.get(sample.error ?? String(sample.status)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([key, count]) => `${key}×${count}`).join(' ') || 'none';
}
