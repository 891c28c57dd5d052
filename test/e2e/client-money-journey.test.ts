import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { openSystemWork } from '../../src/db/installation.js';
import { moneyOf } from '../../src/lib/money.js';
import { calendarDateIn, systemClock } from '../../src/lib/time.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';
import { seedDemo } from '../../seeds/demo.js';
import { demoPassword, describeInBrowser, signInToDemo as signIn } from '../support/browser.js';

const journeyTimeout = 90_000;

describeInBrowser('browser journey: the client’s money (issue 16, M2, M6)', (harness) => {
  async function screenshots(page: Page, name: string) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await harness.screenshot(page, `client-money-${name}-${width}.png`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('piotr sees what Beta owes on his start page, opens the settlements and filters the payment history (Beta: the demo seeds no ledger for it)', async () => {
    const db = harness.env.db;
    await seedDemo(db, { password: demoPassword, bcryptCost: 4 });
    const tenant = await db('tenants').where('slug', 'demo').first();
    const alfa = await db('customers').where('tenant_id', tenant.id).where('name', 'like', 'Beta%').first();
    const ledger = openSystemWork(db, systemClock, 'journey fixture').scopeFor(tenant.id);
    const today = calendarDateIn(harness.env.clock.now(), tenant.time_zone);
    const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    const pln = (minor: number) => moneyOf(minor, 'PLN');
    const options = { isApproved: true, source: 'import' as const };
    await enterLedgerEntry(ledger, { kind: 'invoice', customerId: alfa.id, amount: pln(150_000), documentNumber: 'FV/1/2026', issueDate: day(-45), dueDate: day(-31) }, options);
    await enterLedgerEntry(ledger, { kind: 'invoice', customerId: alfa.id, amount: pln(80_000), documentNumber: 'FV/2/2026', issueDate: day(-5), dueDate: day(9) }, options);
    await enterLedgerEntry(ledger, { kind: 'payment', customerId: alfa.id, amount: pln(50_000), paidOn: day(-20), method: 'cash', reference: 'KP/7' }, options);
    await enterLedgerEntry(ledger, { kind: 'payment', customerId: alfa.id, amount: pln(30_000), paidOn: day(-10), method: 'transfer', reference: 'Przelew' }, options);

    // 1. The start page: the balance in words, the overdue invoice marked.
    const anna = await harness.openPage('pl-PL');
    await signIn(anna, 'piotr');
    await anna.waitForURL(`${harness.baseUrl}/demo/portal`);
    expect(await anna.getByTestId('portlet-balance-state').textContent()).toBe('Do zapłaty');
    const dues = anna.getByTestId('section-dues');
    expect(await dues.getByText('po terminie 31 dni', { exact: true }).isVisible()).toBe(true);
    await screenshots(anna, '1-start');

    // 2. The settlements page from the start page's link.
    await dues.getByRole('link', { name: 'Przejdź do rozliczeń', exact: true }).click();
    await anna.waitForURL(`${harness.baseUrl}/demo/portal/settlements`);
    expect(await anna.getByTestId('invoice-number').allTextContents()).toEqual(['FV/1/2026', 'FV/2/2026']);
    expect(await anna.getByTestId('invoice-state').allTextContents()).toEqual(['po terminie 31 dni', 'w terminie']);
    await screenshots(anna, '2-settlements');

    // 3. The payment history, filtered to cash, with the chart and its table.
    await anna.getByRole('link', { name: 'Historia wpłat', exact: true }).click();
    await anna.waitForURL(`${harness.baseUrl}/demo/portal/payments`);
    expect(await anna.getByTestId('payment-method').allTextContents()).toEqual(['przelew', 'gotówka']);
    expect(await anna.getByRole('img', { name: /Obciążenia i wpłaty od/ }).isVisible()).toBe(true);
    await anna.getByLabel('Sposób zapłaty', { exact: true }).selectOption('cash');
    await anna.getByRole('button', { name: 'Pokaż', exact: true }).click();
    await anna.waitForURL(/\/demo\/portal\/payments\?.*method=cash/);
    expect(await anna.getByTestId('payment-method').allTextContents()).toEqual(['gotówka']);
    expect(await anna.getByTestId('paid-invoices').textContent()).toContain('FV/1/2026');
    await screenshots(anna, '3-payments');
  }, journeyTimeout);
});
