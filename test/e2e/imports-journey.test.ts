import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser } from '../support/browser.js';
import { makeTenant, makeUser, testPassword } from '../support/factories.js';
import { csvText, invoiceHeader, numberedCustomer } from '../support/imports.js';

const timeout = 90_000;
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describeInBrowser('browser: an admin checks and imports a file of invoices (issue 16, M7)', (harness) => {
  it('uploads a file for a dry run, sees its bad row by line, fixes it and imports it; the pages fit 390 and 1280 px', async () => {
    const { db } = harness.env;
    const tenant = await makeTenant(db);
    const admin = await makeUser(db, tenant, 'admin');
    const { customerNumber } = await numberedCustomer(db, tenant, 'K/1001');
    const rows = (dueDate: string) => [invoiceHeader, ['FV-1', customerNumber!, 'FV/1/2026', '2026-03-01', '2026-03-31', '1 230,00', 'PLN', 'Abonament marzec — długi opis usługi, który nie może rozepchnąć strony'], ['FV-2', customerNumber!, 'FV/2/2026', '2026-03-05', dueDate, '99,90', '', '']];

    const page = await harness.openPage('pl-PL');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/${tenant.slug}/login`);
    await page.getByLabel('Login', { exact: true }).fill(admin.login);
    await page.getByLabel('Hasło', { exact: true }).fill(testPassword);
    await page.getByRole('button', { name: 'Zaloguj się', exact: true }).click();
    await page.waitForURL(/\/staff$/);

    await page.goto(`/${tenant.slug}/admin`);
    await page.getByTestId('imports-link').click();
    await page.getByLabel('Zawartość pliku').selectOption('invoices');
    await page.getByLabel('Plik CSV').setInputFiles({ name: 'faktury.csv', mimeType: 'text/csv', buffer: Buffer.from(csvText(rows('2026-03-01'))) });
    await page.getByTestId('import-submit').click();
    await page.waitForURL(/\/admin\/imports\/\d+$/);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);

    await harness.env.deliverMail();
    await page.reload();
    await expect.poll(() => page.getByTestId('import-summary').getAttribute('data-status')).toBe('refused');
    expect(await page.locator('[data-line="3"]').textContent()).toContain('Termin płatności 2026-03-01 jest wcześniejszy niż data wystawienia 2026-03-05');
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await harness.screenshot(page, 'issue16-import-refused-390.png');

    await page.getByRole('link', { name: 'Wszystkie importy' }).click();
    await page.getByLabel('Zawartość pliku').selectOption('invoices');
    await page.getByLabel('Import: zapisz wszystko albo nic, jeśli którykolwiek wiersz jest błędny').check();
    await page.getByLabel('Plik CSV').setInputFiles({ name: 'faktury-poprawione.csv', mimeType: 'text/csv', buffer: Buffer.from(csvText(rows('2026-03-19'))) });
    await page.getByTestId('import-submit').click();
    await page.waitForURL(/\/admin\/imports\/\d+$/);
    await harness.env.deliverMail();
    await page.reload();
    expect(await page.getByTestId('import-outcome').textContent()).toContain('Zaimportowano.');
    expect(await page.getByTestId('count-created').textContent()).toBe('2');
    expect(await db('ledger_entries').where({ tenant_id: tenant.id, status: 'approved' })).toHaveLength(2);

    await page.getByRole('link', { name: 'Wszystkie importy' }).click();
    expect(await page.getByTestId('imports').locator('tbody tr').count()).toBe(2);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await harness.screenshot(page, 'issue16-imports-390.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.reload();
    expect(await pageWidth(page)).toBeLessThanOrEqual(1280);
    await harness.screenshot(page, 'issue16-imports-1280.png');
  }, timeout);
});
