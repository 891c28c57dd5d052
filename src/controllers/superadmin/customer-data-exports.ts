import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { fileStoresFor } from '../../lib/storage/index.js';
import { zipOf } from '../../lib/zip.js';
import { exportCustomerData } from '../../models/customer-data-export.js';

/**
 * GET /:tenant/admin/customers/:customerId/export.zip: everything of one customer (D2, superadmins):
 * a JSON file per table and its files, built in memory (docs/decisions.md). Put on record first.
 */
export async function show(req: Request, res: Response): Promise<void> {
  const customer = loaded(req, 'customer');
  const data = await exportCustomerData(scopeOf(req), fileStoresFor(req.deps.config), customer.id);
  const entries = [
    ...Object.entries(data.tables).map(([table, rows]) => ({ path: `${table}.json`, content: Buffer.from(`${JSON.stringify(rows, null, 2)}\n`, 'utf8') })),
    ...data.files,
  ];
  const zip = await zipOf(entries);
  res.setHeader('Content-Type', 'application/zip');
  res.setHeader('Content-Length', String(zip.byteLength));
  res.setHeader('Content-Disposition', `attachment; filename="customer-${customer.id}.zip"`);
  res.setHeader('Cache-Control', 'private, no-store');
  res.end(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
}
