import type { Knex } from 'knex';
import { toDatabaseTime } from '../lib/time.js';

/**
 * Sign-in throttling. Counters are kept per login (within a tenant) and per client IP; past a
 * threshold each further failure doubles the wait, up to an hour. Failures older than a day
 * no longer count. Unknown logins are counted like real ones, so the wait reveals nothing.
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
export async function secondsUntilAllowed(db: Knex, keys: ThrottleKeys, now: Date): Promise<number> {
  const rows: Array<{ blocked_until: string | null }> = await db(table)
    .select('blocked_until')
    .whereIn('throttle_key', [keys.login, keys.ip])
    .andWhere('blocked_until', '>', toDatabaseTime(now));
  const latest = rows.reduce((max, row) => Math.max(max, Date.parse(`${row.blocked_until!.replace(' ', 'T')}Z`)), 0);
  return latest ? Math.ceil((latest - now.getTime()) / 1000) : 0;
}

/** Counts one failed attempt against both keys and sets their wait. */
export async function recordFailure(db: Knex, keys: ThrottleKeys, now: Date): Promise<void> {
  await bump(db, keys.login, throttlePolicy.login.freeFailures, now);
  await bump(db, keys.ip, throttlePolicy.ip.freeFailures, now);
}

/** A successful sign-in forgets the login's failures (not the IP's). */
export async function clearFailures(db: Knex, keys: ThrottleKeys): Promise<void> {
  await db(table).where('throttle_key', keys.login).delete();
}

export function waitAfter(failures: number, freeFailures: number): number {
  if (failures < freeFailures) return 0;
  const doublings = Math.min(failures - freeFailures, 20);
  return Math.min(throttlePolicy.firstWaitSeconds * 2 ** doublings, throttlePolicy.longestWaitSeconds);
}

async function bump(db: Knex, key: string, freeFailures: number, now: Date): Promise<void> {
  const stamp = toDatabaseTime(now);
  const forgetBefore = toDatabaseTime(new Date(now.getTime() - throttlePolicy.forgetAfterSeconds * 1000));
  // One atomic upsert, so concurrent failures from several processes are all counted.
  await db(table)
    .insert({ throttle_key: key, failures: 1, last_failure_at: stamp, blocked_until: null })
    .onConflict('throttle_key')
    .merge({
      failures: db.raw('CASE WHEN last_failure_at < ? THEN 1 ELSE failures + 1 END', [forgetBefore]),
      last_failure_at: stamp,
    });
  const row: { failures: number } | undefined = await db(table).select('failures').where('throttle_key', key).first();
  const wait = waitAfter(Number(row?.failures ?? 0), freeFailures);
  if (wait > 0) {
    await db(table)
      .where('throttle_key', key)
      .update({ blocked_until: toDatabaseTime(new Date(now.getTime() + wait * 1000)) });
  }
}
