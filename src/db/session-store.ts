import session from 'express-session';
import type { Knex } from 'knex';
import { fromDatabaseTime, systemClock, toDatabaseTime, type Clock } from '../lib/time.js';
import { setNewest } from '../lib/bounded-map.js';
import { sessionContentOf } from '../lib/session-content.js';

type Callback<T = void> = (error?: unknown, value?: T) => void;
type StoredSession = session.SessionData & { userId?: number; tenantId?: number };

const table = 'sessions';
const oneDay = 24 * 60 * 60 * 1000;
const oneMinute = 60 * 1000;
/** How many sessions' expiries a process keeps at most for touch (about 100 bytes each): the recently active ones. */
const rememberedExpiriesLimit = 50_000;

/**
 * express-session's store on our `sessions` table, through knex, for SQLite and MySQL alike.
 * Every failure reaches express-session's callback (and so our 503 page); nothing is thrown
 * past it, so a database outage never takes the process down.
 */
export class KnexSessionStore extends session.Store {
  /** The expiry each session had in the table when this process last read (get), wrote (set) or moved (touch) it, for touch. */
  private readonly storedExpiries = new Map<string, number>();
  /**
   * What was last written of each session object (a request's own): express-session writes a session
   * it has just regenerated again as the response ends, even when middleware/session-save.ts has
   * written it unchanged a moment before (its check knows only the old id). Held weakly: the entry
   * goes with the request.
   */
  private readonly writtenObjects = new WeakMap<object, { sid: string; content: string; expiry: number }>();
  /** touch writes only when the expiry would move by more than this. */
  readonly touchResolutionMilliseconds: number;

  /**
   * @param clock what "now" is for a session's expiry; the system clock, as express-session, which
   *   sets the cookie's expiry, knows no other
   * @param idleMilliseconds the sessions' idle timeout (the cookie's max age); the expiry is moved
   *   at most every tenth of it, and at least a minute apart
   */
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock = systemClock,
    idleMilliseconds = 30 * oneMinute,
  ) {
    super();
    this.touchResolutionMilliseconds = Math.max(oneMinute, idleMilliseconds / 10);
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    this.db(table)
      .select('sess', 'expires_at')
      .where('sid', sid)
      .andWhere('expires_at', '>', toDatabaseTime(this.clock()))
      .first()
      .then((row: { sess: string; expires_at: string | Date } | undefined) => {
        if (row) this.rememberExpiry(sid, fromDatabaseTime(row.expires_at)!.getTime());
        callback(null, row ? (JSON.parse(row.sess) as session.SessionData) : null);
      })
      .catch((error: unknown) => callback(error));
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    const stored = data as StoredSession;
    const expiry = expiryOf(data, this.clock());
    const content = sessionContentOf(data);
    const written = this.writtenObjects.get(data);
    if (written && written.sid === sid && written.content === content && expiry.getTime() - written.expiry <= this.touchResolutionMilliseconds) {
      callback?.();
      return;
    }
    const row = {
      sid,
      sess: JSON.stringify(data),
      expires_at: toDatabaseTime(expiry),
      tenant_id: stored.tenantId ?? null,
      user_id: stored.userId ?? null,
    };
    this.db(table)
      .insert(row)
      .onConflict('sid')
      .merge(['sess', 'expires_at', 'tenant_id', 'user_id'])
      // express-session touches a session right after saving it: that touch then finds the expiry just written.
      .then(() => {
        this.rememberExpiry(sid, expiry.getTime());
        this.writtenObjects.set(data, { sid, content, expiry: expiry.getTime() });
        callback?.();
      })
      .catch((error: unknown) => callback?.(error));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.storedExpiries.delete(sid);
    this.db(table)
      .where('sid', sid)
      .delete()
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  /**
   * Called at the end of every request that did not change the session. The expiry is moved only
   * when it would move by more than the resolution: compared with the expiry this request read, so
   * most page views run no statement here at all. Without that reading (another process's get, or
   * one forgotten), the UPDATE's condition decides, as one statement that usually matches nothing.
   * The idle timeout itself is the session's lastSeenAt (middleware/session-user.ts), which is
   * written with the session; this expiry only lets housekeeping remove the row.
   */
  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    const expiry = expiryOf(data, this.clock());
    const storedExpiry = this.storedExpiries.get(sid);
    // The reading stays for the session's next request: two requests of one session at once (two
    // tabs) both read it, and the second to end would otherwise find it gone and run the UPDATE.
    if (storedExpiry !== undefined && expiry.getTime() - storedExpiry <= this.touchResolutionMilliseconds) {
      callback?.();
      return;
    }
    this.db(table)
      .where('sid', sid)
      .andWhere('expires_at', '<', toDatabaseTime(new Date(expiry.getTime() - this.touchResolutionMilliseconds)))
      .update({ expires_at: toDatabaseTime(expiry) })
      .then((moved: number) => {
        // Not moved: the row holds a later expiry (another process) or is gone; the next get reads which.
        if (moved > 0) this.rememberExpiry(sid, expiry.getTime());
        else this.storedExpiries.delete(sid);
        callback?.();
      })
      .catch((error: unknown) => callback?.(error));
  }

  /** Keeps a session's known expiry, the oldest reading giving way when the limit is reached. */
  private rememberExpiry(sid: string, expiry: number): void {
    setNewest(this.storedExpiries, sid, expiry, rememberedExpiriesLimit);
  }

  /** Ends every session of one user (after a password reset or a lock). */
  async destroyAllOfUser(tenantId: number, userId: number): Promise<void> {
    await this.db(table).where({ tenant_id: tenantId, user_id: userId }).delete();
  }
}

function expiryOf(data: session.SessionData, now: Date): Date {
  const expires = data.cookie?.expires;
  return expires ? new Date(expires) : new Date(now.getTime() + oneDay);
}
