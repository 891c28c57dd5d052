import type { Knex } from 'knex';
import { signedInUser, type Scope } from '../db/scope.js';
import { NotFoundError } from '../lib/errors.js';
import type { Page } from '../lib/pagination.js';
import { fromDatabaseTime, toDatabaseTime } from '../lib/time.js';
import { findAnnouncement, stateAt, toAnnouncement, type Announcement } from './announcement.js';
import { announcementAudienceAccounts, visibleAnnouncements, type AnnouncementAudience } from './visibility.js';

/**
 * Read receipts of announcements (C2, C3): what a client has read, and for admins who in an
 * announcement's audience has read it. A receipt is written by the client's own POST (the "mark as
 * read" button, or the confirmation of an urgent one): a GET changes nothing, and an urgent one
 * counts as read only when confirmed.
 */
export type ClientAnnouncement = Announcement & { readAt: Date | null };
export type AnnouncementReader = { userId: number; firstName: string; lastName: string; login: string; customerName: string; readAt: Date | null };
export type ReadCount = { audience: number; read: number };

/** The actor's announcements with the time each was read (null: unread), as a query; unread first, then the newest. */
function ownAnnouncements(scope: Scope): Knex.QueryBuilder {
  const userId = scope.actor.kind === 'user' ? scope.actor.id : 0;
  return visibleAnnouncements(scope).leftJoin('announcement_readings', function joinOwnReading() {
    this.on('announcement_readings.announcement_id', '=', 'announcements.id').andOn('announcement_readings.tenant_id', '=', 'announcements.tenant_id').andOnVal('announcement_readings.user_id', '=', userId);
  });
}

/** Per request (scope.memo): the urgent announcement the client has yet to confirm, once the request has read all theirs. */
const unconfirmedUrgentKey = 'announcements.unconfirmedUrgent';

function oldestUnconfirmedUrgent(rows: readonly ClientAnnouncement[]): ClientAnnouncement | undefined {
  const waiting = rows.filter((row) => row.isUrgent && !row.readAt);
  return waiting.sort((a, b) => a.publishAt.getTime() - b.publishAt.getTime() || a.id - b.id)[0];
}

function toClientAnnouncement(row: Record<string, unknown>, now: Date): ClientAnnouncement {
  return { ...toAnnouncement(row, now), readAt: fromDatabaseTime(row.read_at as string | null) };
}

/**
 * A page of the client's announcements in force: unread first, then the newest; with how many are unread.
 * The time each was read is a subquery beside it rather than a join: sorting a join by the joined table
 * took MySQL through a temporary table on disk (the body is TEXT) even with no announcement at all.
 */
export async function listClientAnnouncements(scope: Scope, page: Page): Promise<{ rows: ClientAnnouncement[]; total: number; unread: number }> {
  const readAt = scope
    .table('announcement_readings')
    .whereRaw('announcement_readings.announcement_id = announcements.id')
    .where('announcement_readings.user_id', scope.actor.kind === 'user' ? scope.actor.id : 0)
    .select('announcement_readings.read_at');
  const rows = (
    (await visibleAnnouncements(scope)
      .select('announcements.*', readAt.as('read_at'))
      // read_at is never null in a reading: null here is "not read".
      .orderByRaw('case when read_at is null then 0 else 1 end')
      .orderBy('announcements.publish_at', 'desc')
      .orderBy('announcements.id', 'desc')
      .limit(page.perPage)
      .offset(page.offset)) as Array<Record<string, unknown>>
  ).map((row) => toClientAnnouncement(row, scope.now()));
  // A first page that is not full holds them all: its rows are the counts (the start page's portlet costs one
  // query), and they say which urgent one waits, so the same request's urgent check asks nothing more.
  if (page.offset === 0 && rows.length < page.perPage) {
    scope.memo?.set(unconfirmedUrgentKey, oldestUnconfirmedUrgent(rows));
    return { rows, total: rows.length, unread: rows.filter((row) => !row.readAt).length };
  }
  const counted = (await ownAnnouncements(scope).count({ total: '*' }).count({ read: 'announcement_readings.id' }).first()) as Record<string, unknown> | undefined;
  const total = Number(counted?.total ?? 0);
  return { rows, total, unread: total - Number(counted?.read ?? 0) };
}

/** One announcement of the client's, with when they read it. @throws NotFoundError when it is not meant for them or not in force */
export async function findClientAnnouncement(scope: Scope, id: number): Promise<ClientAnnouncement> {
  const row = await ownAnnouncements(scope).where('announcements.id', id).first('announcements.*', 'announcement_readings.read_at');
  if (!row) throw new NotFoundError(`announcement ${id} not found`);
  return toClientAnnouncement(row, scope.now());
}

/**
 * The oldest urgent announcement in force that the client has not confirmed, if any, asked on every
 * portal page the client opens (middleware/urgent-announcements.ts): one indexed query, and none at
 * all while no urgent announcement of the tenant is in force for anyone (urgentWindows).
 */
export async function findUnconfirmedUrgentAnnouncement(scope: Scope): Promise<Announcement | undefined> {
  if (scope.memo?.has(unconfirmedUrgentKey)) return scope.memo.get(unconfirmedUrgentKey) as Announcement | undefined;
  if (!isAnyInForce(await urgentWindows(scope), scope.now())) return undefined;
  const row = await ownAnnouncements(scope).where('announcements.is_urgent', true).whereNull('announcement_readings.id').orderBy('announcements.publish_at').orderBy('announcements.id').first('announcements.*');
  return row ? toAnnouncement(row, scope.now()) : undefined;
}

/** When an urgent announcement is in force: from its publish time until its end (null: none). */
type UrgentWindow = { publishAt: Date; endsAt: Date | null };

/** More urgent announcements not yet ended than this, and the check asks the database on every page instead. */
const mostKeptUrgentWindows = 500;

/**
 * When the tenant's urgent announcements not yet ended are in force, for whomever each is meant: kept
 * across requests under the tenant's configuration version (Scope.kept), which every write that opens,
 * moves or closes such a window renews (models/announcement.ts), and compared with the clock on each
 * page, so a scheduled one holds the pages from its publish time on without a write in between. Only
 * times are kept, nothing a client is shown. Too many to keep, and one window open at all times stands
 * for them.
 */
async function urgentWindows(scope: Scope): Promise<readonly UrgentWindow[]> {
  return scope.kept('announcements.urgent-windows', async () => {
    const now = toDatabaseTime(scope.now());
    const rows: Array<{ publish_at: string | Date; ends_at: string | Date | null }> = await scope
      .table('announcements')
      .where('announcements.is_urgent', true)
      .where((running) => running.whereNull('announcements.ends_at').orWhere('announcements.ends_at', '>', now))
      .limit(mostKeptUrgentWindows + 1)
      .select('announcements.publish_at', 'announcements.ends_at');
    if (rows.length > mostKeptUrgentWindows) return [{ publishAt: new Date(0), endsAt: null }];
    return rows.map((row) => ({ publishAt: fromDatabaseTime(row.publish_at)!, endsAt: fromDatabaseTime(row.ends_at) }));
  });
}

function isAnyInForce(windows: readonly UrgentWindow[], now: Date): boolean {
  return windows.some((window) => stateAt(window, now) === 'published');
}

/**
 * Records that the client has read an announcement meant for them (or confirmed an urgent one).
 * Reading twice, in two tabs at once, keeps the first receipt: the unique key ignores the second.
 * @throws NotFoundError when it is not theirs or not in force
 */
export async function markAnnouncementRead(scope: Scope, id: number): Promise<void> {
  await findAnnouncement(scope, id);
  await scope.insertQuery('announcement_readings', { announcement_id: id, user_id: signedInUser(scope).id, read_at: toDatabaseTime(scope.now()) }).onConflict(['tenant_id', 'announcement_id', 'user_id']).ignore();
}

/** The audience of an announcement now, with each account's receipt (null: unread), as a query. */
function readersOf(scope: Scope, announcement: Announcement): Knex.QueryBuilder {
  return announcementAudienceAccounts(scope, announcement).leftJoin('announcement_readings', function joinReading() {
    this.on('announcement_readings.user_id', '=', 'users.id').andOn('announcement_readings.tenant_id', '=', 'users.tenant_id').andOnVal('announcement_readings.announcement_id', '=', announcement.id);
  });
}

/**
 * How many accounts of each announcement's audience there are now, and how many of them have read
 * it: one grouped statement for the whole page, each announcement joined to the active client
 * accounts its audience names (every client, its group, its customer or one account).
 */
export async function readCountsOf(scope: Scope, announcements: readonly Announcement[]): Promise<Map<number, ReadCount>> {
  if (announcements.length === 0) return new Map();
  const everyClient: AnnouncementAudience = { audience: 'all', groupId: null, customerId: null, userId: null };
  const rows: Array<Record<string, unknown>> = await announcementAudienceAccounts(scope, everyClient)
    .join('announcements', function joinAudience() {
      this.on('announcements.tenant_id', '=', 'users.tenant_id').andOn(function meantFor() {
        this.onVal('announcements.audience', '=', 'all')
          .orOn(function ofGroup() {
            this.onVal('announcements.audience', '=', 'group').andOn('announcements.group_id', '=', 'users.group_id');
          })
          .orOn(function ofCustomer() {
            this.onVal('announcements.audience', '=', 'customer').andOn('announcements.customer_id', '=', 'users.customer_id');
          })
          .orOn(function ofAccount() {
            this.onVal('announcements.audience', '=', 'account').andOn('announcements.user_id', '=', 'users.id');
          });
      });
    })
    .leftJoin('announcement_readings', function joinReading() {
      this.on('announcement_readings.user_id', '=', 'users.id').andOn('announcement_readings.tenant_id', '=', 'users.tenant_id').andOn('announcement_readings.announcement_id', '=', 'announcements.id');
    })
    .whereIn('announcements.id', announcements.map((announcement) => announcement.id))
    .groupBy('announcements.id')
    .select('announcements.id')
    .count({ audience: '*' })
    .count({ read: 'announcement_readings.id' });
  const found = new Map(rows.map((row) => [Number(row.id), { audience: Number(row.audience), read: Number(row.read) }]));
  return new Map(announcements.map((announcement) => [announcement.id, found.get(announcement.id) ?? { audience: 0, read: 0 }]));
}

const readerColumns = ['users.id', 'users.first_name', 'users.last_name', 'users.login', 'customers.name as customer_name', 'announcement_readings.read_at'];

function toReader(row: Record<string, unknown>): AnnouncementReader {
  return { userId: Number(row.id), firstName: String(row.first_name), lastName: String(row.last_name), login: String(row.login), customerName: String(row.customer_name), readAt: fromDatabaseTime(row.read_at as string | null) };
}

/** A page of an announcement's audience: those who have not read it first, then by customer and name. */
export async function listAnnouncementReaders(scope: Scope, announcement: Announcement, page: Page): Promise<AnnouncementReader[]> {
  const rows: Array<Record<string, unknown>> = await readersOf(scope, announcement)
    .orderByRaw('case when announcement_readings.id is null then 0 else 1 end')
    .orderBy('customers.name')
    .orderBy('users.last_name')
    .orderBy('users.id')
    .limit(page.perPage)
    .offset(page.offset)
    .select(readerColumns);
  return rows.map(toReader);
}

/** Every account of an announcement's audience with its receipt, for the CSV: a batch at a time by id, never all rows at once. */
export async function* announcementReaderBatches(scope: Scope, announcement: Announcement, batchSize = 1000): AsyncGenerator<AnnouncementReader[]> {
  let afterId = 0;
  for (;;) {
    const rows: Array<Record<string, unknown>> = await readersOf(scope, announcement).where('users.id', '>', afterId).orderBy('users.id').limit(batchSize).select(readerColumns);
    if (rows.length > 0) yield rows.map(toReader);
    if (rows.length < batchSize) return;
    afterId = Number(rows.at(-1)!.id);
  }
}
