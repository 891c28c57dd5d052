/** The cookies a response sets, as "name=value" pairs by name. */
export function cookiesOf(setCookie: string[] | string | undefined, into = new Map<string, string>()): Map<string, string> {
  for (const line of [setCookie ?? []].flat()) {
    const pair = line.split(';')[0]!;
    into.set(pair.slice(0, pair.indexOf('=')), pair);
  }
  return into;
}

export function cookieHeader(cookies: Map<string, string>): string {
  return [...cookies.values()].join('; ');
}

/** The sign-in form's hidden token. */
export function formTokenOf(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

/**
 * Signs in as a browser does: GET the form (keeping whatever cookies it sets: a session or a signed
 * token cookie), POST it with its token, keep the cookies of the answer.
 * @returns the Cookie header of the signed-in session
 * @throws Error when the form has no token or the sign-in is not answered with a redirect
 */
export async function signIn(port: number, slug: string, login: string, password: string): Promise<string> {
  const url = `http://127.0.0.1:${port}/${slug}/login`;
  const page = await fetch(url);
  const cookies = cookiesOf(page.headers.getSetCookie());
  const token = formTokenOf(await page.text());
  if (!token) throw new Error(`the sign-in form of ${slug} answered ${page.status} without a token`);
  const body = new URLSearchParams({ _csrf: token, login, password });
  const answer = await fetch(url, { method: 'POST', body, headers: { Cookie: cookieHeader(cookies) }, redirect: 'manual' });
  await answer.arrayBuffer();
  if (answer.status !== 303) throw new Error(`the sign-in of ${login} answered ${answer.status}`);
  return cookieHeader(cookiesOf(answer.headers.getSetCookie(), cookies));
}

/** Signs in every login, a few at a time (bcrypt is the cost), in the order given. */
export async function signInAll(port: number, slug: string, logins: string[], password: string): Promise<string[]> {
  const cookies: string[] = [];
  for (let start = 0; start < logins.length; start += 4) {
    cookies.push(...(await Promise.all(logins.slice(start, start + 4).map((login) => signIn(port, slug, login, password)))));
  }
  return cookies;
}
