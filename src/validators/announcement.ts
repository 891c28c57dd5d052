import { z } from 'zod';
import { momentIn } from '../lib/time.js';
import { checkbox } from './fields.js';
import { requiredText } from './form.js';

/** The longest title and text of an announcement. */
export const maximumTitleLength = 200;
export const maximumBodyLength = 10_000;

/** The fields of the edit form that its version check merges (validators/edit-merge.ts). */
export const announcementFields = ['title', 'body', 'audience', 'groupId', 'customerId', 'login', 'isUrgent', 'sendsEmail', 'publishAt', 'endsAt'] as const;

const optionalId = z
  .string()
  .optional()
  .transform((value) => (value && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : null));

/** A date-time field in the tenant's wall clock, as the moment it names. */
const momentField = (timeZone: string, isRequired: boolean) =>
  z
    .string({ error: 'validation:required' })
    .trim()
    .optional()
    .transform((value, context) => {
      if (!value) {
        if (isRequired) context.addIssue({ code: 'custom', message: 'validation:required' });
        return null;
      }
      const moment = momentIn(value, timeZone);
      if (!moment) context.addIssue({ code: 'custom', message: 'announcements:errors.dateTime' });
      return moment;
    });

function announcementShape(timeZone: string) {
  return {
    title: requiredText(maximumTitleLength),
    body: requiredText(maximumBodyLength),
    audience: z.enum(['all', 'group', 'customer', 'account'], { error: 'announcements:errors.audience' }),
    groupId: optionalId,
    customerId: optionalId,
    login: z
      .string()
      .trim()
      .max(100, 'validation:tooLong')
      .optional()
      .transform((value) => value || null),
    isUrgent: checkbox,
    sendsEmail: checkbox,
    publishAt: momentField(timeZone, true),
    endsAt: momentField(timeZone, false),
  };
}

/** The end of an announcement is after its publication (422 on endsAt otherwise). */
function endsAfterPublication(form: { publishAt: Date | null; endsAt: Date | null }, context: z.RefinementCtx): void {
  if (form.publishAt && form.endsAt && form.endsAt.getTime() <= form.publishAt.getTime()) context.addIssue({ code: 'custom', path: ['endsAt'], message: 'announcements:errors.endsBeforePublication' });
}

const withMoments = <T extends { publishAt: Date | null }>(form: T) => ({ ...form, publishAt: form.publishAt! });

/** views/admin/announcements/new.ejs: a new announcement; its dates in the tenant's time zone. */
export function announcementCreateForm(timeZone: string) {
  return z.object(announcementShape(timeZone)).superRefine(endsAfterPublication).transform(withMoments);
}

/** views/admin/announcements/edit.ejs: the same at a version, and whether everyone is asked to read it again. */
export function announcementEditForm(timeZone: string) {
  return z
    .object({ ...announcementShape(timeZone), asksAgain: checkbox, version: z.coerce.number().int().positive() })
    .superRefine(endsAfterPublication)
    .transform(withMoments);
}

