import session from 'express-session';
import type { Knex } from 'knex';
import { systemClock, toDatabaseTime, type Clock } from '../lib/time.js';

type Callback<T = void> = (error?: unknown, value?: T) => void;
type StoredSession = session.SessionData & { userId?: number; tenantId?: number };

const table = 'sessions';
const oneDay = 24 * 60 * 60 * 1000;
const touchResolutionMs = 60 * 1000;

/**
 * express-session's store on our `sessions` table, through knex, for SQLite and MySQL alike.
 * Every failure reaches express-session's callback (and so our 503 page); nothing is thrown
 * past it, so a database outage never takes the process down.
 */
export class KnexSessionStore extends session.Store {
  /**
   * @param clock what "now" is for a session's expiry; the system clock, as express-session, which
   *   sets the cookie's expiry, knows no other
   */
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock = systemClock,
  ) {
    super();
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    this.db(table)
      .select('sess')
      .where('sid', sid)
      .andWhere('expires_at', '>', toDatabaseTime(this.clock()))
      .first()
      .then((row: { sess: string } | undefined) => callback(null, row ? (JSON.parse(row.sess) as session.SessionData) : null))
      .catch((error: unknown) => callback(error));
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    const stored = data as StoredSession;
    const row = {
      sid,
      sess: JSON.stringify(data),
      expires_at: toDatabaseTime(expiryOf(data, this.clock())),
      tenant_id: stored.tenantId ?? null,
      user_id: stored.userId ?? null,
    };
    this.db(table)
      .insert(row)
      .onConflict('sid')
      .merge(['sess', 'expires_at', 'tenant_id', 'user_id'])
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.db(table)
      .where('sid', sid)
      .delete()
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  /**
   * Called on every request that did not change the session. The expiry is moved only when it
   * would move by more than a minute, so most page views read the session and write nothing.
   */
  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    const expiry = expiryOf(data, this.clock());
    this.db(table)
      .where('sid', sid)
      .andWhere('expires_at', '<', toDatabaseTime(new Date(expiry.getTime() - touchResolutionMs)))
      .update({ expires_at: toDatabaseTime(expiry) })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
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
