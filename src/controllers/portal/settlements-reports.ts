import type { Request, Response } from 'express';
import { renderReport } from './_report-page.js';

/** GET /:tenant/portal/reports/settlements: the report's page (P4), with the group's settings; 403 to a group without it (P3). */
export function show(req: Request, res: Response): Promise<void> {
  return renderReport(req, res, 'settlementsReport');
}
