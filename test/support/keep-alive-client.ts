import { Agent, request } from 'node:http';

export type Answer = { status: number; headers: Record<string, string | string[] | undefined>; text: string };

/**
 * A browser-like client on one keep-alive connection (at most one socket), keeping the cookie
 * it is given, so that a test can see whether the server kept that connection usable.
 */
export function keepAliveClient(baseUrl: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let cookie = '';
  function send(method: 'GET' | 'POST', path: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    return new Promise((resolve, reject) => {
      const outgoing = request(`${baseUrl}${path}`, {
        method,
        agent,
        headers: {
          ...(cookie ? { Cookie: cookie } : {}),
          ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)) } : {}),
          ...headers,
        },
      });
      outgoing.on('response', (response) => {
        const fresh = response.headers['set-cookie']?.[0]?.split(';')[0];
        if (fresh) cookie = fresh;
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
  return {
    get: (path: string, headers?: Record<string, string>) => send('GET', path, undefined, headers),
    post: (path: string, form: Record<string, string>, headers?: Record<string, string>) => send('POST', path, form, headers),
    /** Signs in through the form; resolves with the redirect. */
    async signIn(slug: string, login: string, password: string): Promise<Answer> {
      const page = await send('GET', `/${slug}/login`);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
      if (!token) throw new Error(`no sign-in form (status ${page.status})`);
      return send('POST', `/${slug}/login`, { _csrf: token, login, password });
    },
    cookie: () => cookie,
    forgetCookie: () => void (cookie = ''),
    close: () => agent.destroy(),
  };
}
