import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { openSystemWork } from '../../src/db/installation.js';
import { systemClock } from '../../src/lib/time.js';
import { findTenantBySlug } from '../../src/models/tenant.js';
import { demoPassword, describeInBrowser, signInToDemo as signIn } from '../support/browser.js';

const journeyTimeout = 120_000;
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describeInBrowser('browser: billing details, the invoice and correction forms, where to pay (issue 16, D7, M1)', (harness) => {
  it('admin enters an invoice for Alfa and a correction of an approved one; the pages fit 390 and 1280 px; anna sees where to pay', async () => {
    await seedDemo(harness.env.db, { password: demoPassword, bcryptCost: 4 });
    const system = openSystemWork(harness.env.db, systemClock, 'journey fixture');
    const demo = (await findTenantBySlug(system, 'demo'))!;
    const approvedInvoiceId = Number((await system.scopeFor(demo.id).table('ledger_entries').where({ kind: 'invoice', status: 'approved' }).orderBy('id').first('id')).id);

    const admin = await harness.openPage('pl-PL');
    await signIn(admin, 'admin');
    await admin.waitForURL(`${harness.baseUrl}/demo/staff`);

    // The billing details, reached from Administration, filled by the demo.
    await admin.goto('/demo/admin');
    await admin.getByTestId('billing-details-link').click();
    await admin.waitForURL(`${harness.baseUrl}/demo/admin/billing-details`);
    expect(await admin.getByLabel(/Numer rachunku bankowego/).inputValue()).toBe('07 1020 1026 8765 4321 0000 1234');
    expect(await admin.getByTestId('currency-locked').textContent()).toContain('złoty (PLN)');

    // An invoice without a due date: due after the payment term (14 days).
    await admin.goto('/demo/admin/payments');
    await admin.getByTestId('new-invoice').click();
    await admin.getByTestId('invoice-customer').selectOption({ label: 'Alfa sp. z o.o.' });
    await admin.getByLabel('Numer faktury', { exact: true }).fill('FV/9/2026');
    await admin.getByLabel('Data wystawienia', { exact: true }).fill('2026-12-01');
    await admin.getByLabel(/Kwota brutto/).fill('369,00');
    await admin.getByTestId('enter-invoice').click();
    await admin.waitForURL(/\/demo\/admin\/ledger-entries\/\d+$/);
    expect(await admin.getByTestId('entry-status').textContent()).toContain('Czeka na zatwierdzenie');
    expect(await admin.locator('main').textContent()).toContain('15.12.2026');

    // A correction of an approved invoice, lowering what Alfa owes.
    await admin.goto(`/demo/admin/ledger-entries/${approvedInvoiceId}`);
    await admin.getByTestId('correct-entry').click();
    await admin.getByLabel(/Zmniejsza należność/).check();
    await admin.getByLabel(/Kwota korekty/).fill('10,00');
    await admin.getByLabel('Powód korekty', { exact: true }).fill('Rabat za opóźnienie serwisu');
    await admin.getByTestId('enter-correction').click();
    await admin.waitForURL(/\/demo\/admin\/ledger-entries\/\d+$/);
    expect(await admin.getByTestId('entry-amount').textContent()).toContain('-10,00');

    for (const width of [390, 1280]) {
      await admin.setViewportSize({ width, height: 900 });
      for (const [path, name] of [['/demo/admin/billing-details', 'billing-details'], ['/demo/admin/invoices/new', 'invoice-form'], [`/demo/admin/ledger-entries/${approvedInvoiceId}/corrections/new`, 'correction-form'], ['/demo/admin/payments', 'payments']] as const) {
        await admin.goto(path);
        expect(await pageWidth(admin), `${path} at ${width}`).toBeLessThanOrEqual(width);
        await harness.screenshot(admin, `issue16-${name}-${width}.png`);
      }
    }

    // anna sees the account to pay into on her settlements page.
    const anna = await harness.openPage('pl-PL');
    await anna.setViewportSize({ width: 390, height: 844 });
    await signIn(anna, 'anna');
    await anna.goto('/demo/portal/settlements');
    expect(await anna.getByTestId('pay-to-account').textContent()).toContain('07 1020 1026 8765 4321 0000 1234');
    expect(await pageWidth(anna)).toBeLessThanOrEqual(390);
    await harness.screenshot(anna, 'issue16-settlements-pay-to-390.png');
  }, journeyTimeout);
});
