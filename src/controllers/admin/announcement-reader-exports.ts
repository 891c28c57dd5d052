import type { Request, Response } from 'express';
import { scopeOf, tenantOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { announcementReaderBatches } from '../../models/announcement-readings.js';
import { readerCsvColumns } from '../../presenters/announcements.js';
import { sendReportCsv } from '../../presenters/report-exports.js';

/** GET /:tenant/admin/announcements/:announcementId/readers.csv: everyone in its audience, read or not, with when (C3). */
export async function index(req: Request, res: Response): Promise<void> {
  const announcement = loaded(req, 'announcement');
  const columns = readerCsvColumns(tenantOf(req).timeZone);
  await sendReportCsv(req, res, { name: `announcement-${announcement.id}-readers`, columns, batches: announcementReaderBatches(scopeOf(req), announcement) });
}
