import { fullName } from '../models/user.js';
import type { Announcement, AnnouncementState, AudienceKind } from '../models/announcement.js';
import type { AnnouncementReader } from '../models/announcement-readings.js';
import { localDateTimeIn } from '../lib/time.js';
import { announcementFields } from '../validators/announcement.js';
import { decodeBase, encodeBase, mergeEdit } from '../validators/edit-merge.js';
import { formValues } from '../validators/form.js';
import { message, type Status } from './presentation.js';
import type { ReportColumn } from './report-tables.js';

/** An announcement's state as a badge (admins' list and page). */
export function announcementStateBadge(state: AnnouncementState, withdrawnAt: Date | null): Status {
  if (state === 'ended') return { label: message(withdrawnAt ? 'announcements:state.withdrawn' : 'announcements:state.ended'), tone: 'neutral' };
  if (state === 'scheduled') return { label: message('announcements:state.scheduled'), tone: 'waiting' };
  return { label: message('announcements:state.published'), tone: 'success' };
}

/** The audience kinds of the form, in its order. */
export const audienceLabels: Record<AudienceKind, string> = {
  all: 'announcements:audience.all',
  group: 'announcements:audience.group',
  customer: 'announcements:audience.customer',
  account: 'announcements:audience.account',
};

/** The label of each field of the form (also the rows of its conflict table). */
export const announcementLabels: Record<(typeof announcementFields)[number], string> = {
  title: 'announcements:fields.title',
  body: 'announcements:fields.body',
  audience: 'announcements:fields.audience',
  groupId: 'announcements:fields.group',
  customerId: 'announcements:fields.customer',
  login: 'announcements:fields.login',
  isUrgent: 'announcements:fields.isUrgent',
  sendsEmail: 'announcements:fields.sendsEmail',
  publishAt: 'announcements:fields.publishAt',
  endsAt: 'announcements:fields.endsAt',
};

/** The form's values for a new announcement: to every client, published now (the tenant's wall clock). */
export function newAnnouncementValues(now: Date, timeZone: string): Record<string, string> {
  return { title: '', body: '', audience: 'all', groupId: '', customerId: '', login: '', isUrgent: '', sendsEmail: '', publishAt: localDateTimeIn(now, timeZone), endsAt: '' };
}

/** A stored announcement as its form sends it back (the account by its login). */
export function announcementValues(announcement: Announcement, timeZone: string, login: string): Record<string, string> {
  return {
    title: announcement.title,
    body: announcement.body,
    audience: announcement.audience,
    groupId: announcement.groupId ? String(announcement.groupId) : '',
    customerId: announcement.customerId ? String(announcement.customerId) : '',
    login,
    isUrgent: announcement.isUrgent ? 'on' : '',
    sendsEmail: announcement.sendsEmail ? 'on' : '',
    publishAt: localDateTimeIn(announcement.publishAt, timeZone),
    endsAt: announcement.endsAt ? localDateTimeIn(announcement.endsAt, timeZone) : '',
  };
}

/** What the edit form shows: its values (with version and base) and, after a conflict, what was merged. */
export type AnnouncementForm = { values: Record<string, string>; clashes: Array<{ field: string; mine: string; stored: string }>; kept: string[] };

/** The edit form as opened: the stored values, with the version and base of the check. */
export function openedAnnouncementForm(stored: Record<string, string>, version: number): AnnouncementForm {
  return { values: { ...stored, asksAgain: '', version: String(version), base: encodeBase(stored, announcementFields) }, clashes: [], kept: [] };
}

/** A refused form (422): what was typed, with the version and base it came with. */
export function refusedAnnouncementForm(body: unknown): AnnouncementForm {
  return { values: formValues(body, [...announcementFields, 'asksAgain', 'version', 'base']), clashes: [], kept: [] };
}

/** The form after a conflict (409): the stored version with this admin's own changes applied; fields both changed side by side. */
export function conflictAnnouncementForm(stored: Record<string, string>, version: number, body: unknown): AnnouncementForm {
  const merge = mergeEdit(announcementFields, decodeBase((body as Record<string, unknown> | undefined)?.base, announcementFields), formValues(body, announcementFields), stored);
  return {
    values: { ...merge.values, asksAgain: formValues(body, ['asksAgain']).asksAgain ?? '', version: String(version), base: encodeBase(stored, announcementFields) },
    clashes: merge.clashes.map((field) => ({ field, mine: merge.values[field] ?? '', stored: stored[field] ?? '' })),
    kept: merge.kept,
  };
}

/** The columns of the read list's CSV: who, of which customer, and when they read it (the tenant's wall clock). */
export function readerCsvColumns(timeZone: string): Array<ReportColumn<AnnouncementReader>> {
  return [
    { header: 'announcements:readers.customer', share: 0.3, value: (reader) => ({ text: reader.customerName }) },
    { header: 'announcements:readers.name', share: 0.25, value: (reader) => ({ text: fullName(reader) }), isRowHeader: true },
    { header: 'announcements:readers.login', share: 0.15, value: (reader) => ({ text: reader.login }) },
    { header: 'announcements:readers.status', share: 0.1, value: (reader) => ({ text: message(reader.readAt ? 'announcements:readers.read' : 'announcements:readers.unread') }) },
    { header: 'announcements:readers.readAt', share: 0.2, value: (reader) => ({ text: reader.readAt ? localDateTimeIn(reader.readAt, timeZone).replace('T', ' ') : null }) },
  ];
}
