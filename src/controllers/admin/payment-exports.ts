import { exportAction } from './_export-page.js';

/** GET /:tenant/admin/exports/payments.csv: the payments in the import's columns (M7). */
export const show = exportAction('payments');
