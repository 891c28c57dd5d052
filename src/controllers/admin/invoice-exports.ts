import { exportAction } from './_export-page.js';

/** GET /:tenant/admin/exports/invoices.csv: the invoices in the import's columns (M7). */
export const show = exportAction('invoices');
