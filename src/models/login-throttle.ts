import { retryingDeadlocks, type Scope } from '../db/scope.js';
import { toDatabaseTime } from '../lib/time.js';

/**
 * Sign-in throttling. Counters are kept per login (within a tenant) and per client IP; past a
 * threshold each further failure doubles the wait, up to an hour. Failures older than a day
 * no longer count. Unknown logins are counted like real ones, so the wait reveals nothing.
 * Password checks take and settle their attempts through sign-in-attempts.ts.
 */
export const throttlePolicy = {
  login: { freeFailures: 5 },
  ip: { freeFailures: 20 },
  firstWaitSeconds: 30,
  longestWaitSeconds: 60 * 60,
  forgetAfterSeconds: 24 * 60 * 60,
} as const;

export type ThrottleKeys = { login: string; ip: string };

const table = 'login_throttles';

export function throttleKeys(tenantId: number, login: string, ip: string): ThrottleKeys {
  return { login: `login:${tenantId}:${login.trim().toLowerCase()}`.slice(0, 191), ip: `ip:${ip}`.slice(0, 191) };
}

/** Seconds until another attempt is allowed, 0 when none is blocked. */
export async function secondsUntilAllowed(scope: Scope, keys: ThrottleKeys, now: Date): Promise<number> {
  return secondsUntilKeysAllowed(scope, [keys.login, keys.ip], now);
}

async function secondsUntilKeysAllowed(scope: Scope, keys: string[], now: Date): Promise<number> {
  const rows: Array<{ blocked_until: string | null }> = await scope.shared(table)
    .select('blocked_until')
    .whereIn('throttle_key', keys)
    .andWhere('blocked_until', '>', toDatabaseTime(now));
  const latest = rows.reduce((max, row) => Math.max(max, Date.parse(`${row.blocked_until!.replace(' ', 'T')}Z`)), 0);
  return latest ? Math.ceil((latest - now.getTime()) / 1000) : 0;
}

export function waitAfter(failures: number, freeFailures: number): number {
  if (failures < freeFailures) return 0;
  const doublings = Math.min(failures - freeFailures, 20);
  return Math.min(throttlePolicy.firstWaitSeconds * 2 ** doublings, throttlePolicy.longestWaitSeconds);
}

async function bump(scope: Scope, key: string, freeFailures: number, now: Date): Promise<void> {
  const stamp = toDatabaseTime(now);
  const forgetBefore = toDatabaseTime(new Date(now.getTime() - throttlePolicy.forgetAfterSeconds * 1000));
  // One atomic upsert, so concurrent failures from several processes are all counted.
  await retryingDeadlocks(() =>
    scope.shared(table)
      .insert({ throttle_key: key, failures: 1, last_failure_at: stamp, blocked_until: null })
      .onConflict('throttle_key')
      .merge({
        failures: scope.raw('CASE WHEN last_failure_at < ? THEN 1 ELSE failures + 1 END', [forgetBefore]),
        last_failure_at: stamp,
      }),
  );
  const row: { failures: number } | undefined = await scope.shared(table).select('failures').where('throttle_key', key).first();
  const wait = waitAfter(Number(row?.failures ?? 0), freeFailures);
  if (wait > 0) {
    const until = toDatabaseTime(new Date(now.getTime() + wait * 1000));
    // Never shorten a longer wait that a concurrent failure has already set.
    await retryingDeadlocks(() =>
      scope.shared(table)
        .where('throttle_key', key)
        .andWhere((query) => query.whereNull('blocked_until').orWhere('blocked_until', '<', until))
        .update({ blocked_until: until }),
    );
  }
}

/**
 * Other abuse counted in the same table, per tenant and client IP. The tenant is part of the key
 * because a link or a reset works only on its own tenant's address, and so that noise aimed at
 * one provider never locks out the people of another who share an address (a large NAT).
 * - Link guesses: unknown one-time link tokens (set-up, invitation, reset). Past 20 the address
 *   waits as a sign-in address does (30 s, doubling, up to an hour; forgotten after a day).
 * - Reset requests: 10 per address, counted while they come less than an hour apart; the 10th
 *   makes the address wait an hour, so nobody floods an inbox through the reset form.
 */
export const abusePolicy = {
  linkGuesses: { freeFailures: 20 },
  resetRequests: { limit: 10, windowSeconds: 60 * 60 },
} as const;

export function linkGuessKey(tenantId: number, ip: string): string {
  return `token-ip:${tenantId}:${ip}`.slice(0, 191);
}

export function resetRequestKey(tenantId: number, ip: string): string {
  return `reset-ip:${tenantId}:${ip}`.slice(0, 191);
}

/** Seconds until one key may try again, 0 when it is not blocked. */
export async function secondsUntilKeyAllowed(scope: Scope, key: string, now: Date): Promise<number> {
  return secondsUntilKeysAllowed(scope, [key], now);
}

/** Counts one unknown link token against the address. */
export async function recordLinkGuess(scope: Scope, key: string, now: Date): Promise<void> {
  await bump(scope, key, abusePolicy.linkGuesses.freeFailures, now);
}

/** Counts one password-reset request against the address; the last one allowed starts the wait. */
export async function recordResetRequest(scope: Scope, key: string, now: Date): Promise<void> {
  const { limit, windowSeconds } = abusePolicy.resetRequests;
  const stamp = toDatabaseTime(now);
  const windowStart = toDatabaseTime(new Date(now.getTime() - windowSeconds * 1000));
  await retryingDeadlocks(() =>
    scope.shared(table)
      .insert({ throttle_key: key, failures: 1, last_failure_at: stamp, blocked_until: null })
      .onConflict('throttle_key')
      .merge({ failures: scope.raw('CASE WHEN last_failure_at < ? THEN 1 ELSE failures + 1 END', [windowStart]), last_failure_at: stamp }),
  );
  const row: { failures: number } | undefined = await scope.shared(table).select('failures').where('throttle_key', key).first();
  if (Number(row?.failures ?? 0) >= limit) {
    await retryingDeadlocks(() => scope.shared(table).where('throttle_key', key).update({ blocked_until: toDatabaseTime(new Date(now.getTime() + windowSeconds * 1000)) }));
  }
}
