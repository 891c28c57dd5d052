import { message, type Text } from './presentation.js';

/** What each kind of background job is called on the failed-jobs page; a kind not listed is shown by its name. */
const jobKindLabels: Record<string, string> = {
  'mail.send': 'jobs:kinds.mailSend',
  housekeeping: 'jobs:kinds.housekeeping',
};

export function jobKindLabel(kind: string): Text {
  return jobKindLabels[kind] ? message(jobKindLabels[kind]) : kind;
}
