import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { openSystemWork } from '../../src/db/installation.js';
import { systemClock } from '../../src/lib/time.js';
import { findTenantBySlug } from '../../src/models/tenant.js';
import { demoPassword, describeInBrowser, signInToDemo as signIn } from '../support/browser.js';
import { pdfText } from '../support/pdf.js';

const journeyTimeout = 90_000;

describeInBrowser('browser journey: a payment entered by one admin and approved by another (issue 16, M1, M3)', (harness) => {
  it('anna prints a payment order for part of Alfa’s balance; admin enters 500,00 zł, superadmin approves it, and Alfa’s balance drops by it for staff and for anna', async () => {
    await seedDemo(harness.env.db, { password: demoPassword, bcryptCost: 4 });
    const system = openSystemWork(harness.env.db, systemClock, 'journey fixture');
    const demo = (await findTenantBySlug(system, 'demo'))!;
    const alfaId = Number((await system.scopeFor(demo.id).table('customers').where('name', 'Alfa sp. z o.o.').first('id')).id);
    const balanceOf = async (page: Awaited<ReturnType<typeof harness.openPage>>) => {
      await page.goto(`/demo/staff/customers/${alfaId}/ledger`);
      return page.getByTestId('customer-balance').getAttribute('value');
    };

    // 0. anna sees what Alfa owes on her start page, goes to the settlements and prints a payment
    //    order for a part of it, typed in Polish notation.
    const anna = await harness.openPage('pl-PL');
    await signIn(anna, 'anna');
    await anna.waitForURL(`${harness.baseUrl}/demo/portal`);
    const annaBefore = Number(await anna.getByTestId('portlet-balance-amount').getAttribute('value'));
    expect(annaBefore).toBeGreaterThan(0);
    await anna.goto('/demo/portal/settlements');
    expect(Number(await anna.getByTestId('balance-amount').getAttribute('value'))).toBe(annaBefore);
    await anna.getByTestId('payment-order-link').click();
    await anna.waitForURL(`${harness.baseUrl}/demo/portal/payment-order/new`);
    await anna.getByLabel('Inna kwota', { exact: false }).check();
    await anna.getByLabel(/^Kwota/).fill('123,45');
    const [download] = await Promise.all([anna.waitForEvent('download'), anna.getByTestId('payment-order-submit').click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const order = await pdfText(await readFile((await download.path())!));
    expect(order).toContain('123,45');
    expect(order).toContain('sto dwadzieścia trzy złote 45/100');
    expect(order).toContain('Alfa sp. z o.o.');

    // 1. The admin enters a payment of 500,00 zł typed in Polish notation.
    const admin = await harness.openPage('pl-PL');
    await signIn(admin, 'admin');
    await admin.waitForURL(`${harness.baseUrl}/demo/staff`);
    const before = Number(await balanceOf(admin));
    await admin.goto('/demo/admin/payments/new');
    await admin.getByTestId('payment-customer').selectOption({ label: 'Alfa sp. z o.o.' });
    await admin.getByLabel('Kwota (PLN)', { exact: true }).fill('500,00');
    await admin.getByLabel(/Tytuł przelewu/).fill('Wpłata z wyciągu');
    await admin.getByTestId('enter-payment').click();
    await admin.waitForURL(/\/demo\/admin\/ledger-entries\/\d+$/);
    expect(await admin.getByTestId('entry-status').textContent()).toContain('Czeka na zatwierdzenie');
    expect(Number(await balanceOf(admin))).toBe(before);

    // 2. Another admin (the superadmin) approves it from the payments list.
    const superadmin = await harness.openPage('pl-PL');
    await signIn(superadmin, 'superadmin');
    await superadmin.waitForURL(`${harness.baseUrl}/demo/staff`);
    await superadmin.goto('/demo/admin/payments?status=pending');
    await superadmin.getByRole('link', { name: 'Wpłata Wpłata z wyciągu' }).click();
    await superadmin.getByTestId('approve-entry').click();
    await superadmin.waitForURL(/\/demo\/admin\/ledger-entries\/\d+$/);
    expect(await superadmin.getByTestId('entry-status').textContent()).toContain('Zatwierdzony');

    // 3. Alfa's balance on the staff page is 500,00 zł lower.
    expect(Number(await balanceOf(superadmin))).toBeCloseTo(before - 500, 2);

    // 4. …and on anna's start page.
    await anna.goto('/demo/portal');
    expect(Number(await anna.getByTestId('portlet-balance-amount').getAttribute('value'))).toBeCloseTo(annaBefore - 500, 2);
  }, journeyTimeout);
});
