import type { Request, Response } from 'express';
import { csvStart } from '../../lib/csv.js';
import { writeInTurn } from '../../lib/streaming.js';
import type { ImportKind } from '../../lib/import-rows.js';
import { scopeOf, tenantOf } from '../../middleware/context.js';
import { countExportRows, exportBatches, recordExport } from '../../models/data-export.js';
import { exportHeader, exportLineWriter } from '../../presenters/data-exports.js';

/**
 * The action of GET /:tenant/admin/exports/<kind>.csv: customers, invoices or payments as CSV in the
 * import's columns (M7), streamed batch by batch (waiting for the client to take each), put on
 * record first.
 */
export const exportAction = (exported: ImportKind) => async (req: Request, res: Response): Promise<void> => {
  const kind = { data: exported };
  const scope = scopeOf(req);
  await recordExport(scope, kind.data, await countExportRows(scope, kind.data));
  const { locale } = res.locals;
  const currency = tenantOf(req).currency;
  const day = scope.now().toISOString().slice(0, 10);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${kind.data}-${req.tenant!.slug}-${day}.csv"`);
  res.write(csvStart + exportHeader(kind.data, locale));
  const lineOf = exportLineWriter(kind.data, locale, currency);
  for await (const batch of exportBatches(scope, kind.data)) {
    if (!(await writeInTurn(res, batch.map(lineOf).join('')))) return;
  }
  res.end();
};
