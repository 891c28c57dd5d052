import type { Request, Response } from 'express';
import { scopeOf, tenantOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { eachAnnouncementReader, type AnnouncementReader } from '../../models/announcement-readings.js';
import { readerCsvColumns } from '../../presenters/announcements.js';
import { sendReportCsv } from '../../presenters/report-exports.js';

/** The readers in batches, as the CSV writer takes them. */
async function* batchesOf(readers: AsyncGenerator<AnnouncementReader>, size = 500): AsyncGenerator<AnnouncementReader[]> {
  let batch: AnnouncementReader[] = [];
  for await (const reader of readers) {
    batch.push(reader);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** GET /:tenant/admin/announcements/:announcementId/readers.csv: everyone in its audience, read or not, with when (C3). */
export async function index(req: Request, res: Response): Promise<void> {
  const announcement = loaded(req, 'announcement');
  const columns = readerCsvColumns(tenantOf(req).timeZone);
  await sendReportCsv(req, res, { name: `announcement-${announcement.id}-readers`, columns, batches: batchesOf(eachAnnouncementReader(scopeOf(req), announcement)) });
}
