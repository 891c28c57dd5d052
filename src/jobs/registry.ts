import { auditVerify } from './audit-verify.js';
import { publishAnnouncements } from './announcements.js';
import { deleteFileContent } from './files.js';
import { housekeeping } from './housekeeping.js';
import { runImportJob } from './import.js';
import type { JobKind } from './kind.js';
import { sendMail } from './mail.js';
import { mailPoll } from './mail-poll.js';
import { paymentReminders } from './payment-reminders.js';

/** Every kind of job this code base runs, by name. */
export const jobKinds = {
  'mail.send': sendMail,
  housekeeping,
  'files.delete': deleteFileContent,
  'mail.poll': mailPoll,
  'payment.reminders': paymentReminders,
  'import.run': runImportJob,
  'announcements.publish': publishAnnouncements,
  'audit.verify': auditVerify,
} as const;

export type JobKindName = keyof typeof jobKinds;
/** Kinds by name; the runner checks each job's payload against its kind's schema before it runs. */
export type JobRegistry = Record<string, JobKind<unknown>>;
