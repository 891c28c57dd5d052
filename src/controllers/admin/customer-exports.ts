import { exportAction } from './_export-page.js';

/** GET /:tenant/admin/exports/customers.csv: the customers in the import's columns (M7). */
export const show = exportAction('customers');
