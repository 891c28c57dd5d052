import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { csvLine, csvStart } from '../../lib/csv.js';
import { writeInTurn } from '../../lib/streaming.js';
import { auditEntryBatches, countAuditEntries, recordAuditExport } from '../../models/audit-entries.js';
import { resolveAuditFilter } from '../../models/audit-filters.js';
import { auditCsvHeader, auditCsvRow } from '../../presenters/audit-entries.js';
import { auditFilterForRecord, auditFilterFrom } from '../../validators/audit-filter.js';

/**
 * GET /:tenant/admin/audit-log.csv: the entries the page's filter keeps, all of them, as CSV for a
 * spreadsheet (superadmins, D3). The export is itself put on record before the first line is sent.
 */
export async function index(req: Request, res: Response): Promise<void> {
  const { filter } = auditFilterFrom(req.query as Record<string, unknown>);
  const scope = scopeOf(req);
  const resolved = await resolveAuditFilter(scope, filter, req.tenant!.timeZone);
  const rows = await countAuditEntries(scope, resolved);
  await recordAuditExport(scope, { rows, filters: auditFilterForRecord(filter) });
  const { t, locale, textOf, timeOf } = res.locals;
  const separator = locale === 'pl' ? ';' : ',';
  const day = timeOf(scope.now(), 'date')?.datetime ?? 'log';
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="audit-log-${req.tenant!.slug}-${day}.csv"`);
  res.write(csvStart + csvLine(auditCsvHeader(t), separator));
  const shown = { textOf, timeOf };
  // A batch waits while the client has not taken the last one (issue 20: every CSV streams so).
  for await (const batch of auditEntryBatches(scope, resolved)) {
    if (!(await writeInTurn(res, batch.map((entry) => csvLine(auditCsvRow(entry, shown), separator)).join('')))) return;
  }
  res.end();
}
