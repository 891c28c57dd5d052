/** How long a session lasts: the cookie, the server-side checks (session-user.ts) and the visitor's form-token cookie (csrf.ts). */
export const sessionTimeouts = {
  idleMilliseconds: 30 * 60 * 1000,
  absoluteMilliseconds: 12 * 60 * 60 * 1000,
  /** lastSeenAt is written at most this often, so a page view does not always rewrite the session. */
  lastSeenResolutionMilliseconds: 60 * 1000,
} as const;
