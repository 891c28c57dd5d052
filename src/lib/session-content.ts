/**
 * What tells a changed session, as express-session compares it: everything but the cookie (whose
 * expiry moves with every response).
 */
export function sessionContentOf(session: object): string {
  return JSON.stringify(session, function leaveOutCookie(this: unknown, key: string, value: unknown) {
    return this === session && key === 'cookie' ? undefined : value;
  });
}
