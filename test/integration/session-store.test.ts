import type { SessionData } from 'express-session';
import { expect, it } from 'vitest';
import { createDatabase } from '../../src/db/knex.js';
import { KnexSessionStore } from '../../src/db/session-store.js';
import { removeExpiredRows } from '../../src/jobs/housekeeping.js';
import { toDatabaseTime } from '../../src/lib/time.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { openSystemWork } from '../../src/db/installation.js';
import { isWrite, statementsDuring } from '../support/apps.js';

const call = <T>(work: (callback: (error?: unknown, value?: T) => void) => void) =>
  new Promise<{ error: unknown; value: T | undefined }>((resolve) => work((error, value) => resolve({ error, value })));

function sessionData(expires: Date, extra: Record<string, unknown> = {}): SessionData {
  return { cookie: { expires, originalMaxAge: 1800_000 }, ...extra } as unknown as SessionData;
}

describeOnEachDatabase('the database session store', (env) => {
  const store = () => new KnexSessionStore(env.db);
  const expiryOf = async (sid: string) => (await env.db('sessions').where('sid', sid).first())?.expires_at as string | undefined;

  it('keeps a session with its tenant and user, and reads it back until it expires', async () => {
    const sid = `s-${Date.now()}-a`;
    const expires = new Date(Date.now() + 60_000);
    expect((await call((done) => store().set(sid, sessionData(expires, { userId: 7, tenantId: 900_001 }), done))).error).toBeFalsy();
    const row = await env.db('sessions').where('sid', sid).first();
    expect([Number(row.tenant_id), Number(row.user_id)]).toEqual([900_001, 7]);
    expect((await call<SessionData | null>((done) => store().get(sid, done))).value).toMatchObject({ userId: 7 });
    await env.db('sessions').where('sid', sid).update({ expires_at: '2000-01-01 00:00:00' });
    expect((await call<SessionData | null>((done) => store().get(sid, done))).value).toBeNull();
  });

  it('moves the expiry on touch only when it moves by more than the resolution, even for a session this process has not read', async () => {
    const sid = `s-${Date.now()}-b`;
    const start = new Date(Date.now() + 30 * 60_000);
    await call((done) => store().set(sid, sessionData(start), done));
    const stored = await expiryOf(sid);
    await call((done) => store().touch(sid, sessionData(new Date(start.getTime() + 30_000)), done));
    expect(await expiryOf(sid)).toBe(stored);
    await call((done) => store().touch(sid, sessionData(new Date(start.getTime() + 5 * 60_000)), done));
    expect(await expiryOf(sid)).not.toBe(stored);
  });

  it('runs no statement on touch within the resolution of the expiry its get read, and one UPDATE past it', async () => {
    const sessions = store();
    const sid = `s-${Date.now()}-r`;
    const start = new Date(Date.now() + 30 * 60_000);
    await call((done) => sessions.set(sid, sessionData(start), done));
    const stored = await expiryOf(sid);
    const withinResolution = await statementsDuring(env.db, async () => {
      await call((done) => sessions.get(sid, done));
      await call((done) => sessions.touch(sid, sessionData(new Date(start.getTime() + 170_000)), done));
    });
    expect(withinResolution).toHaveLength(1);
    expect(withinResolution[0]).toMatch(/^select/i);
    expect(await expiryOf(sid)).toBe(stored);
    const pastResolution = await statementsDuring(env.db, async () => {
      await call((done) => sessions.get(sid, done));
      await call((done) => sessions.touch(sid, sessionData(new Date(start.getTime() + 190_000)), done));
    });
    expect(pastResolution.filter(isWrite)).toHaveLength(1);
    expect(await expiryOf(sid)).not.toBe(stored);
  });

  it('runs no statement on the touches of two requests of one session at once, both within the resolution', async () => {
    const sessions = store();
    const sid = `s-${Date.now()}-t`;
    const start = new Date(Date.now() + 30 * 60_000);
    await call((done) => sessions.set(sid, sessionData(start), done));
    const both = await statementsDuring(env.db, async () => {
      await Promise.all([call((done) => sessions.get(sid, done)), call((done) => sessions.get(sid, done))]);
      await call((done) => sessions.touch(sid, sessionData(new Date(start.getTime() + 60_000)), done));
      await call((done) => sessions.touch(sid, sessionData(new Date(start.getTime() + 61_000)), done));
    });
    expect(both.filter(isWrite)).toEqual([]);
    // Past the resolution one UPDATE moves it, and the next touch within the new resolution runs none.
    const later = await statementsDuring(env.db, async () => {
      await call((done) => sessions.touch(sid, sessionData(new Date(start.getTime() + 190_000)), done));
      await call((done) => sessions.touch(sid, sessionData(new Date(start.getTime() + 200_000)), done));
    });
    expect(later.filter(isWrite)).toHaveLength(1);
  });

  it('moves the expiry at most every tenth of the idle timeout, and at least a minute apart', () => {
    expect(store().touchResolutionMilliseconds).toBe(3 * 60_000);
    expect(new KnexSessionStore(env.db, undefined, 5 * 60_000).touchResolutionMilliseconds).toBe(60_000);
    expect(new KnexSessionStore(env.db, undefined, 2 * 60 * 60_000).touchResolutionMilliseconds).toBe(12 * 60_000);
  });

  it('removes expired sessions and forgotten sign-in counters, and keeps the rest (a counter in use too)', async () => {
    const now = new Date();
    const mark = `${Date.now()}-h`;
    await env.db('sessions').insert([
      { sid: `old-${mark}`, sess: '{}', expires_at: '2000-01-01 00:00:00' },
      { sid: `new-${mark}`, sess: '{}', expires_at: '2999-01-01 00:00:00' },
    ]);
    await env.db('login_throttles').insert([
      { throttle_key: `login:0:old-${mark}`, in_flight: 0, failures: 3, last_failure_at: '2000-01-01 00:00:00', blocked_until: null },
      { throttle_key: `login:0:blocked-${mark}`, in_flight: 0, failures: 9, last_failure_at: '2000-01-01 00:00:00', blocked_until: '2999-01-01 00:00:00' },
      { throttle_key: `login:0:recent-${mark}`, in_flight: 0, failures: 2, last_failure_at: '2999-01-01 00:00:00', blocked_until: null },
      // Old failures, but a sign-in is being checked on it right now: its attempt must find the row.
      { throttle_key: `login:0:checking-${mark}`, failures: 3, last_failure_at: '2000-01-01 00:00:00', blocked_until: null, in_flight: 1, in_flight_at: toDatabaseTime(now) },
    ]);
    await removeExpiredRows(openSystemWork(env.db, () => now, 'test'));
    expect((await env.db('sessions').where('sid', 'like', `%${mark}`)).map((row) => row.sid)).toEqual([`new-${mark}`]);
    const kept = (await env.db('login_throttles').where('throttle_key', 'like', `%${mark}`)).map((row) => row.throttle_key).sort();
    expect(kept).toEqual([`login:0:blocked-${mark}`, `login:0:checking-${mark}`, `login:0:recent-${mark}`]);
  });

  it('ends every session of one user and no one else’s', async () => {
    // Ids no real tenant of a shared test database reaches.
    const tenantId = 900_000 + Math.floor(Math.random() * 90_000);
    const expires = new Date(Date.now() + 60_000);
    const sids = [`s-${Date.now()}-c1`, `s-${Date.now()}-c2`, `s-${Date.now()}-c3`];
    await call((done) => store().set(sids[0]!, sessionData(expires, { userId: 41, tenantId }), done));
    await call((done) => store().set(sids[1]!, sessionData(expires, { userId: 41, tenantId }), done));
    await call((done) => store().set(sids[2]!, sessionData(expires, { userId: 42, tenantId }), done));
    await store().destroyAllOfUser(tenantId, 41);
    expect((await env.db('sessions').whereIn('sid', sids)).map((row) => row.sid)).toEqual([sids[2]]);
  });
});

it('hands database failures to the callback instead of throwing', async () => {
  const unreachable = createDatabase({ databaseUrl: 'mysql://root@127.0.0.1:1/none' });
  const store = new KnexSessionStore(unreachable);
  try {
    const expires = new Date(Date.now() + 60_000);
    for (const outcome of [
      await call((done) => store.get('x', done)),
      await call((done) => store.set('x', sessionData(expires), done)),
      await call((done) => store.touch('x', sessionData(expires), done)),
      await call((done) => store.destroy('x', done)),
    ]) {
      expect(outcome.error).toBeTruthy();
    }
  } finally {
    await unreachable.destroy();
  }
});
