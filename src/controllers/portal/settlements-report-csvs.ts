import type { Request, Response } from 'express';
import { sendReportCsv } from './_report-page.js';

/** GET /:tenant/portal/reports/settlements/csv: the whole report of the period as CSV (P4); 403 to a group without it (P3). */
export function show(req: Request, res: Response): Promise<void> {
  return sendReportCsv(req, res, 'settlementsReport');
}
