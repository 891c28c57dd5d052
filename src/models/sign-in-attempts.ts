import { performance } from 'node:perf_hooks';
import { retryingDeadlocks, type Scope } from '../db/scope.js';
import { fromDatabaseTime, toDatabaseTime } from '../lib/time.js';
import { throttlePolicy, waitAfter, type ThrottleKeys } from './login-throttle.js';

/**
 * Password checks under the sign-in throttle. Each check takes an attempt from the login's and
 * the address's counters before bcrypt runs and settles it after: as a failure (counted once),
 * a success (the login's failures forgotten) or neither (given back). An attempt is in flight
 * meanwhile; a check may start only while the failures and the attempts in flight together stay
 * under the free failures, so a parallel burst cannot guess past the limit, and a correct
 * sign-in that finds the free attempts all in flight waits for them to settle instead of being
 * refused. Past the limit, once the wait is over, one attempt at a time goes ahead.
 */
export type AttemptVerdict = 'success' | 'failure' | 'neither';
export type ThrottledCheck<T> = { isThrottled: true; retryAfterSeconds: number } | { isThrottled: false; result: T };

const table = 'login_throttles';
/** An attempt not settled within this time died with its process: it is forgotten, never counted. */
const inFlightLifetimeSeconds = 60;
/** How long an attempt waits for others on the same counter to settle before it is refused. */
const queueingMilliseconds = 5_000;
/** A waiting attempt looks again after this long at the latest, then twice as long, up to the longest. */
const firstLookMilliseconds = 50;
const longestLookMilliseconds = 800;

/**
 * The attempts of this process waiting for a free attempt on a counter, by its key, oldest first. An
 * attempt that settles here wakes the oldest one of its counters, which then tries at once; an attempt
 * settled by another process is found at the waiter's next look. Before, every waiter looked every
 * 20–60 ms: with the twenty attempts an address may have in flight all waiting for bcrypt, the thirty
 * after them ran about 1,500 statements a second (issue 20: sign-ins made 60 % of bcrypt's rate).
 */
const waitersByKey = new Map<string, Array<() => void>>();

/** Waits until an attempt on the counter settles in this process, or `milliseconds` at the most. */
function untilSettled(key: string, milliseconds: number): Promise<void> {
  return new Promise((resolve) => {
    const waiters = waitersByKey.get(key) ?? [];
    waitersByKey.set(key, waiters);
    const timer = setTimeout(() => {
      const index = waiters.indexOf(wake);
      if (index >= 0) waiters.splice(index, 1);
      if (waiters.length === 0 && waitersByKey.get(key) === waiters) waitersByKey.delete(key);
      resolve();
    }, milliseconds);
    const wake = () => {
      clearTimeout(timer);
      resolve();
    };
    waiters.push(wake);
  });
}

/** An attempt on the counter has settled: its oldest waiter in this process tries now. */
function wakeOneWaiter(key: string): void {
  const waiters = waitersByKey.get(key);
  const next = waiters?.shift();
  if (waiters && waiters.length === 0) waitersByKey.delete(key);
  next?.();
}

type Stamps = { now: string; forgetBefore: string; staleBefore: string };
// Every write below runs on its own, and sign-ins of one login or address at once write the same
// row: MariaDB may pick one as a deadlock's victim, and it is run again (retryingDeadlocks, db/scope.ts).

function stampsAt(now: Date): Stamps {
  const before = (seconds: number) => toDatabaseTime(new Date(now.getTime() - seconds * 1000));
  return { now: toDatabaseTime(now), forgetBefore: before(throttlePolicy.forgetAfterSeconds), staleBefore: before(inFlightLifetimeSeconds) };
}

/** A key's row before its first attempt: nothing counted, nothing in flight. */
const emptyRow = (key: string, stamps: Stamps) => ({ throttle_key: key, failures: 0, last_failure_at: stamps.now, blocked_until: null, in_flight: 0 });

/** The failures that still count, and the attempts still in flight, as SQL on the row. */
const countingFailures = 'CASE WHEN last_failure_at < ? THEN 0 ELSE failures END';
const liveInFlight = 'CASE WHEN in_flight_at IS NULL OR in_flight_at < ? THEN 0 ELSE in_flight END';
const oneLessInFlight = 'CASE WHEN in_flight > 0 THEN in_flight - 1 ELSE 0 END';

/**
 * Runs one password check under the throttle. The check says how it went; if it throws, its
 * attempt is given back (or, when even that fails, forgotten after a minute).
 * @returns the check's result, or the seconds to wait when the attempt may not go ahead
 */
export async function checkUnderThrottle<T>(scope: Scope, keys: ThrottleKeys, now: Date, check: () => Promise<{ verdict: AttemptVerdict; result: T }>): Promise<ThrottledCheck<T>> {
  const stamps = stampsAt(now);
  const wait = await reserveBoth(scope, keys, stamps, now);
  if (wait > 0) return { isThrottled: true, retryAfterSeconds: wait };
  let outcome: { verdict: AttemptVerdict; result: T };
  try {
    outcome = await check();
  } catch (error) {
    await settle(scope, keys, 'neither', stamps, now).catch(() => undefined);
    throw error;
  }
  await settle(scope, keys, outcome.verdict, stamps, now);
  return { isThrottled: false, result: outcome.result };
}

async function reserveBoth(scope: Scope, keys: ThrottleKeys, stamps: Stamps, now: Date): Promise<number> {
  // Both rows made first, in one statement that leaves rows already there alone: a login's row is
  // gone after each right password, and an address's is often new, so taking an attempt on a row
  // that is not there yet (find it missing, make it, take it again) cost three more round trips each.
  // Always the address before the login, so two sign-ins make rows in the same order.
  await retryingDeadlocks(() => scope.shared(table).insert([keys.ip, keys.login].map((key) => emptyRow(key, stamps))).onConflict('throttle_key').ignore());
  const ipWait = await reserve(scope, keys.ip, throttlePolicy.ip.freeFailures, stamps, now);
  if (ipWait > 0) return ipWait;
  try {
    const loginWait = await reserve(scope, keys.login, throttlePolicy.login.freeFailures, stamps, now);
    if (loginWait > 0) await release(scope, keys.ip);
    return loginWait;
  } catch (error) {
    await release(scope, keys.ip).catch(() => undefined);
    throw error;
  }
}

/** Takes an attempt in one conditional update; waits while the free attempts are all in flight. */
async function reserve(scope: Scope, key: string, freeFailures: number, stamps: Stamps, now: Date): Promise<number> {
  const giveUpAt = performance.now() + queueingMilliseconds;
  let look = firstLookMilliseconds;
  for (;;) {
    const taken = await retryingDeadlocks(() =>
      scope.shared(table)
        .where('throttle_key', key)
        .andWhere((query) => query.whereNull('blocked_until').orWhere('blocked_until', '<=', stamps.now))
        .andWhereRaw(`(${countingFailures} + ${liveInFlight} < ? OR (${countingFailures} >= ? AND ${liveInFlight} = 0))`, [
          stamps.forgetBefore, stamps.staleBefore, freeFailures, stamps.forgetBefore, freeFailures, stamps.staleBefore,
        ])
        // in_flight first: MySQL assigns from left to right, and it must see the old in_flight_at.
        .update({ in_flight: scope.raw(`${liveInFlight} + 1`, [stamps.staleBefore]), in_flight_at: stamps.now }),
    );
    if (taken) return 0;
    const row: { blocked_until: string | null } | undefined = await scope.shared(table).where('throttle_key', key).first('blocked_until');
    if (!row) {
      // Removed since it was made (a right password of the same login settled, or housekeeping).
      await retryingDeadlocks(() => scope.shared(table).insert(emptyRow(key, stamps)).onConflict('throttle_key').ignore());
      continue;
    }
    const blockedFor = row.blocked_until ? Math.ceil((fromDatabaseTime(row.blocked_until)!.getTime() - now.getTime()) / 1000) : 0;
    if (blockedFor > 0) return blockedFor;
    // Someone keeps the free attempts busy for longer than any real sign-in takes: it waits like a guess.
    if (performance.now() >= giveUpAt) return throttlePolicy.firstWaitSeconds;
    await untilSettled(key, Math.min(look * (0.75 + Math.random() / 2), giveUpAt - performance.now()));
    look = Math.min(look * 2, longestLookMilliseconds);
  }
}

async function settle(scope: Scope, keys: ThrottleKeys, verdict: AttemptVerdict, stamps: Stamps, now: Date): Promise<void> {
  if (verdict === 'failure') {
    await countFailure(scope, keys.login, throttlePolicy.login.freeFailures, stamps, now);
    await countFailure(scope, keys.ip, throttlePolicy.ip.freeFailures, stamps, now);
  } else if (verdict === 'success') {
    await forgetFailures(scope, keys.login, stamps);
    await release(scope, keys.ip);
  } else {
    await release(scope, keys.login);
    await release(scope, keys.ip);
  }
}

/**
 * Turns the attempt in flight into a failure and sets the wait it earns, in one conditional
 * update on the failures as they were read, so two failures settling together are both counted.
 */
async function countFailure(scope: Scope, key: string, freeFailures: number, stamps: Stamps, now: Date): Promise<void> {
  for (let round = 0; round < 50; round += 1) {
    const row: { failures: number; last_failure_at: string } | undefined = await scope.shared(table).where('throttle_key', key).first('failures', 'last_failure_at');
    if (!row) {
      // Its row was cleared while the attempt was in flight (a success or housekeeping): a new count.
      await retryingDeadlocks(() => scope.shared(table).insert({ throttle_key: key, failures: 0, last_failure_at: stamps.now, blocked_until: null, in_flight: 1 }).onConflict('throttle_key').ignore());
      continue;
    }
    const failures = (row.last_failure_at < stamps.forgetBefore ? 0 : Number(row.failures)) + 1;
    const wait = waitAfter(failures, freeFailures);
    const counted = await retryingDeadlocks(() =>
      scope.shared(table)
        .where({ throttle_key: key, failures: row.failures, last_failure_at: row.last_failure_at })
        .update({
          failures,
          last_failure_at: stamps.now > row.last_failure_at ? stamps.now : row.last_failure_at,
          blocked_until: wait > 0 ? toDatabaseTime(new Date(now.getTime() + wait * 1000)) : null,
          in_flight: scope.raw(oneLessInFlight),
        }),
    );
    if (counted) {
      wakeOneWaiter(key);
      return;
    }
  }
  throw new Error(`the failure on ${key.split(':')[0]} could not be counted: too many at once`);
}

/** A right password: the login's failures are forgotten (its row too, unless others are in flight). */
async function forgetFailures(scope: Scope, key: string, stamps: Stamps): Promise<void> {
  const deleted = await retryingDeadlocks(() => scope.shared(table).where('throttle_key', key).andWhereRaw(`${liveInFlight} <= 1`, [stamps.staleBefore]).delete());
  if (!deleted) {
    await retryingDeadlocks(() => scope.shared(table).where('throttle_key', key).update({ failures: 0, blocked_until: null, in_flight: scope.raw(oneLessInFlight) }));
    // Successes at once may each have found the others in flight: the last to settle removes the empty row.
    await retryingDeadlocks(() => scope.shared(table).where({ throttle_key: key, failures: 0 }).andWhereRaw(`${liveInFlight} = 0`, [stamps.staleBefore]).delete());
  }
  wakeOneWaiter(key);
}

async function release(scope: Scope, key: string): Promise<void> {
  await retryingDeadlocks(() => scope.shared(table).where('throttle_key', key).andWhere('in_flight', '>', 0).update({ in_flight: scope.raw('in_flight - 1') }));
  wakeOneWaiter(key);
}
