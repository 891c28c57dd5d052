import { nameFromColumns } from './user.js';
import type { Scope } from '../db/scope.js';
import { NotFoundError, ValidationError } from '../lib/errors.js';
import type { Links } from '../lib/urls.js';
import { fromDatabaseTime, toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { sendAnnouncementCopies } from './announcement-copies.js';
import { noteConfigurationChanged } from './tenant-configuration.js';
import { visibleAccounts, visibleAnnouncements, visibleCustomers, visibleGroups, type AnnouncementAudience } from './visibility.js';

/**
 * Announcements (C2, C3): admins write them to every client, a group, a customer or one account,
 * from a publish time to an optional end; an urgent one stops the client's pages until they confirm
 * it (middleware/urgent-announcements.ts). Read receipts and what clients see: announcement-readings.ts.
 */
export type AudienceKind = AnnouncementAudience['audience'];
export type AnnouncementState = 'scheduled' | 'published' | 'ended';

export type Announcement = AnnouncementAudience & {
  id: number;
  title: string;
  body: string;
  isUrgent: boolean;
  sendsEmail: boolean;
  publishAt: Date;
  endsAt: Date | null;
  withdrawnAt: Date | null;
  emailsSentAt: Date | null;
  version: number;
  createdAt: Date;
  state: AnnouncementState;
};

/** What the admin's form gives: the account of an `account` audience by its login. */
export type AnnouncementInput = { title: string; body: string; audience: AudienceKind; groupId: number | null; customerId: number | null; login: string | null; isUrgent: boolean; sendsEmail: boolean; publishAt: Date; endsAt: Date | null };
export type AnnouncementField = 'title' | 'body' | 'audience' | 'isUrgent' | 'sendsEmail' | 'publishAt' | 'endsAt';
export type AnnouncementSaveOutcome = { status: 'saved'; changedFields: AnnouncementField[] } | { status: 'conflict'; current: Announcement };

/** Ended once its end has passed, even before its publication (a scheduled one withdrawn); else scheduled or published. */
export function stateAt(row: { publishAt: Date; endsAt: Date | null }, now: Date): AnnouncementState {
  if (row.endsAt && row.endsAt.getTime() <= now.getTime()) return 'ended';
  return row.publishAt.getTime() > now.getTime() ? 'scheduled' : 'published';
}

const idOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

export function toAnnouncement(row: Record<string, unknown>, now: Date): Announcement {
  const publishAt = fromDatabaseTime(row.publish_at as string)!;
  const endsAt = fromDatabaseTime(row.ends_at as string | null);
  return {
    id: Number(row.id),
    title: String(row.title),
    body: String(row.body),
    audience: row.audience as AudienceKind,
    groupId: idOrNull(row.group_id),
    customerId: idOrNull(row.customer_id),
    userId: idOrNull(row.user_id),
    isUrgent: Boolean(row.is_urgent),
    sendsEmail: Boolean(row.sends_email),
    publishAt,
    endsAt,
    withdrawnAt: fromDatabaseTime(row.withdrawn_at as string | null),
    emailsSentAt: fromDatabaseTime(row.emails_sent_at as string | null),
    version: Number(row.version),
    createdAt: fromDatabaseTime(row.created_at as string)!,
    state: stateAt({ publishAt, endsAt }, now),
  };
}

/** An announcement the actor sees (a client: one meant for it, in force). @throws NotFoundError otherwise */
export async function findAnnouncement(scope: Scope, id: number): Promise<Announcement> {
  const row = await visibleAnnouncements(scope).where('announcements.id', id).first('announcements.*');
  if (!row) throw new NotFoundError(`announcement ${id} not found`);
  return toAnnouncement(row, scope.now());
}

/** A page of the tenant's announcements for admins, the latest publish time first. */
export async function listAnnouncements(scope: Scope, page: { perPage: number; offset: number }): Promise<{ rows: Announcement[]; total: number }> {
  const [rows, counted] = await Promise.all([
    visibleAnnouncements(scope).orderBy('announcements.publish_at', 'desc').orderBy('announcements.id', 'desc').limit(page.perPage).offset(page.offset).select('announcements.*'),
    visibleAnnouncements(scope).count({ count: '*' }).first(),
  ]);
  return { rows: (rows as Array<Record<string, unknown>>).map((row) => toAnnouncement(row, scope.now())), total: Number((counted as { count: unknown } | undefined)?.count ?? 0) };
}

/** The name of each announcement's target, by announcement id: a group's, a customer's, an account's name and login. */
export async function audienceTargetNames(scope: Scope, announcements: readonly Announcement[]): Promise<Map<number, string>> {
  const ids = (kind: 'groupId' | 'customerId' | 'userId') => [...new Set(announcements.map((row) => row[kind]).filter((id): id is number => id !== null))];
  const [groups, customers, accounts] = await Promise.all([
    ids('groupId').length ? visibleGroups(scope).whereIn('groups.id', ids('groupId')).select('groups.id', 'groups.name') : [],
    ids('customerId').length ? visibleCustomers(scope).whereIn('customers.id', ids('customerId')).select('customers.id', 'customers.name') : [],
    ids('userId').length ? visibleAccounts(scope).whereIn('users.id', ids('userId')).select('users.id', 'users.first_name', 'users.last_name', 'users.login') : [],
  ]);
  const byId = (rows: Array<Record<string, unknown>>, name: (row: Record<string, unknown>) => string) => new Map(rows.map((row) => [Number(row.id), name(row)]));
  const groupNames = byId(groups, (row) => String(row.name));
  const customerNames = byId(customers, (row) => String(row.name));
  const accountNames = byId(accounts, (row) => `${nameFromColumns(row.first_name, row.last_name)} (${String(row.login)})`);
  return new Map(
    announcements.flatMap((row) => {
      const name = row.groupId ? groupNames.get(row.groupId) : row.customerId ? customerNames.get(row.customerId) : row.userId ? accountNames.get(row.userId) : undefined;
      return name === undefined ? [] : [[row.id, name] as const];
    }),
  );
}

/** The target columns of the form's audience, each checked against the tenant's records: an unknown one is the form's 422. */
async function targetColumns(scope: Scope, input: AnnouncementInput): Promise<{ audience: AudienceKind; group_id: number | null; customer_id: number | null; user_id: number | null }> {
  const none = { group_id: null, customer_id: null, user_id: null };
  if (input.audience === 'all') return { audience: 'all', ...none };
  if (input.audience === 'group') {
    const group = input.groupId ? await visibleGroups(scope).where('groups.id', input.groupId).first('groups.id') : undefined;
    if (!group) throw new ValidationError({ groupId: 'announcements:errors.groupMissing' });
    return { audience: 'group', ...none, group_id: Number(group.id) };
  }
  if (input.audience === 'customer') {
    const customer = input.customerId ? await visibleCustomers(scope).where('customers.id', input.customerId).first('customers.id') : undefined;
    if (!customer) throw new ValidationError({ customerId: 'announcements:errors.customerMissing' });
    return { audience: 'customer', ...none, customer_id: Number(customer.id) };
  }
  const account = input.login ? await visibleAccounts(scope).where({ 'users.login': input.login.toLowerCase(), 'users.role': 'client' }).first('users.id') : undefined;
  if (!account) throw new ValidationError({ login: 'announcements:errors.accountMissing' });
  return { audience: 'account', ...none, user_id: Number(account.id) };
}

function contentColumns(input: AnnouncementInput) {
  return { title: input.title, body: input.body, is_urgent: input.isUrgent, sends_email: input.sendsEmail, publish_at: toDatabaseTime(input.publishAt), ends_at: input.endsAt ? toDatabaseTime(input.endsAt) : null };
}

/**
 * Writes a new announcement. One that is published at once (its publish time not after now) has its
 * e-mail copies queued in the same transaction; a scheduled one gets them from the job
 * 'announcements.publish' once its time has come.
 * @returns its id. @throws ValidationError for a target that is not the tenant's
 */
export async function createAnnouncement(scope: Scope, input: AnnouncementInput, links?: Links): Promise<number> {
  return scope.transaction(async (trx) => {
    const target = await targetColumns(trx, input);
    const now = toDatabaseTime(trx.now());
    const createdBy = trx.actor.kind === 'user' ? trx.actor.id : null;
    // When urgent announcements are in force is kept under the configuration version (announcement-readings.ts
    // urgentWindows). The version's row is written before the announcement's, as deleteGroup writes it before
    // its cascade reaches the group's announcements: one order of locks, no deadlock between them.
    if (input.isUrgent) await noteConfigurationChanged(trx);
    const id = await trx.insert('announcements', { ...contentColumns(input), ...target, version: 1, created_by: createdBy, created_at: now, updated_at: now });
    const isScheduled = input.publishAt.getTime() > trx.now().getTime();
    await logEvent(trx, { action: 'announcement.published', subjectType: 'announcement', subjectId: id, details: { audience: target.audience, isUrgent: input.isUrgent, sendsEmail: input.sendsEmail, isScheduled } });
    if (!isScheduled && input.sendsEmail) await sendAnnouncementCopies(trx, id, links);
    return id;
  });
}

/** The fields of an urgent announcement that say when it is in force (announcement-readings.ts urgentWindows). */
const windowFields: ReadonlySet<AnnouncementField> = new Set(['isUrgent', 'publishAt', 'endsAt']);

const comparedFields = (stored: Announcement, input: AnnouncementInput, target: AnnouncementAudience): AnnouncementField[] => {
  const same = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
  const changes: Array<[AnnouncementField, boolean]> = [
    ['title', stored.title !== input.title],
    ['body', stored.body !== input.body],
    ['audience', stored.audience !== target.audience || stored.groupId !== target.groupId || stored.customerId !== target.customerId || stored.userId !== target.userId],
    ['isUrgent', stored.isUrgent !== input.isUrgent],
    ['sendsEmail', stored.sendsEmail !== input.sendsEmail],
    ['publishAt', !same(stored.publishAt, input.publishAt)],
    ['endsAt', !same(stored.endsAt, input.endsAt)],
  ];
  return changes.filter(([, changed]) => changed).map(([field]) => field);
};

/**
 * Saves an announcement at the version its form was opened with; at another version nothing is
 * written and the stored one comes back for the form to merge (validators/edit-merge.ts). Read
 * receipts stay: a correction of a typo does not ask everyone again. Only when the admin asks for
 * it (`asksAgain`) are they cleared, so that everyone reads (and an urgent one confirms) the new text.
 * E-mail copies already sent are not sent again.
 */
export async function updateAnnouncement(scope: Scope, id: number, input: AnnouncementInput & { version: number; asksAgain: boolean }, links?: Links): Promise<AnnouncementSaveOutcome> {
  return scope.transaction(async (trx) => {
    const stored = await findAnnouncement(trx, id);
    const columns = await targetColumns(trx, input);
    const target: AnnouncementAudience = { audience: columns.audience, groupId: columns.group_id, customerId: columns.customer_id, userId: columns.user_id };
    const changedFields = comparedFields(stored, input, target);
    if (changedFields.length === 0 && !input.asksAgain) return { status: 'saved', changedFields };
    if (stored.version !== input.version) return { status: 'conflict', current: stored };
    // An urgent announcement's window moved, or an announcement made urgent or not: the kept windows give way (as in createAnnouncement).
    const movesWindow = (stored.isUrgent || input.isUrgent) && changedFields.some((field) => windowFields.has(field));
    if (movesWindow) await noteConfigurationChanged(trx);
    const updated = await trx.table('announcements').where({ id, version: input.version }).update({ ...contentColumns(input), ...columns, version: trx.raw('version + 1'), updated_at: toDatabaseTime(trx.now()) });
    if (Number(updated) !== 1) return { status: 'conflict', current: await findAnnouncement(trx, id) };
    if (input.asksAgain) await trx.table('announcement_readings').where('announcement_readings.announcement_id', id).delete();
    await logEvent(trx, { action: 'announcement.edited', subjectType: 'announcement', subjectId: id, details: { fields: changedFields, readingsCleared: input.asksAgain } });
    if (input.sendsEmail && input.publishAt.getTime() <= trx.now().getTime()) await sendAnnouncementCopies(trx, id, links);
    return { status: 'saved', changedFields };
  });
}

/** Ends an announcement now (withdrawn): clients stop seeing it; its receipts stay. A repeat changes nothing. @returns whether it was in force or scheduled */
export async function withdrawAnnouncement(scope: Scope, id: number): Promise<boolean> {
  return scope.transaction(async (trx) => {
    const stored = await findAnnouncement(trx, id);
    const now = toDatabaseTime(trx.now());
    // A window ends (as in createAnnouncement, the version first).
    if (stored.isUrgent) await noteConfigurationChanged(trx);
    const updated = await trx
      .table('announcements')
      .where('announcements.id', id)
      .where((running) => running.whereNull('announcements.ends_at').orWhere('announcements.ends_at', '>', now))
      .update({ ends_at: now, withdrawn_at: now, version: trx.raw('version + 1'), updated_at: now });
    if (Number(updated) !== 1) return false;
    await logEvent(trx, { action: 'announcement.withdrawn', subjectType: 'announcement', subjectId: id });
    return true;
  });
}

/** The login of an account an announcement is for (its edit form names the account by it), or '' when it is gone. */
export async function loginOfAudienceAccount(scope: Scope, announcement: Announcement): Promise<string> {
  if (!announcement.userId) return '';
  const row = await visibleAccounts(scope).where('users.id', announcement.userId).first('users.login');
  return row ? String(row.login) : '';
}
