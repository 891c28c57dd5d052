import type { Request, Response } from 'express';
import { sendReportPdf } from './_report-page.js';

/** GET /:tenant/portal/reports/settlements/pdf: the report of the period as a PDF (P4); 403 to a group without it (P3). */
export function show(req: Request, res: Response): Promise<void> {
  return sendReportPdf(req, res, 'settlementsReport');
}
